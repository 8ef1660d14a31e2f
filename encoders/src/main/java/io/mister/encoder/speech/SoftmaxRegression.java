package io.mister.encoder.speech;

/**
 * Multinomial logistic regression with L2 regularisation, trained by full-batch gradient descent
 * with Nesterov momentum from zero weights: deterministic, dependency-free, and plenty for a few
 * hundred utterances. Used to measure how much emotion an embedding carries, not as a product model.
 */
final class SoftmaxRegression {

    private final int classes;
    private final int dim;
    private final double[][] weights; // [class][dim + 1], last column is the bias

    private SoftmaxRegression(int classes, int dim) {
        this.classes = classes;
        this.dim = dim;
        this.weights = new double[classes][dim + 1];
    }

    /**
     * @param x          training vectors
     * @param y          class index per vector
     * @param classes    number of classes
     * @param l2         penalty on the weights (not the biases), per training example
     * @param iterations gradient steps
     */
    static SoftmaxRegression train(double[][] x, int[] y, int classes, double l2, int iterations) {
        int n = x.length;
        int dim = x[0].length;
        SoftmaxRegression model = new SoftmaxRegression(classes, dim);
        double[][] velocity = new double[classes][dim + 1];
        double[][] lookahead = new double[classes][dim + 1];
        double[][] gradient = new double[classes][dim + 1];
        double[] p = new double[classes];
        double rate = 0.5;
        double momentum = 0.9;
        for (int it = 0; it < iterations; it++) {
            for (int c = 0; c < classes; c++) {
                for (int d = 0; d <= dim; d++) {
                    lookahead[c][d] = model.weights[c][d] + momentum * velocity[c][d];
                    gradient[c][d] = 0;
                }
            }
            for (int i = 0; i < n; i++) {
                probabilities(lookahead, x[i], p);
                for (int c = 0; c < classes; c++) {
                    double err = p[c] - (y[i] == c ? 1 : 0);
                    double[] g = gradient[c];
                    for (int d = 0; d < dim; d++) {
                        g[d] += err * x[i][d];
                    }
                    g[dim] += err;
                }
            }
            for (int c = 0; c < classes; c++) {
                for (int d = 0; d <= dim; d++) {
                    double g = gradient[c][d] / n + (d < dim ? l2 * lookahead[c][d] : 0);
                    velocity[c][d] = momentum * velocity[c][d] - rate * g;
                    model.weights[c][d] += velocity[c][d];
                }
            }
        }
        return model;
    }

    int predict(double[] x) {
        double[] p = new double[classes];
        probabilities(weights, x, p);
        int best = 0;
        for (int c = 1; c < classes; c++) {
            if (p[c] > p[best]) {
                best = c;
            }
        }
        return best;
    }

    private static void probabilities(double[][] w, double[] x, double[] p) {
        int dim = x.length;
        double max = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < w.length; c++) {
            double s = w[c][dim];
            for (int d = 0; d < dim; d++) {
                s += w[c][d] * x[d];
            }
            p[c] = s;
            max = Math.max(max, s);
        }
        double sum = 0;
        for (int c = 0; c < w.length; c++) {
            p[c] = StrictMath.exp(p[c] - max);
            sum += p[c];
        }
        for (int c = 0; c < w.length; c++) {
            p[c] /= sum;
        }
    }
}
