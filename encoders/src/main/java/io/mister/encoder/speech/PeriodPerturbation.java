package io.mister.encoder.speech;

/**
 * Cycle-to-cycle perturbation of voiced speech: jitter (local) is the mean absolute difference of
 * consecutive pitch periods over the mean period; shimmer (local, dB) the mean absolute level
 * ratio of consecutive cycle peaks. Cycles are found by peak picking guided by the F0 track: from
 * one waveform peak the next is the largest sample between 0.8 and 1.2 local periods later
 * (refined by parabolic interpolation). A light-weight stand-in for Praat's waveform matching;
 * values are comparable between utterances, not to Praat's figures.
 *
 * <p>Accumulates over any number of voiced runs; not thread-safe.
 */
final class PeriodPerturbation {

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
     * @param sampleRate its rate
     * @param from       first sample of the run
     * @param to         one past its last sample
     * @param periodAt   local period in samples at a sample position
     */
    void addRun(float[] x, int sampleRate, int from, int to, java.util.function.IntToDoubleFunction periodAt) {
        from = Math.max(0, from);
        to = Math.min(x.length, to);
        int firstPeriod = (int) Math.round(periodAt.applyAsDouble(from));
        if (firstPeriod < 2 || from + firstPeriod >= to) {
            return;
        }
        int peak = argMax(x, from, from + firstPeriod);
        double previousPosition = refine(x, peak);
        double previousAmplitude = x[peak];
        double previousPeriod = Double.NaN;
        while (true) {
            double period = periodAt.applyAsDouble(peak);
            int lo = peak + (int) Math.ceil(0.8 * period);
            int hi = Math.min(to, peak + (int) Math.floor(1.2 * period) + 1);
            if (period < 2 || lo >= hi) {
                return;
            }
            int next = argMax(x, lo, hi);
            if (next == lo || next == hi - 1) {
                return; // no interior peak: the cycle structure broke, end of the run for our purposes
            }
            double position = refine(x, next);
            double cycle = position - previousPosition;
            double amplitude = x[next];
            periodSum += cycle;
            periods++;
            if (!Double.isNaN(previousPeriod)) {
                periodDiffSum += Math.abs(cycle - previousPeriod);
                periodDiffs++;
            }
            if (amplitude > 0 && previousAmplitude > 0) {
                shimmerSum += Math.abs(20 * StrictMath.log10(amplitude / previousAmplitude));
                shimmers++;
            }
            previousPeriod = cycle;
            previousPosition = position;
            previousAmplitude = amplitude;
            peak = next;
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

    private static int argMax(float[] x, int from, int to) {
        int best = from;
        for (int i = from + 1; i < to; i++) {
            if (x[i] > x[best]) {
                best = i;
            }
        }
        return best;
    }

    private static double refine(float[] x, int i) {
        if (i <= 0 || i >= x.length - 1) {
            return i;
        }
        double l = x[i - 1];
        double c = x[i];
        double r = x[i + 1];
        double curvature = l - 2 * c + r;
        if (curvature >= 0) {
            return i;
        }
        return i + Math.max(-0.5, Math.min(0.5, 0.5 * (l - r) / curvature));
    }
}
