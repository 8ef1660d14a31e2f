package io.mister.encoder.speech;

/**
 * Triangular filters equally spaced on the (HTK) mel scale over a power spectrum, and the DCT-II
 * that turns their log energies into cepstral coefficients (MFCC). Immutable.
 */
final class MelFilterBank {

    private final int bands;
    private final int[] firstBin;
    private final float[][] weights;
    private final double[][] dct; // [coefficient 1..C][band]

    MelFilterBank(int bands, int fftSize, int sampleRate, double lowHz, double highHz, int cepstra) {
        this.bands = bands;
        this.firstBin = new int[bands];
        this.weights = new float[bands][];
        int bins = fftSize / 2 + 1;
        double binHz = (double) sampleRate / fftSize;
        double lowMel = mel(lowHz);
        double highMel = mel(highHz);
        double[] edges = new double[bands + 2];
        for (int i = 0; i < edges.length; i++) {
            edges[i] = hz(lowMel + (highMel - lowMel) * i / (bands + 1));
        }
        for (int b = 0; b < bands; b++) {
            double left = edges[b];
            double centre = edges[b + 1];
            double right = edges[b + 2];
            int from = (int) Math.ceil(left / binHz);
            int to = Math.min(bins - 1, (int) Math.floor(right / binHz));
            from = Math.min(from, to);
            firstBin[b] = from;
            weights[b] = new float[to - from + 1];
            for (int k = from; k <= to; k++) {
                double f = k * binHz;
                double w = f <= centre ? (f - left) / (centre - left) : (right - f) / (right - centre);
                weights[b][k - from] = (float) Math.max(0, w);
            }
        }
        this.dct = new double[cepstra][bands];
        double norm = Math.sqrt(2.0 / bands);
        for (int c = 0; c < cepstra; c++) {
            for (int b = 0; b < bands; b++) {
                dct[c][b] = norm * StrictMath.cos(Math.PI * (c + 1) * (b + 0.5) / bands);
            }
        }
    }

    int bands() {
        return bands;
    }

    /** Band energies of one power spectrum. */
    void apply(double[] power, double[] bandEnergies) {
        for (int b = 0; b < bands; b++) {
            float[] w = weights[b];
            int from = firstBin[b];
            double s = 0;
            for (int k = 0; k < w.length; k++) {
                s += w[k] * power[from + k];
            }
            bandEnergies[b] = s;
        }
    }

    /** Cepstral coefficients 1..C of natural-log band energies. */
    void cepstrum(double[] logBandEnergies, double[] cepstra) {
        for (int c = 0; c < dct.length; c++) {
            double[] row = dct[c];
            double s = 0;
            for (int b = 0; b < bands; b++) {
                s += row[b] * logBandEnergies[b];
            }
            cepstra[c] = s;
        }
    }

    static double mel(double hz) {
        return 2595 * StrictMath.log10(1 + hz / 700);
    }

    static double hz(double mel) {
        return 700 * (StrictMath.pow(10, mel / 2595) - 1);
    }
}
