package io.mister.encoder.speech;

import static io.mister.encoder.speech.ProsodyFeature.*;

import io.mister.encoder.audio.PcmAudio;
import io.mister.encoder.audio.Resampler;
import java.util.Arrays;
import org.jtransforms.fft.DoubleFFT_1D;

/**
 * Computes the raw (unstandardised) {@link ProsodyFeature} vector of one utterance: frame-level
 * pitch, loudness, spectral and cepstral descriptors summarised by utterance-level statistics, in
 * the spirit of eGeMAPS. Values undefined for an utterance are {@code NaN}.
 *
 * <p>Steps: resample to 16 kHz; trim exact-zero digital silence at both ends (padding must not look
 * like speech); 25 ms Hamming frames every 10 ms; an activity decision on frame energy; YIN pitch on
 * active frames (on an 8 kHz copy); voiced runs shorter than 30 ms are dropped and F0 is
 * median-smoothed within runs; then the statistics.
 *
 * <p>Deterministic (StrictMath for transcendental functions, single-threaded FFT). Not
 * thread-safe: it owns FFT plans and buffers; use one instance per thread.
 */
final class ProsodyFeatureExtractor {

    static final int SAMPLE_RATE = 16_000;
    static final int FRAME = 400;
    static final int HOP = 160;
    static final double HOP_SECONDS = HOP / (double) SAMPLE_RATE;
    private static final int FFT_SIZE = 512;
    private static final int BINS = FFT_SIZE / 2 + 1;
    private static final double BIN_HZ = SAMPLE_RATE / (double) FFT_SIZE;
    private static final int MEL_BANDS = 26;
    private static final int CEPSTRA = 12;
    /** Frames quieter than this (dB full scale) are never active. */
    static final double ABSOLUTE_ACTIVITY_FLOOR_DB = -60;
    /** Frames more than this below the utterance's loud frames (95th percentile) are inactive. */
    static final double RELATIVE_ACTIVITY_RANGE_DB = 40;
    /** Voiced runs shorter than this many frames are treated as unvoiced (spurious detections). */
    private static final int MIN_VOICED_RUN = 3;
    private static final float SAMPLE_LIMIT = 4f;
    private static final double POWER_FLOOR = 1e-12;
    private static final double MEL_FLOOR = 1e-10;
    private static final double SEMITONE_REFERENCE_HZ = 27.5;
    private static final double LN2 = StrictMath.log(2);
    private static final int PITCH_HOP = HOP / 2;            // at 8 kHz
    private static final int PITCH_CENTRE = FRAME / 4;       // frame centre at 8 kHz
    private static final int PEAK_NEIGHBOURHOOD = 5;         // frames either side for loudness peaks

    private final Resampler to16k = new Resampler(SAMPLE_RATE);
    /** A shorter filter than the decoder's: the pitch path only needs the band below 1 kHz clean. */
    private final Resampler to8k = new Resampler(PitchTracker.SAMPLE_RATE, 8);
    private final DoubleFFT_1D fft = new DoubleFFT_1D(FFT_SIZE);
    private final MelFilterBank mel = new MelFilterBank(MEL_BANDS, FFT_SIZE, SAMPLE_RATE, 20, 8000, CEPSTRA);
    private final PitchTracker pitch = new PitchTracker();
    private final PeriodPerturbation perturbation = new PeriodPerturbation();
    private final double[] window = new double[FRAME];
    private final double[] spectrum = new double[FFT_SIZE];
    private final double[] power = new double[BINS];
    private final double[] melEnergy = new double[MEL_BANDS];
    private final double[] logMel = new double[MEL_BANDS];
    private final double[] previousLogMel = new double[MEL_BANDS];
    private final double[] cepstrum = new double[CEPSTRA];
    private final double[] binFrequencyKhz = new double[BINS];

    private FrameTrack track = new FrameTrack(512);

    ProsodyFeatureExtractor() {
        for (int i = 0; i < FRAME; i++) {
            window[i] = 0.54 - 0.46 * StrictMath.cos(2 * Math.PI * i / (FRAME - 1));
        }
        for (int k = 0; k < BINS; k++) {
            binFrequencyKhz[k] = k * BIN_HZ / 1000;
        }
    }

    /** The raw feature vector ({@link ProsodyFeature#COUNT} values, NaN where undefined). */
    double[] extract(PcmAudio audio) {
        float[] x = to16k.resample(sanitised(audio)).samples();
        float[] s = trimDigitalSilence(x);
        int frames = s.length == 0 ? 0 : s.length <= FRAME ? 1 : 1 + (s.length - FRAME) / HOP;
        if (track.capacity < frames) {
            track = new FrameTrack(Math.max(frames, 2 * track.capacity));
        }
        FrameTrack t = track;
        measureEnergy(s, frames, t);
        decideActivity(frames, t);
        float[] s8 = frames == 0 ? new float[0] : to8k.resample(new PcmAudio(s, SAMPLE_RATE)).samples();
        trackPitch(s8, frames, t);
        analyseSpectra(s, frames, t);
        double[] out = new double[ProsodyFeature.COUNT];
        Arrays.fill(out, Double.NaN);
        summarisePitch(frames, t, out);
        summariseLoudness(frames, t, out);
        summariseTiming(s.length, frames, t, out);
        summariseVoiceQuality(s8, frames, t, out);
        summariseSpectra(frames, t, out);
        return out;
    }

    /**
     * NaN becomes 0 and samples are clipped to +-4 (far outside the nominal [-1, 1], so resampling
     * overshoot of real audio is untouched), so no input can poison the statistics.
     */
    private static PcmAudio sanitised(PcmAudio audio) {
        float[] x = audio.samples();
        for (float v : x) {
            if (!(v >= -SAMPLE_LIMIT && v <= SAMPLE_LIMIT)) {
                float[] clean = new float[x.length];
                for (int i = 0; i < x.length; i++) {
                    clean[i] = Float.isNaN(x[i]) ? 0f : Math.max(-SAMPLE_LIMIT, Math.min(SAMPLE_LIMIT, x[i]));
                }
                return new PcmAudio(clean, audio.sampleRate());
            }
        }
        return audio;
    }

    /** Drops exact zeros at both ends: zero padding is an artefact of the file, not silence of the speaker. */
    static float[] trimDigitalSilence(float[] x) {
        int from = 0;
        while (from < x.length && x[from] == 0f) {
            from++;
        }
        int to = x.length;
        while (to > from && x[to - 1] == 0f) {
            to--;
        }
        return from == 0 && to == x.length ? x : Arrays.copyOfRange(x, from, to);
    }

    private static void measureEnergy(float[] s, int frames, FrameTrack t) {
        for (int i = 0; i < frames; i++) {
            int start = i * HOP;
            int end = Math.min(s.length, start + FRAME);
            double sum = 0;
            boolean allZero = true;
            for (int j = start; j < end; j++) {
                sum += s[j] * s[j];
                allZero &= s[j] == 0f;
            }
            t.energyDb[i] = 10 * StrictMath.log10(sum / FRAME + POWER_FLOOR);
            t.digitalSilence[i] = allZero;
        }
    }

    private static void decideActivity(int frames, FrameTrack t) {
        if (frames == 0) {
            return;
        }
        double[] sorted = Arrays.copyOf(t.energyDb, frames);
        Arrays.sort(sorted);
        double loud = sorted[(int) Math.floor(0.95 * (frames - 1))];
        double threshold = Math.max(ABSOLUTE_ACTIVITY_FLOOR_DB, loud - RELATIVE_ACTIVITY_RANGE_DB);
        for (int i = 0; i < frames; i++) {
            t.active[i] = !t.digitalSilence[i] && t.energyDb[i] > threshold;
        }
    }

    private void trackPitch(float[] s8, int frames, FrameTrack t) {
        for (int i = 0; i < frames; i++) {
            t.f0[i] = 0;
            t.voiced[i] = false;
            if (!t.active[i]) {
                continue;
            }
            pitch.analyse(s8, i * PITCH_HOP + PITCH_CENTRE - PitchTracker.window() / 2, true);
            t.f0[i] = pitch.f0;
            t.hnrDb[i] = pitch.hnrDb;
            t.h1h2Db[i] = pitch.h1h2Db;
            t.voiced[i] = pitch.f0 > 0 && pitch.aperiodicity < PitchTracker.VOICING_THRESHOLD;
        }
        // drop runs too short to be voicing
        int i = 0;
        while (i < frames) {
            if (!t.voiced[i]) {
                i++;
                continue;
            }
            int end = i;
            while (end < frames && t.voiced[end]) {
                end++;
            }
            if (end - i < MIN_VOICED_RUN) {
                Arrays.fill(t.voiced, i, end, false);
            } else {
                // 3-point median within the run tames single-frame octave slips
                for (int k = i; k < end; k++) {
                    double a = t.f0[Math.max(i, k - 1)];
                    double b = t.f0[k];
                    double c = t.f0[Math.min(end - 1, k + 1)];
                    t.f0Smoothed[k] = Math.max(Math.min(a, b), Math.min(Math.max(a, b), c));
                }
            }
            i = end;
        }
    }

    private void analyseSpectra(float[] s, int frames, FrameTrack t) {
        boolean previousActive = false;
        for (int i = 0; i < frames; i++) {
            t.loudness[i] = 0;
            if (!t.active[i]) {
                previousActive = false;
                continue;
            }
            int start = i * HOP;
            Arrays.fill(spectrum, 0);
            int end = Math.min(FRAME, s.length - start);
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

    private static void summarisePitch(int frames, FrameTrack t, double[] out) {
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
        double[] slopes = Functionals.risingFallingSlopes(t.values, t.runStart, n, HOP_SECONDS);
        out[F0_RISING_SLOPE.ordinal()] = slopes[0];
        out[F0_FALLING_SLOPE.ordinal()] = slopes[1];
    }

    private static void summariseLoudness(int frames, FrameTrack t, double[] out) {
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
        double[] slopes = Functionals.risingFallingSlopes(t.values, t.runStart, n, HOP_SECONDS);
        out[LOUDNESS_RISING_SLOPE.ordinal()] = slopes[0];
        out[LOUDNESS_FALLING_SLOPE.ordinal()] = slopes[1];
        out[LOUDNESS_PEAKS_PER_SECOND.ordinal()] = frames == 0 ? 0 : loudnessPeaks(frames, t) / (frames * HOP_SECONDS);

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

    private static void summariseTiming(int samples, int frames, FrameTrack t, double[] out) {
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
                gapLengths[gaps++] = (i - lastRunEnd) * HOP_SECONDS;
            }
            runLengths[runs++] = (end - i) * HOP_SECONDS;
            lastRunEnd = end;
            i = end;
        }
        double seconds = samples / (double) SAMPLE_RATE;
        out[VOICED_RUNS_PER_SECOND.ordinal()] = seconds == 0 ? 0 : runs / seconds;
        out[VOICED_RUN_MEAN.ordinal()] = Functionals.mean(runLengths, runs);
        out[VOICED_RUN_STD.ordinal()] = Functionals.std(runLengths, runs);
        out[UNVOICED_RUN_MEAN.ordinal()] = Functionals.mean(gapLengths, gaps);
        out[UNVOICED_RUN_STD.ordinal()] = Functionals.std(gapLengths, gaps);
    }

    private void summariseVoiceQuality(float[] s8, int frames, FrameTrack t, double[] out) {
        perturbation.reset();
        int n = 0;
        int h = 0;
        int i = 0;
        while (i < frames) {
            if (!t.voiced[i]) {
                i++;
                continue;
            }
            int first = i;
            int end = i;
            while (end < frames && t.voiced[end]) {
                end++;
            }
            int last = end - 1;
            perturbation.addRun(s8,
                    first * PITCH_HOP + PITCH_CENTRE - PITCH_HOP / 2,
                    last * PITCH_HOP + PITCH_CENTRE + PITCH_HOP / 2,
                    position -> {
                        int frame = (int) Math.round((position - PITCH_CENTRE) / (double) PITCH_HOP);
                        frame = Math.max(first, Math.min(last, frame));
                        return PitchTracker.SAMPLE_RATE / t.f0Smoothed[frame];
                    });
            for (int k = first; k < end; k++) {
                t.values[n++] = t.hnrDb[k];
                if (!Double.isNaN(t.h1h2Db[k])) {
                    t.scratch2[h++] = t.h1h2Db[k];
                }
            }
            i = end;
        }
        out[JITTER_LOCAL.ordinal()] = perturbation.jitter();
        out[SHIMMER_LOCAL_DB.ordinal()] = perturbation.shimmerDb();
        out[HNR_MEAN.ordinal()] = Functionals.mean(t.values, n);
        out[HNR_STD.ordinal()] = Functionals.std(t.values, n);
        out[H1_H2_MEAN.ordinal()] = Functionals.mean(t.scratch2, h);
        out[H1_H2_STD.ordinal()] = Functionals.std(t.scratch2, h);
    }

    private static void summariseSpectra(int frames, FrameTrack t, double[] out) {
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
        for (int c = 0; c < CEPSTRA; c++) {
            for (int k = 0; k < n; k++) {
                t.values[k] = t.mfcc[t.order[k] * CEPSTRA + c];
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

    /** Per-frame measurements of one utterance; reused across utterances by one extractor. */
    private static final class FrameTrack {
        final int capacity;
        final double[] energyDb;
        final boolean[] digitalSilence;
        final boolean[] active;
        final boolean[] voiced;
        final double[] f0;
        final double[] f0Smoothed;
        final double[] hnrDb;
        final double[] h1h2Db;
        final double[] loudness;
        final double[] flatness;
        final double[] flux;
        final double[] centroid;
        final double[] rolloff;
        final double[] alphaRatio;
        final double[] hammarberg;
        final double[] slope0to500;
        final double[] slope500to1500;
        final double[] mfcc;
        final double[] values;
        final double[] scratch;
        final double[] scratch2;
        final boolean[] runStart;
        final int[] order;

        FrameTrack(int capacity) {
            this.capacity = capacity;
            energyDb = new double[capacity];
            digitalSilence = new boolean[capacity];
            active = new boolean[capacity];
            voiced = new boolean[capacity];
            f0 = new double[capacity];
            f0Smoothed = new double[capacity];
            hnrDb = new double[capacity];
            h1h2Db = new double[capacity];
            loudness = new double[capacity];
            flatness = new double[capacity];
            flux = new double[capacity];
            centroid = new double[capacity];
            rolloff = new double[capacity];
            alphaRatio = new double[capacity];
            hammarberg = new double[capacity];
            slope0to500 = new double[capacity];
            slope500to1500 = new double[capacity];
            mfcc = new double[capacity * CEPSTRA];
            values = new double[capacity];
            scratch = new double[capacity];
            scratch2 = new double[capacity];
            runStart = new boolean[capacity];
            order = new int[capacity];
        }
    }
}
