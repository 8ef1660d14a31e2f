package io.mister.processor.context;

import java.nio.ByteBuffer;

/**
 * What was last emitted for a turn: the label (index into the model's labels), its revision and the
 * probabilities. Revisions compare against it; the interactive timeline reads it.
 *
 * <p>Binary layout: {@code version:1 | label:int | revision:int | event_time:long | utterance_id:string |
 * probabilities:vector | model_version:string}.
 */
public record TurnOutput(String utteranceId, long seq, long eventTime, int label, int revision,
                         float[] probabilities, String modelVersion) {

    private static final byte VERSION = 1;

    public float confidence() {
        return probabilities[label];
    }

    public byte[] toBytes() {
        int size = 1 + 2 * Integer.BYTES + Long.BYTES + BinaryFields.stringSize(utteranceId)
                + BinaryFields.vectorSize(probabilities) + BinaryFields.stringSize(modelVersion);
        ByteBuffer buffer = ByteBuffer.allocate(size);
        buffer.put(VERSION).putInt(label).putInt(revision).putLong(eventTime);
        BinaryFields.putString(buffer, utteranceId);
        BinaryFields.putVector(buffer, probabilities);
        BinaryFields.putString(buffer, modelVersion);
        return buffer.array();
    }

    public static TurnOutput fromBytes(long seq, byte[] bytes) {
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        BinaryFields.requireVersion(buffer, VERSION, "turn output");
        int label = buffer.getInt();
        int revision = buffer.getInt();
        long eventTime = buffer.getLong();
        String utteranceId = BinaryFields.getString(buffer);
        float[] probabilities = BinaryFields.getVector(buffer);
        String modelVersion = BinaryFields.getString(buffer);
        return new TurnOutput(utteranceId, seq, eventTime, label, revision, probabilities, modelVersion);
    }
}
