package io.mister.encoder.speech;

import java.util.Arrays;
import org.jtransforms.fft.DoubleFFT_1D;

/**
 * Frame-level spectral measurements: the Hamming-windowed power spectrum (512-point FFT) of each
 * active frame and what is read from it: loudness, mel-spectral flatness and flux, MFCC 1-12,
 * centroid, 85% roll-off, alpha ratio, Hammarberg index and the two eGeMAPS spectral slopes.
 *
 * <p>Not thread-safe: owns its FFT plan and buffers.
 */
final class SpectralFrameAnalyzer {

    static final int CEPSTRA = 12;
    private static final int FRAME = ProsodyFeatureExtractor.FRAME;
    private static final int SAMPLE_RATE = ProsodyFeatureExtractor.SAMPLE_RATE;
    private static final int FFT_SIZE = 512;
    private static final int BINS = FFT_SIZE / 2 + 1;
    private static final double BIN_HZ = SAMPLE_RATE / (double) FFT_SIZE;
    private static final int MEL_BANDS = 26;
    private static final double POWER_FLOOR = 1e-12;
    private static final double MEL_FLOOR = 1e-10;

    private final DoubleFFT_1D fft = new DoubleFFT_1D(FFT_SIZE);
    private final MelFilterBank mel = new MelFilterBank(MEL_BANDS, FFT_SIZE, SAMPLE_RATE, 20, 8000, CEPSTRA);
    private final double[] window = new double[FRAME];
    private final double[] spectrum = new double[FFT_SIZE];
    private final double[] power = new double[BINS];
    private final double[] melEnergy = new double[MEL_BANDS];
    private final double[] logMel = new double[MEL_BANDS];
    private final double[] previousLogMel = new double[MEL_BANDS];
    private final double[] cepstrum = new double[CEPSTRA];
    private final double[] binFrequencyKhz = new double[BINS];

    SpectralFrameAnalyzer() {
        for (int i = 0; i < FRAME; i++) {
            window[i] = 0.54 - 0.46 * StrictMath.cos(2 * Math.PI * i / (FRAME - 1));
        }
        for (int k = 0; k < BINS; k++) {
            binFrequencyKhz[k] = k * BIN_HZ / 1000;
        }
    }

    /** Fills the spectral measurements of every active frame of {@code s}. */
    void analyse(float[] s, int frames, FrameTrack t) {
        boolean previousActive = false;
        for (int i = 0; i < frames; i++) {
            t.loudness[i] = 0;
            if (!t.active[i]) {
                previousActive = false;
                continue;
            }
            int start = i * ProsodyFeatureExtractor.HOP;
            Arrays.fill(spectrum, 0);
            int end = Math.min(ProsodyFeatureExtractor.FRAME, s.length - start);
            for (int j = 0; j < end; j++) {
                spectrum[j] = s[start + j] * window[j];
            }
            fft.realForward(spectrum);
            power[0] = spectrum[0] * spectrum[0];
            power[BINS - 1] = spectrum[1] * spectrum[1];
            for (int k = 1; k < BINS - 1; k++) {
                power[k] = spectrum[2 * k] * spectrum[2 * k] + spectrum[2 * k + 1] * spectrum[2 * k + 1];
            }
            mel.apply(power, melEnergy);
            double loudness = 0;
            double logSum = 0;
            double linearSum = 0;
            for (int b = 0; b < MEL_BANDS; b++) {
                logMel[b] = StrictMath.log(melEnergy[b] + MEL_FLOOR);
                loudness += StrictMath.exp(0.3 * logMel[b]);
                logSum += logMel[b];
                linearSum += melEnergy[b] + MEL_FLOOR;
            }
            t.loudness[i] = loudness;
            t.flatness[i] = logSum / MEL_BANDS - StrictMath.log(linearSum / MEL_BANDS);
            if (previousActive) {
                double flux = 0;
                for (int b = 0; b < MEL_BANDS; b++) {
                    double d = logMel[b] - previousLogMel[b];
                    flux += d * d;
                }
                t.flux[i] = flux / MEL_BANDS;
            } else {
                t.flux[i] = Double.NaN;
            }
            System.arraycopy(logMel, 0, previousLogMel, 0, MEL_BANDS);
            previousActive = true;
            mel.cepstrum(logMel, cepstrum);
            System.arraycopy(cepstrum, 0, t.mfcc, i * CEPSTRA, CEPSTRA);
            spectralShape(t, i);
        }
    }

    /** Centroid, roll-off, alpha ratio, Hammarberg index and the two eGeMAPS slopes of {@link #power}. */
    private void spectralShape(FrameTrack t, int i) {
        double total = 0;
        double weighted = 0;
        for (int k = 1; k < BINS; k++) {
            total += power[k];
            weighted += power[k] * k * BIN_HZ;
        }
        t.centroid[i] = total > 0 ? weighted / total : 0;
        double target = 0.85 * total;
        double cumulative = 0;
        int rolloffBin = BINS - 1;
        for (int k = 1; k < BINS; k++) {
            cumulative += power[k];
            if (cumulative >= target) {
                rolloffBin = k;
                break;
            }
        }
        t.rolloff[i] = rolloffBin * BIN_HZ;
        t.alphaRatio[i] = 10 * StrictMath.log10((bandSum(50, 1000) + POWER_FLOOR) / (bandSum(1000, 5000) + POWER_FLOOR));
        t.hammarberg[i] = 10 * StrictMath.log10((bandMax(0, 2000) + POWER_FLOOR) / (bandMax(2000, 5000) + POWER_FLOOR));
        t.slope0to500[i] = dbSlope(0, 500);
        t.slope500to1500[i] = dbSlope(500, 1500);
    }

    private double bandSum(double fromHz, double toHz) {
        double sum = 0;
        for (int k = bin(fromHz); k < bin(toHz); k++) {
            sum += power[k];
        }
        return sum;
    }

    private double bandMax(double fromHz, double toHz) {
        double max = 0;
        for (int k = Math.max(1, bin(fromHz)); k < bin(toHz); k++) {
            max = Math.max(max, power[k]);
        }
        return max;
    }

    /** Least-squares slope of the power spectrum in dB against frequency in kHz over [from, to] Hz. */
    private double dbSlope(double fromHz, double toHz) {
        int from = bin(fromHz);
        int to = bin(toHz);
        int n = to - from + 1;
        double meanF = 0;
        double meanY = 0;
        for (int k = from; k <= to; k++) {
            meanF += binFrequencyKhz[k];
            meanY += 10 * StrictMath.log10(power[k] + POWER_FLOOR);
        }
        meanF /= n;
        meanY /= n;
        double cov = 0;
        double var = 0;
        for (int k = from; k <= to; k++) {
            double df = binFrequencyKhz[k] - meanF;
            cov += df * (10 * StrictMath.log10(power[k] + POWER_FLOOR) - meanY);
            var += df * df;
        }
        return cov / var;
    }

    private static int bin(double hz) {
        return (int) Math.round(hz / BIN_HZ);
    }
}
