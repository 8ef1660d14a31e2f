package io.mister.processor.lifecycle;

import io.mister.deadletter.DeadLetterReason;
import io.mister.deadletter.InputGate;
import io.mister.deadletter.RejectedRecordException;
import io.mister.events.EncoderInfo;
import io.mister.events.UtteranceEmbedding;
import io.mister.processor.inference.InputExpectations;
import java.util.List;

/**
 * The stateless checks of an embedding, run by the {@link InputGate}: identity (conversation id, key,
 * seq), at least one modality, encoders and dimensions as the model expects, finite values. A failure
 * names the reason the DLQ header carries.
 */
public final class EmbeddingValidator implements InputGate.Validator<EmbeddingArrival> {

    private final InputExpectations expected;

    public EmbeddingValidator(InputExpectations expected) {
        this.expected = expected;
    }

    @Override
    public EmbeddingArrival check(String key, EmbeddingArrival arrival) {
        UtteranceEmbedding e = arrival.embedding();
        String id = e.getConversationId();
        if (id == null || id.isBlank()) {
            throw new RejectedRecordException(DeadLetterReason.EMPTY_CONVERSATION_ID, "conversation_id is empty");
        }
        if (!id.equals(key)) {
            throw new RejectedRecordException(DeadLetterReason.KEY_MISMATCH,
                    "record key '" + key + "' differs from conversation_id '" + id + "'");
        }
        if (e.getSeq() < 0) {
            throw new RejectedRecordException(DeadLetterReason.NEGATIVE_SEQ, "seq is negative: " + e.getSeq());
        }
        if (e.getTextEmbedding() == null && e.getSpeechEmbedding() == null) {
            throw new RejectedRecordException(DeadLetterReason.NO_MODALITY, "turn " + e.getSeq() + " has neither a text nor a speech embedding");
        }
        checkEncoder("text", e.getTextEncoder(), expected.textEncoder(), expected.textDim(), e.getTextEmbedding());
        checkEncoder("speech", e.getSpeechEncoder(), expected.speechEncoder(), expected.speechDim(), e.getSpeechEmbedding());
        return arrival;
    }

    private static void checkEncoder(String modality, EncoderInfo encoder, String expectedId, int expectedDim, List<Float> embedding) {
        String id = encoder.getId() + "@" + encoder.getVersion();
        if (!id.equals(expectedId)) {
            throw new RejectedRecordException(DeadLetterReason.ENCODER_MISMATCH,
                    modality + " encoder is " + id + " but the model expects " + expectedId);
        }
        if (encoder.getDim() != expectedDim) {
            throw new RejectedRecordException(DeadLetterReason.DIMENSION_MISMATCH,
                    modality + " encoder declares dim " + encoder.getDim() + " but the model expects " + expectedDim);
        }
        if (embedding == null) {
            return;
        }
        if (embedding.size() != expectedDim) {
            throw new RejectedRecordException(DeadLetterReason.DIMENSION_MISMATCH,
                    modality + " embedding has " + embedding.size() + " values but the model expects " + expectedDim);
        }
        for (int i = 0; i < embedding.size(); i++) {
            Float value = embedding.get(i);
            if (value == null || !Float.isFinite(value)) {
                throw new RejectedRecordException(DeadLetterReason.NON_FINITE,
                        modality + " embedding value " + i + " is " + value);
            }
        }
    }
}
