package io.mister.encoder.speech;

import static io.mister.encoder.speech.ProsodyFeature.*;

import io.mister.encoder.audio.PcmAudio;
import io.mister.encoder.audio.Resampler;
import java.util.Arrays;

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
    /** Frames quieter than this (dB full scale) are never active. */
    static final double ABSOLUTE_ACTIVITY_FLOOR_DB = -60;
    /** Frames more than this below the utterance's loud frames (95th percentile) are inactive. */
    static final double RELATIVE_ACTIVITY_RANGE_DB = 40;
    /** Voiced runs shorter than this many frames are treated as unvoiced (spurious detections). */
    private static final int MIN_VOICED_RUN = 3;
    private static final float SAMPLE_LIMIT = 4f;
    private static final double POWER_FLOOR = 1e-12;
    private static final int PITCH_HOP = HOP / 2;            // at 8 kHz
    private static final int PITCH_CENTRE = FRAME / 4;       // frame centre at 8 kHz

    private final Resampler to16k = new Resampler(SAMPLE_RATE);
    /** A shorter filter than the decoder's: the pitch path only needs the band below 1 kHz clean. */
    private final Resampler to8k = new Resampler(PitchTracker.SAMPLE_RATE, 8);
    private final PitchTracker pitch = new PitchTracker();
    private final PeriodPerturbation perturbation = new PeriodPerturbation();
    private final SpectralFrameAnalyzer spectra = new SpectralFrameAnalyzer();

    private FrameTrack track = new FrameTrack(512);

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
        spectra.analyse(s, frames, t);
        double[] out = new double[ProsodyFeature.COUNT];
        Arrays.fill(out, Double.NaN);
        UtteranceStatistics.summarisePitch(frames, t, out);
        UtteranceStatistics.summariseLoudness(frames, t, out);
        UtteranceStatistics.summariseTiming(s.length, frames, t, out);
        summariseVoiceQuality(s8, frames, t, out);
        UtteranceStatistics.summariseSpectra(frames, t, out);
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
}
