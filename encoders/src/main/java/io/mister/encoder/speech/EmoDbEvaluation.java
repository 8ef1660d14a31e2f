package io.mister.encoder.speech;

import io.mister.encoder.audio.AudioDecoder;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.ToIntFunction;

/**
 * Speaker-independent 7-class emotion accuracy of the {@code mister-prosody} features on EmoDB:
 * leave one speaker out over the 7 speakers present, multinomial logistic regression (or, as a
 * training-free check, nearest class centroid) on the features. Standardisation statistics are
 * fitted inside each fold on the training speakers only, so the held-out speaker leaks nothing
 * (the shipped statistics, fitted on all 7, are not used here).
 *
 * <p>Run: {@code mvn -B -q -o -pl encoders -am verify -Dtest=EmoDbEvaluationTest -Dsurefire.failIfNoSpecifiedTests=false}
 * (the test prints the report), or {@code encoders/scripts/evaluate-prosody-emodb.sh} for both classifiers.
 */
public final class EmoDbEvaluation {

    /** L2 penalty of the classifier, fixed a priori (not tuned on the folds). */
    static final double L2 = 1e-2;
    static final int ITERATIONS = 800;

    /** Figures of one evaluation. */
    public record Result(double accuracy, double unweightedAverageRecall, Map<String, Double> accuracyBySpeaker,
                         Map<String, Double> recallByEmotion, int[][] confusion, List<String> emotions, int utterances) {

        /** A Markdown report. */
        public String toMarkdown() {
            StringBuilder sb = new StringBuilder();
            sb.append(String.format("Leave-one-speaker-out over %d utterances of %d speakers: accuracy %.1f%%, UAR %.1f%%%n%n",
                    utterances, accuracyBySpeaker.size(), 100 * accuracy, 100 * unweightedAverageRecall));
            sb.append("| held-out speaker | accuracy |\n|---|---|\n");
            accuracyBySpeaker.forEach((s, a) -> sb.append(String.format("| %s | %.1f%% |%n", s, 100 * a)));
            sb.append("\n| emotion | recall |\n|---|---|\n");
            recallByEmotion.forEach((e, r) -> sb.append(String.format("| %s | %.1f%% |%n", e, 100 * r)));
            sb.append("\nConfusion (rows true, columns predicted): ").append(emotions).append('\n');
            for (int i = 0; i < confusion.length; i++) {
                sb.append(String.format("%-10s", emotions.get(i)));
                for (int v : confusion[i]) {
                    sb.append(String.format("%4d", v));
                }
                sb.append('\n');
            }
            return sb.toString();
        }
    }

    private EmoDbEvaluation() {
    }

    public static void main(String[] args) throws IOException {
        EmoDbCorpus corpus = args.length > 0 ? new EmoDbCorpus(Path.of(args[0])) : EmoDbCorpus.locate();
        for (Classifier classifier : Classifier.values()) {
            System.out.println("## " + classifier + "\n");
            System.out.print(evaluate(corpus, classifier).toMarkdown());
            System.out.println();
        }
    }

    /** Leave-one-speaker-out with logistic regression. */
    public static Result evaluate(EmoDbCorpus corpus) throws IOException {
        return evaluate(corpus, Classifier.LOGISTIC_REGRESSION);
    }

    /** Extracts the features of every utterance and runs leave-one-speaker-out with the classifier. */
    public static Result evaluate(EmoDbCorpus corpus, Classifier classifier) throws IOException {
        List<EmoDbCorpus.Utterance> utterances = corpus.utterances();
        AudioDecoder decoder = new AudioDecoder();
        try (ProsodySpeechEncoder encoder = new ProsodySpeechEncoder(Standardization.identity())) {
            List<double[]> raw = new ArrayList<>();
            for (EmoDbCorpus.Utterance u : utterances) {
                raw.add(encoder.rawFeatures(EmoDbCorpus.decode(u, decoder)));
            }
            return leaveOneSpeakerOut(utterances, raw, classifier, L2);
        }
    }

    /** The classifiers an evaluation can put on top of the features. */
    public enum Classifier {
        /** Multinomial logistic regression, L2 = {@value #L2}. */
        LOGISTIC_REGRESSION,
        /** Nearest class mean in the standardised space (Euclidean): no training at all. */
        NEAREST_CENTROID
    }

    static Result leaveOneSpeakerOut(List<EmoDbCorpus.Utterance> utterances, List<double[]> raw, double l2) {
        return leaveOneSpeakerOut(utterances, raw, Classifier.LOGISTIC_REGRESSION, l2);
    }

    static Result leaveOneSpeakerOut(List<EmoDbCorpus.Utterance> utterances, List<double[]> raw,
                                     Classifier classifier, double l2) {
        List<String> emotions = new ArrayList<>(new TreeSet<>(utterances.stream().map(EmoDbCorpus.Utterance::emotion).toList()));
        List<String> speakers = new ArrayList<>(new TreeSet<>(utterances.stream().map(EmoDbCorpus.Utterance::speaker).toList()));
        int[][] confusion = new int[emotions.size()][emotions.size()];
        Map<String, Double> bySpeaker = new LinkedHashMap<>();
        int correct = 0;
        for (String heldOut : speakers) {
            List<double[]> trainRaw = new ArrayList<>();
            List<Integer> trainY = new ArrayList<>();
            for (int i = 0; i < utterances.size(); i++) {
                if (!utterances.get(i).speaker().equals(heldOut)) {
                    trainRaw.add(raw.get(i));
                    trainY.add(emotions.indexOf(utterances.get(i).emotion()));
                }
            }
            Standardization fold = Standardization.fit(trainRaw, "fold without speaker " + heldOut);
            double[][] x = trainRaw.stream().map(v -> toDouble(fold.apply(v))).toArray(double[][]::new);
            int[] y = trainY.stream().mapToInt(Integer::intValue).toArray();
            ToIntFunction<double[]> model = classifier == Classifier.LOGISTIC_REGRESSION
                    ? SoftmaxRegression.train(x, y, emotions.size(), l2, ITERATIONS)::predict
                    : nearestCentroid(x, y, emotions.size());
            int speakerCorrect = 0;
            int speakerTotal = 0;
            for (int i = 0; i < utterances.size(); i++) {
                if (utterances.get(i).speaker().equals(heldOut)) {
                    int truth = emotions.indexOf(utterances.get(i).emotion());
                    int predicted = model.applyAsInt(toDouble(fold.apply(raw.get(i))));
                    confusion[truth][predicted]++;
                    speakerTotal++;
                    if (truth == predicted) {
                        speakerCorrect++;
                    }
                }
            }
            correct += speakerCorrect;
            bySpeaker.put(heldOut, speakerCorrect / (double) speakerTotal);
        }
        Map<String, Double> recall = new TreeMap<>();
        double recallSum = 0;
        for (int e = 0; e < emotions.size(); e++) {
            int total = 0;
            for (int v : confusion[e]) {
                total += v;
            }
            double r = total == 0 ? 0 : confusion[e][e] / (double) total;
            recall.put(emotions.get(e), r);
            recallSum += r;
        }
        return new Result(correct / (double) utterances.size(), recallSum / emotions.size(), bySpeaker, recall,
                confusion, emotions, utterances.size());
    }

    private static ToIntFunction<double[]> nearestCentroid(double[][] x, int[] y, int classes) {
        double[][] centroids = new double[classes][x[0].length];
        int[] counts = new int[classes];
        for (int i = 0; i < x.length; i++) {
            counts[y[i]]++;
            for (int d = 0; d < x[i].length; d++) {
                centroids[y[i]][d] += x[i][d];
            }
        }
        for (int c = 0; c < classes; c++) {
            for (int d = 0; d < centroids[c].length; d++) {
                centroids[c][d] /= Math.max(1, counts[c]);
            }
        }
        return v -> {
            int best = 0;
            double bestDistance = Double.POSITIVE_INFINITY;
            for (int c = 0; c < classes; c++) {
                double dist = 0;
                for (int d = 0; d < v.length; d++) {
                    dist += (v[d] - centroids[c][d]) * (v[d] - centroids[c][d]);
                }
                if (dist < bestDistance) {
                    bestDistance = dist;
                    best = c;
                }
            }
            return best;
        };
    }

    private static double[] toDouble(float[] v) {
        double[] d = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            d[i] = v[i];
        }
        return d;
    }
}
