package io.mister.encoder.speech;

import io.mister.encoder.Encoder;
import io.mister.encoder.EncoderId;
import io.mister.encoder.audio.PcmAudio;
import java.util.ArrayList;
import java.util.List;

/**
 * The default speech encoder, {@code mister-prosody@1}: an utterance-level acoustic-prosodic
 * feature vector (pitch, loudness, timing, voice quality, spectral shape, MFCC statistics; see
 * {@link ProsodyFeature} for every dimension) standardised with statistics fitted on EmoDB
 * training speakers. Built from signal processing alone, so it needs no model download and runs at
 * several hundred utterances per second on one core.
 *
 * <p>Thread-safe: each thread gets its own feature extractor (FFT plans and buffers). Deterministic:
 * the same audio gives the same bits. A {@code null} input (no audio for that turn) gives a
 * {@code null} embedding.
 */
public final class ProsodySpeechEncoder implements Encoder<PcmAudio> {

    /** Identity of this encoder; bump the version whenever features or statistics change. */
    public static final EncoderId ID = new EncoderId("mister-prosody", "1", ProsodyFeature.COUNT);

    private final Standardization standardization;
    private final ThreadLocal<ProsodyFeatureExtractor> extractors =
            ThreadLocal.withInitial(ProsodyFeatureExtractor::new);

    /** The encoder with its shipped standardisation statistics. */
    public ProsodySpeechEncoder() {
        this(Standardization.loadDefault());
    }

    /** The encoder with other statistics (for fitting and evaluation). */
    public ProsodySpeechEncoder(Standardization standardization) {
        this.standardization = standardization;
    }

    @Override
    public EncoderId id() {
        return ID;
    }

    @Override
    public List<float[]> encode(List<PcmAudio> inputs) {
        List<float[]> out = new ArrayList<>(inputs.size());
        for (PcmAudio audio : inputs) {
            out.add(audio == null ? null : encode(audio));
        }
        return out;
    }

    /** The embedding of one utterance. */
    public float[] encode(PcmAudio audio) {
        return standardization.apply(rawFeatures(audio));
    }

    /** The unstandardised features of one utterance, NaN where undefined (for fitting and analysis). */
    public double[] rawFeatures(PcmAudio audio) {
        return extractors.get().extract(audio);
    }

    /** Nothing native to release; extractors are per-thread garbage. */
    @Override
    public void close() {
        extractors.remove();
    }
}
