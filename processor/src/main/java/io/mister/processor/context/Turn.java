package io.mister.processor.context;

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

    public boolean textPresent() {
        return text != null;
    }

    public boolean speechPresent() {
        return speech != null;
    }
}
