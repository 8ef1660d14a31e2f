package io.mister.encoder.speech;

import java.util.Arrays;

/**
 * Statistics that summarise a frame-level contour into utterance-level values (the
 * "functionals" of openSMILE). Every function returns {@code NaN} for an empty contour, meaning
 * "undefined for this utterance"; the standardisation step turns that into the training mean.
 */
final class Functionals {

    private Functionals() {
    }

    static double mean(double[] x, int n) {
        if (n == 0) {
            return Double.NaN;
        }
        double s = 0;
        for (int i = 0; i < n; i++) {
            s += x[i];
        }
        return s / n;
    }

    /** Population standard deviation; 0 for a single value. */
    static double std(double[] x, int n) {
        if (n == 0) {
            return Double.NaN;
        }
        double m = mean(x, n);
        double s = 0;
        for (int i = 0; i < n; i++) {
            double d = x[i] - m;
            s += d * d;
        }
        return Math.sqrt(s / n);
    }

    /**
     * Percentiles (0..1) of the first {@code n} values by linear interpolation between order
     * statistics; {@code scratch} must hold at least {@code n} values and is overwritten.
     */
    static double[] percentiles(double[] x, int n, double[] scratch, double... ps) {
        double[] out = new double[ps.length];
        if (n == 0) {
            Arrays.fill(out, Double.NaN);
            return out;
        }
        System.arraycopy(x, 0, scratch, 0, n);
        Arrays.sort(scratch, 0, n);
        for (int k = 0; k < ps.length; k++) {
            double pos = ps[k] * (n - 1);
            int lo = (int) Math.floor(pos);
            int hi = Math.min(n - 1, lo + 1);
            double frac = pos - lo;
            out[k] = scratch[lo] + frac * (scratch[hi] - scratch[lo]);
        }
        return out;
    }

    /**
     * Mean rising and falling slopes, in units per second, of a contour given as runs of
     * consecutive frames: only steps between neighbouring frames of the same run count.
     *
     * @param x        contour values
     * @param runStart for each value, true where a new run begins
     * @return {mean positive step / hop, mean |negative step| / hop}; 0 where there was no such step
     */
    static double[] risingFallingSlopes(double[] x, boolean[] runStart, int n, double hopSeconds) {
        double rise = 0;
        double fall = 0;
        int rises = 0;
        int falls = 0;
        for (int i = 1; i < n; i++) {
            if (runStart[i]) {
                continue;
            }
            double d = x[i] - x[i - 1];
            if (d > 0) {
                rise += d;
                rises++;
            } else if (d < 0) {
                fall -= d;
                falls++;
            }
        }
        if (n == 0) {
            return new double[] {Double.NaN, Double.NaN};
        }
        return new double[] {
            rises == 0 ? 0 : rise / rises / hopSeconds,
            falls == 0 ? 0 : fall / falls / hopSeconds
        };
    }
}
