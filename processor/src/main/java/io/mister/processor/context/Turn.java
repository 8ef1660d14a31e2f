package io.mister.processor.context;

import io.mister.events.UtteranceEmbedding;
import java.util.List;

/**
 * One turn as the head sees it: its identity and the embedding of each present modality (null when
 * that modality is absent).
 *
 * @param utteranceId the turn's id, unique within its conversation
 * @param seq turn number within the conversation
 * @param eventTime the utterance's event time, epoch milliseconds
 * @param text text embedding, or null when the turn had no text
 * @param speech speech embedding, or null when the turn had no audio
 */
public record Turn(String utteranceId, long seq, long eventTime, float[] text, float[] speech) {

    /** The turn an embedding record describes (its vectors copied out of Avro's boxed lists). */
    public static Turn of(UtteranceEmbedding embedding) {
        return new Turn(embedding.getUtteranceId(), embedding.getSeq(), embedding.getEventTime().toEpochMilli(),
                floats(embedding.getTextEmbedding()), floats(embedding.getSpeechEmbedding()));
    }

    private static float[] floats(List<Float> values) {
        if (values == null) {
            return null;
        }
        float[] array = new float[values.size()];
        for (int i = 0; i < array.length; i++) {
            array[i] = values.get(i);
        }
        return array;
    }

    public boolean textPresent() {
        return text != null;
    }

    public boolean speechPresent() {
        return speech != null;
    }
}
