package io.mister.processor.context;

import java.nio.ByteBuffer;

/**
 * A turn as kept in the turn store, with its arrival ordinal (1 for the conversation's first accepted
 * turn, 2 for the next...). The ordinal lets a window be rebuilt exactly as it was when a turn arrived,
 * even after later or late turns were stored, which keeps provisional scores independent of when the
 * batch was flushed.
 *
 * <p>Binary layout (big-endian): {@code version:1 | arrival:int | event_time:long | utterance_id:string |
 * text:vector | speech:vector}, where a vector is {@code length:int (-1 = absent) | float32 * length}.
 */
public record StoredTurn(Turn turn, int arrival) {

    private static final byte VERSION = 1;

    public byte[] toBytes() {
        int size = 1 + Integer.BYTES + Long.BYTES + BinaryFields.stringSize(turn.utteranceId())
                + BinaryFields.vectorSize(turn.text()) + BinaryFields.vectorSize(turn.speech());
        ByteBuffer buffer = ByteBuffer.allocate(size);
        buffer.put(VERSION).putInt(arrival).putLong(turn.eventTime());
        BinaryFields.putString(buffer, turn.utteranceId());
        BinaryFields.putVector(buffer, turn.text());
        BinaryFields.putVector(buffer, turn.speech());
        return buffer.array();
    }

    public static StoredTurn fromBytes(long seq, byte[] bytes) {
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        BinaryFields.requireVersion(buffer, VERSION, "turn");
        int arrival = buffer.getInt();
        long eventTime = buffer.getLong();
        String utteranceId = BinaryFields.getString(buffer);
        float[] text = BinaryFields.getVector(buffer);
        float[] speech = BinaryFields.getVector(buffer);
        return new StoredTurn(new Turn(utteranceId, seq, eventTime, text, speech), arrival);
    }
}
