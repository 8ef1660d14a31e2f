package io.mister.encoder.speech;

import static io.mister.encoder.speech.ProsodyFeature.*;

/**
 * Turns the frame-level measurements of one utterance ({@link FrameTrack}) into the utterance-level
 * {@link ProsodyFeature} values: means, deviations, percentiles, slopes, run statistics. Values
 * undefined for the utterance stay NaN.
 */
final class UtteranceStatistics {

    private static final double SEMITONE_REFERENCE_HZ = 27.5;
    private static final double LN2 = StrictMath.log(2);
    private static final int PEAK_NEIGHBOURHOOD = 5;         // frames either side for loudness peaks

    private UtteranceStatistics() {
    }

    static void summarisePitch(int frames, FrameTrack t, double[] out) {
        int n = 0;
        for (int i = 0; i < frames; i++) {
            if (t.voiced[i]) {
                t.values[n] = 12 * StrictMath.log(t.f0Smoothed[i] / SEMITONE_REFERENCE_HZ) / LN2;
                t.runStart[n] = i == 0 || !t.voiced[i - 1];
                n++;
            }
        }
        out[F0_MEAN.ordinal()] = Functionals.mean(t.values, n);
        out[F0_STD.ordinal()] = Functionals.std(t.values, n);
        double[] p = Functionals.percentiles(t.values, n, t.scratch, 0.2, 0.5, 0.8);
        out[F0_P20.ordinal()] = p[0];
        out[F0_P50.ordinal()] = p[1];
        out[F0_P80.ordinal()] = p[2];
        out[F0_RANGE_P20_P80.ordinal()] = p[2] - p[0];
        double[] slopes = Functionals.risingFallingSlopes(t.values, t.runStart, n, ProsodyFeatureExtractor.HOP_SECONDS);
        out[F0_RISING_SLOPE.ordinal()] = slopes[0];
        out[F0_FALLING_SLOPE.ordinal()] = slopes[1];
    }

    static void summariseLoudness(int frames, FrameTrack t, double[] out) {
        int n = 0;
        for (int i = 0; i < frames; i++) {
            if (t.active[i]) {
                t.values[n] = t.loudness[i];
                t.runStart[n] = i == 0 || !t.active[i - 1];
                n++;
            }
        }
        double mean = Functionals.mean(t.values, n);
        out[LOUDNESS_MEAN.ordinal()] = mean;
        out[LOUDNESS_CV.ordinal()] = n == 0 ? Double.NaN : Functionals.std(t.values, n) / (mean + 1e-9);
        double[] p = Functionals.percentiles(t.values, n, t.scratch, 0.2, 0.5, 0.8);
        out[LOUDNESS_P20.ordinal()] = p[0];
        out[LOUDNESS_P50.ordinal()] = p[1];
        out[LOUDNESS_P80.ordinal()] = p[2];
        out[LOUDNESS_RANGE_P20_P80.ordinal()] = p[2] - p[0];
        double[] slopes = Functionals.risingFallingSlopes(t.values, t.runStart, n, ProsodyFeatureExtractor.HOP_SECONDS);
        out[LOUDNESS_RISING_SLOPE.ordinal()] = slopes[0];
        out[LOUDNESS_FALLING_SLOPE.ordinal()] = slopes[1];
        out[LOUDNESS_PEAKS_PER_SECOND.ordinal()] = frames == 0 ? 0 : loudnessPeaks(frames, t) / (frames * ProsodyFeatureExtractor.HOP_SECONDS);

        int m = 0;
        for (int i = 0; i < frames; i++) {
            if (t.active[i]) {
                t.values[m++] = t.energyDb[i];
            }
        }
        out[ENERGY_DB_MEAN.ordinal()] = Functionals.mean(t.values, m);
        out[ENERGY_DB_STD.ordinal()] = Functionals.std(t.values, m);
        double[] e = Functionals.percentiles(t.values, m, t.scratch, 0.05, 0.95);
        out[ENERGY_DB_RANGE_P05_P95.ordinal()] = e[1] - e[0];
    }

    /** Local maxima of the 5-frame moving average of loudness, at least 60 ms apart, on active frames. */
    private static int loudnessPeaks(int frames, FrameTrack t) {
        for (int i = 0; i < frames; i++) {
            double s = 0;
            int c = 0;
            for (int k = Math.max(0, i - 2); k <= Math.min(frames - 1, i + 2); k++) {
                s += t.loudness[k];
                c++;
            }
            t.scratch[i] = s / c;
        }
        int peaks = 0;
        for (int i = 0; i < frames; i++) {
            if (!t.active[i]) {
                continue;
            }
            boolean isPeak = true;
            for (int k = Math.max(0, i - PEAK_NEIGHBOURHOOD); k <= Math.min(frames - 1, i + PEAK_NEIGHBOURHOOD) && isPeak; k++) {
                // strict on the left, non-strict on the right: a plateau counts once
                isPeak = k < i ? t.scratch[k] < t.scratch[i] : k == i || t.scratch[k] <= t.scratch[i];
            }
            if (isPeak) {
                peaks++;
            }
        }
        return peaks;
    }

    static void summariseTiming(int samples, int frames, FrameTrack t, double[] out) {
        int active = 0;
        int voiced = 0;
        for (int i = 0; i < frames; i++) {
            active += t.active[i] ? 1 : 0;
            voiced += t.voiced[i] ? 1 : 0;
        }
        out[ACTIVE_RATIO.ordinal()] = frames == 0 ? 0 : active / (double) frames;
        out[VOICED_RATIO.ordinal()] = active == 0 ? 0 : voiced / (double) active;
        // runs of voiced frames and the gaps between them
        int runs = 0;
        int gaps = 0;
        double[] runLengths = t.values;
        double[] gapLengths = t.scratch;
        int i = 0;
        int lastRunEnd = -1;
        while (i < frames) {
            if (!t.voiced[i]) {
                i++;
                continue;
            }
            int end = i;
            while (end < frames && t.voiced[end]) {
                end++;
            }
            if (lastRunEnd >= 0) {
                gapLengths[gaps++] = (i - lastRunEnd) * ProsodyFeatureExtractor.HOP_SECONDS;
            }
            runLengths[runs++] = (end - i) * ProsodyFeatureExtractor.HOP_SECONDS;
            lastRunEnd = end;
            i = end;
        }
        double seconds = samples / (double) ProsodyFeatureExtractor.SAMPLE_RATE;
        out[VOICED_RUNS_PER_SECOND.ordinal()] = seconds == 0 ? 0 : runs / seconds;
        out[VOICED_RUN_MEAN.ordinal()] = Functionals.mean(runLengths, runs);
        out[VOICED_RUN_STD.ordinal()] = Functionals.std(runLengths, runs);
        out[UNVOICED_RUN_MEAN.ordinal()] = Functionals.mean(gapLengths, gaps);
        out[UNVOICED_RUN_STD.ordinal()] = Functionals.std(gapLengths, gaps);
    }

    static void summariseSpectra(int frames, FrameTrack t, double[] out) {
        meanStd(frames, t, t.centroid, Selection.ACTIVE, out, CENTROID_MEAN, CENTROID_STD);
        meanStd(frames, t, t.rolloff, Selection.ACTIVE, out, ROLLOFF85_MEAN, ROLLOFF85_STD);
        meanStd(frames, t, t.flux, Selection.ACTIVE, out, FLUX_MEAN, FLUX_STD);
        meanStd(frames, t, t.flatness, Selection.ACTIVE, out, FLATNESS_MEAN, FLATNESS_STD);
        meanStd(frames, t, t.slope0to500, Selection.VOICED, out, SLOPE_0_500_VOICED_MEAN, SLOPE_0_500_VOICED_STD);
        meanStd(frames, t, t.slope500to1500, Selection.VOICED, out, SLOPE_500_1500_VOICED_MEAN, SLOPE_500_1500_VOICED_STD);
        meanStd(frames, t, t.alphaRatio, Selection.VOICED, out, ALPHA_RATIO_VOICED_MEAN, ALPHA_RATIO_VOICED_STD);
        meanStd(frames, t, t.hammarberg, Selection.VOICED, out, HAMMARBERG_VOICED_MEAN, HAMMARBERG_VOICED_STD);
        meanStd(frames, t, t.alphaRatio, Selection.UNVOICED, out, ALPHA_RATIO_UNVOICED_MEAN, null);
        meanStd(frames, t, t.hammarberg, Selection.UNVOICED, out, HAMMARBERG_UNVOICED_MEAN, null);
        meanStd(frames, t, t.slope500to1500, Selection.UNVOICED, out, SLOPE_500_1500_UNVOICED_MEAN, null);

        // MFCC means and deviations over active frames, and deviations of their deltas
        int n = 0;
        for (int i = 0; i < frames; i++) {
            if (t.active[i]) {
                t.order[n++] = i;
            }
        }
        for (int c = 0; c < SpectralFrameAnalyzer.CEPSTRA; c++) {
            for (int k = 0; k < n; k++) {
                t.values[k] = t.mfcc[t.order[k] * SpectralFrameAnalyzer.CEPSTRA + c];
            }
            out[MFCC1_MEAN.ordinal() + c] = Functionals.mean(t.values, n);
            out[MFCC1_STD.ordinal() + c] = Functionals.std(t.values, n);
            for (int k = 0; k < n; k++) {
                double d = 0;
                for (int lag = 1; lag <= 2; lag++) {
                    d += lag * (t.values[Math.min(n - 1, k + lag)] - t.values[Math.max(0, k - lag)]);
                }
                t.scratch2[k] = d / 10;
            }
            out[MFCC1_DELTA_STD.ordinal() + c] = Functionals.std(t.scratch2, n);
        }
    }

    private enum Selection { ACTIVE, VOICED, UNVOICED }

    private static void meanStd(int frames, FrameTrack t, double[] values, Selection selection,
                                double[] out, ProsodyFeature meanFeature, ProsodyFeature stdFeature) {
        int n = 0;
        for (int i = 0; i < frames; i++) {
            boolean take = switch (selection) {
                case ACTIVE -> t.active[i];
                case VOICED -> t.voiced[i];
                case UNVOICED -> t.active[i] && !t.voiced[i];
            };
            if (take && !Double.isNaN(values[i])) {
                t.values[n++] = values[i];
            }
        }
        out[meanFeature.ordinal()] = Functionals.mean(t.values, n);
        if (stdFeature != null) {
            out[stdFeature.ordinal()] = Functionals.std(t.values, n);
        }
    }
}
