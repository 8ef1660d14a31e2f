package io.mister.encoder.speech;

import java.util.Arrays;
import org.jtransforms.fft.DoubleFFT_1D;

/**
 * Fundamental-frequency estimation with YIN (de Cheveigné and Kawahara, 2002) on audio
 * low-passed and decimated to 8 kHz: the difference function comes from an FFT cross-correlation,
 * the cumulative-mean-normalised difference (CMND) picks the period, parabolic interpolation
 * refines it. Alongside F0 it measures the frame's aperiodicity (the CMND minimum, 0 for a perfect
 * periodic signal), a harmonics-to-noise ratio from the normalised autocorrelation at the period,
 * and H1-H2 (the level difference of the first two harmonics) from a Hann-windowed spectrum.
 *
 * <p>Not thread-safe: holds its FFT plan and buffers; use one per thread.
 */
final class PitchTracker {

    static final int SAMPLE_RATE = 8000;
    static final double MIN_F0 = 55;
    static final double MAX_F0 = 600;
    /** YIN absolute threshold: the first dip below it is taken as the period. */
    private static final double DIP_THRESHOLD = 0.15;
    /** Frames whose best CMND exceeds this are unvoiced. */
    static final double VOICING_THRESHOLD = 0.30;

    private static final int WINDOW = 256;                                 // integration window, 32 ms
    private static final int MIN_LAG = (int) Math.floor(SAMPLE_RATE / MAX_F0);
    private static final int MAX_LAG = (int) Math.ceil(SAMPLE_RATE / MIN_F0);
    private static final int SPAN = WINDOW + MAX_LAG + 1;
    private static final int FFT_SIZE = 512;

    private final DoubleFFT_1D fft = new DoubleFFT_1D(FFT_SIZE);
    private final double[] a = new double[FFT_SIZE];
    private final double[] b = new double[FFT_SIZE];
    private final double[] segment = new double[SPAN];
    private final double[] cumulativeEnergy = new double[SPAN + 1];
    private final double[] cmnd = new double[MAX_LAG + 2];
    private final double[] hann = new double[SPAN];

    /** Results of the last {@link #analyse} call. */
    double f0;
    double aperiodicity;
    double hnrDb;
    double h1h2Db;

    PitchTracker() {
        for (int i = 0; i < SPAN; i++) {
            hann[i] = 0.5 - 0.5 * StrictMath.cos(2 * Math.PI * i / (SPAN - 1));
        }
    }

    /**
     * Analyses the 8 kHz frame that starts at {@code start} (samples outside the signal count as
     * zero). Sets {@link #f0} (0 when no period was found), {@link #aperiodicity}, {@link #hnrDb}
     * and, when {@code withHarmonics} and the frame is voiced, {@link #h1h2Db} (else NaN).
     */
    void analyse(float[] x, int start, boolean withHarmonics) {
        for (int i = 0; i < SPAN; i++) {
            int j = start + i;
            segment[i] = j >= 0 && j < x.length ? x[j] : 0;
        }
        cumulativeEnergy[0] = 0;
        for (int i = 0; i < SPAN; i++) {
            cumulativeEnergy[i + 1] = cumulativeEnergy[i] + segment[i] * segment[i];
        }
        double e0 = cumulativeEnergy[WINDOW];
        f0 = 0;
        aperiodicity = 1;
        hnrDb = 0;
        h1h2Db = Double.NaN;
        if (e0 < 1e-9) {
            return; // silence: nothing periodic to find
        }
        // r[tau] = sum_{j<W} s[j] s[j+tau], by FFT (no wrap-around since W + MAX_LAG < FFT_SIZE)
        Arrays.fill(a, 0);
        Arrays.fill(b, 0);
        System.arraycopy(segment, 0, a, 0, WINDOW);
        System.arraycopy(segment, 0, b, 0, SPAN);
        fft.realForward(a);
        fft.realForward(b);
        a[0] = a[0] * b[0];
        a[1] = a[1] * b[1];
        for (int k = 1; k < FFT_SIZE / 2; k++) {
            double ar = a[2 * k];
            double ai = a[2 * k + 1];
            double br = b[2 * k];
            double bi = b[2 * k + 1];
            a[2 * k] = ar * br + ai * bi;
            a[2 * k + 1] = ar * bi - ai * br;
        }
        fft.realInverse(a, true);
        // cumulative-mean-normalised difference
        cmnd[0] = 1;
        double running = 0;
        for (int tau = 1; tau <= MAX_LAG + 1; tau++) {
            double eTau = cumulativeEnergy[tau + WINDOW] - cumulativeEnergy[tau];
            double d = Math.max(0, e0 + eTau - 2 * a[tau]);
            running += d;
            cmnd[tau] = running > 0 ? d * tau / running : 1;
        }
        int best = -1;
        for (int tau = MIN_LAG; tau <= MAX_LAG; tau++) {
            if (cmnd[tau] < DIP_THRESHOLD) {
                while (tau + 1 <= MAX_LAG && cmnd[tau + 1] < cmnd[tau]) {
                    tau++;
                }
                best = tau;
                break;
            }
        }
        if (best < 0) {
            best = MIN_LAG;
            for (int tau = MIN_LAG + 1; tau <= MAX_LAG; tau++) {
                if (cmnd[tau] < cmnd[best]) {
                    best = tau;
                }
            }
        }
        aperiodicity = Math.min(1, cmnd[best]);
        if (best <= MIN_LAG || best >= MAX_LAG) {
            return; // the minimum sits on the edge of the search range: no period inside it
        }
        double left = cmnd[best - 1];
        double centre = cmnd[best];
        double right = cmnd[best + 1];
        double curvature = left - 2 * centre + right;
        double shift = curvature > 0 ? 0.5 * (left - right) / curvature : 0;
        shift = Math.max(-0.5, Math.min(0.5, shift));
        f0 = SAMPLE_RATE / (best + shift);
        double eBest = cumulativeEnergy[best + WINDOW] - cumulativeEnergy[best];
        // autocorrelation at the interpolated lag (parabola through the three integer lags)
        double rAtPeriod = a[best] + 0.5 * (a[best + 1] - a[best - 1]) * shift
                + 0.5 * (a[best + 1] - 2 * a[best] + a[best - 1]) * shift * shift;
        double r = a[best] <= 0 ? 0 : Math.max(a[best], rAtPeriod) / Math.sqrt(e0 * eBest + 1e-20);
        r = Math.max(1e-4, Math.min(0.9999, r));
        hnrDb = 10 * StrictMath.log10(r / (1 - r));
        if (withHarmonics && aperiodicity < VOICING_THRESHOLD) {
            h1h2Db = harmonicDifference(f0);
        }
    }

    /** H1-H2 in dB: strongest Hann-windowed spectral peak near F0 against the one near 2 F0. */
    private double harmonicDifference(double f0Hz) {
        Arrays.fill(b, 0);
        for (int i = 0; i < SPAN; i++) {
            b[i] = segment[i] * hann[i];
        }
        fft.realForward(b);
        double binHz = (double) SAMPLE_RATE / FFT_SIZE;
        double h1 = peakPower(f0Hz, binHz);
        double h2 = peakPower(2 * f0Hz, binHz);
        return 10 * StrictMath.log10((h1 + 1e-12) / (h2 + 1e-12));
    }

    private double peakPower(double hz, double binHz) {
        int from = Math.max(1, (int) Math.floor(hz * 0.8 / binHz));
        int to = Math.min(FFT_SIZE / 2 - 1, (int) Math.ceil(hz * 1.2 / binHz));
        double best = 0;
        for (int k = from; k <= to; k++) {
            double p = b[2 * k] * b[2 * k] + b[2 * k + 1] * b[2 * k + 1];
            best = Math.max(best, p);
        }
        return best;
    }

    /** Samples of the 8 kHz signal an analysis spans, so callers can centre frames. */
    static int span() {
        return SPAN;
    }

    static int window() {
        return WINDOW;
    }
}
