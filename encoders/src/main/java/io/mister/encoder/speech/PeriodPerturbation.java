package io.mister.encoder.speech;

import java.util.function.IntToDoubleFunction;

/**
 * Cycle-to-cycle perturbation of voiced speech: jitter (local) is the mean absolute difference of
 * consecutive pitch periods over the mean period; shimmer (local, dB) the mean absolute level
 * ratio (peak-to-peak) of consecutive cycles. Cycles are found by waveform matching guided by the
 * F0 track: from an anchor, the next cycle starts at the lag (0.85 to 1.15 expected periods) where
 * one period of waveform around the anchor correlates best with itself, refined by parabolic
 * interpolation. A light-weight cousin of Praat's method: values are comparable between
 * utterances, not to Praat's figures.
 *
 * <p>Accumulates over any number of voiced runs; not thread-safe.
 */
final class PeriodPerturbation {

    /** Cycles that match their successor worse than this are not measured. */
    private static final double MIN_CORRELATION = 0.6;

    private final double[] correlation = new double[PitchTracker.SAMPLE_RATE / 40];
    private double periodSum;
    private double periodDiffSum;
    private int periodDiffs;
    private int periods;
    private double shimmerSum;
    private int shimmers;

    void reset() {
        periodSum = 0;
        periodDiffSum = 0;
        periodDiffs = 0;
        periods = 0;
        shimmerSum = 0;
        shimmers = 0;
    }

    /**
     * Walks the cycles of one voiced run.
     *
     * @param x          the signal
     * @param from       first sample of the run
     * @param to         one past its last sample
     * @param periodAt   local period in samples (from the pitch track) at a sample position
     */
    void addRun(float[] x, int from, int to, IntToDoubleFunction periodAt) {
        from = Math.max(0, from);
        to = Math.min(x.length, to);
        double previousPeriod = Double.NaN;
        double previousAmplitude = Double.NaN;
        int anchor = from;
        while (true) {
            double expected = periodAt.applyAsDouble(anchor);
            int half = (int) Math.round(expected / 2);
            int minLag = (int) Math.floor(0.85 * expected);
            int maxLag = (int) Math.ceil(1.15 * expected);
            if (half < 2 || anchor - half < 0 || anchor + maxLag + half + 1 > to) {
                return;
            }
            // the lag at which the waveform around the anchor best matches itself one cycle later
            int bestLag = -1;
            double best = -1;
            for (int lag = minLag - 1; lag <= maxLag + 1; lag++) {
                correlation[lag - minLag + 1] = normalisedCorrelation(x, anchor - half, anchor - half + lag, 2 * half);
            }
            for (int lag = minLag; lag <= maxLag; lag++) {
                double c = correlation[lag - minLag + 1];
                if (c > best) {
                    best = c;
                    bestLag = lag;
                }
            }
            if (best < MIN_CORRELATION) {
                // the waveform stopped repeating: restart the chain one expected period later
                previousPeriod = Double.NaN;
                previousAmplitude = Double.NaN;
                anchor += (int) Math.round(expected);
                continue;
            }
            double l = correlation[bestLag - minLag];
            double c = correlation[bestLag - minLag + 1];
            double r = correlation[bestLag - minLag + 2];
            double curvature = l - 2 * c + r;
            double shift = curvature < 0 ? Math.max(-0.5, Math.min(0.5, 0.5 * (l - r) / curvature)) : 0;
            double period = bestLag + shift;
            double amplitude = peakToPeak(x, anchor, anchor + bestLag);
            periodSum += period;
            periods++;
            if (!Double.isNaN(previousPeriod)) {
                periodDiffSum += Math.abs(period - previousPeriod);
                periodDiffs++;
            }
            if (amplitude > 0 && previousAmplitude > 0) {
                shimmerSum += Math.abs(20 * StrictMath.log10(amplitude / previousAmplitude));
                shimmers++;
            }
            previousPeriod = period;
            previousAmplitude = amplitude;
            anchor += bestLag;
        }
    }

    /** Local jitter as a fraction of the mean period, NaN without two consecutive cycles. */
    double jitter() {
        if (periodDiffs == 0 || periods == 0) {
            return Double.NaN;
        }
        return (periodDiffSum / periodDiffs) / (periodSum / periods);
    }

    /** Local shimmer in dB, NaN without two consecutive cycles. */
    double shimmerDb() {
        return shimmers == 0 ? Double.NaN : shimmerSum / shimmers;
    }

    private static double normalisedCorrelation(float[] x, int a, int b, int length) {
        double ab = 0;
        double aa = 0;
        double bb = 0;
        for (int i = 0; i < length; i++) {
            double u = x[a + i];
            double v = x[b + i];
            ab += u * v;
            aa += u * u;
            bb += v * v;
        }
        return aa > 0 && bb > 0 ? ab / Math.sqrt(aa * bb) : 0;
    }

    private static double peakToPeak(float[] x, int from, int to) {
        float max = Float.NEGATIVE_INFINITY;
        float min = Float.POSITIVE_INFINITY;
        for (int i = from; i < to; i++) {
            max = Math.max(max, x[i]);
            min = Math.min(min, x[i]);
        }
        return max - min;
    }
}
