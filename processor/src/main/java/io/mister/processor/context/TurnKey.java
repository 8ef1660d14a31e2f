package io.mister.processor.context;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.utils.Bytes;

/**
 * Keys of the per-turn stores: {@code int length | conversation_id UTF-8 | seq as 8 big-endian bytes}.
 * The length prefix makes one conversation's keys a prefix that no other conversation shares
 * ("c-1" vs "c-10"); the big-endian, non-negative seq makes RocksDB's byte order the turn order, so a
 * range scan over the prefix returns the window oldest first.
 */
public final class TurnKey {

    private static final int SEQ_BYTES = Long.BYTES;

    private TurnKey() {}

    public static Bytes of(String conversationId, long seq) {
        if (seq < 0) {
            throw new IllegalArgumentException("seq must be >= 0, was " + seq);
        }
        byte[] id = conversationId.getBytes(StandardCharsets.UTF_8);
        return Bytes.wrap(ByteBuffer.allocate(Integer.BYTES + id.length + SEQ_BYTES)
                .putInt(id.length).put(id).putLong(seq).array());
    }

    /** The smallest key of a conversation. */
    public static Bytes first(String conversationId) {
        return of(conversationId, 0);
    }

    /** The largest key of a conversation. */
    public static Bytes last(String conversationId) {
        return of(conversationId, Long.MAX_VALUE);
    }

    public static long seq(Bytes key) {
        byte[] raw = key.get();
        return ByteBuffer.wrap(raw, raw.length - SEQ_BYTES, SEQ_BYTES).getLong();
    }

    public static String conversationId(Bytes key) {
        ByteBuffer buffer = ByteBuffer.wrap(key.get());
        int length = buffer.getInt();
        return new String(key.get(), Integer.BYTES, length, StandardCharsets.UTF_8);
    }
}
