package io.mister.processor.context;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.utils.Bytes;

/**
 * Keys of the context and outputs stores. Two key spaces share the context store, told apart by the
 * first byte:
 * <ul>
 *   <li>a turn: {@code 'T' | int length | conversation_id UTF-8 | seq as 8 big-endian bytes};</li>
 *   <li>a conversation's metadata: {@code 'M' | int length | conversation_id UTF-8}.</li>
 * </ul>
 * The length prefix makes one conversation's keys a prefix no other conversation shares ("c-1" vs
 * "c-10"); the big-endian, non-negative seq makes RocksDB's byte order the turn order, so a range scan
 * over the prefix returns the window oldest first.
 */
public final class TurnKey {

    private static final byte TURN = 'T';
    private static final byte META = 'M';
    private static final int SEQ_BYTES = Long.BYTES;

    private TurnKey() {}

    public static Bytes of(String conversationId, long seq) {
        if (seq < 0) {
            throw new IllegalArgumentException("seq must be >= 0, was " + seq);
        }
        byte[] id = conversationId.getBytes(StandardCharsets.UTF_8);
        return Bytes.wrap(ByteBuffer.allocate(1 + Integer.BYTES + id.length + SEQ_BYTES)
                .put(TURN).putInt(id.length).put(id).putLong(seq).array());
    }

    /** The smallest turn key of a conversation. */
    public static Bytes first(String conversationId) {
        return of(conversationId, 0);
    }

    /** The largest turn key of a conversation. */
    public static Bytes last(String conversationId) {
        return of(conversationId, Long.MAX_VALUE);
    }

    public static long seq(Bytes key) {
        byte[] raw = key.get();
        return ByteBuffer.wrap(raw, raw.length - SEQ_BYTES, SEQ_BYTES).getLong();
    }

    /** The key of a conversation's metadata entry. */
    public static Bytes meta(String conversationId) {
        byte[] id = conversationId.getBytes(StandardCharsets.UTF_8);
        return Bytes.wrap(ByteBuffer.allocate(1 + Integer.BYTES + id.length).put(META).putInt(id.length).put(id).array());
    }

    /** Lower bound of all metadata keys (inclusive). */
    public static Bytes firstMeta() {
        return Bytes.wrap(new byte[] {META});
    }

    /** Upper bound of all metadata keys: a one-byte key every metadata key sorts below. */
    public static Bytes lastMeta() {
        return Bytes.wrap(new byte[] {META + 1});
    }

    /** The conversation id of any key. */
    public static String conversationId(Bytes key) {
        ByteBuffer buffer = ByteBuffer.wrap(key.get());
        buffer.get();
        int length = buffer.getInt();
        return new String(key.get(), 1 + Integer.BYTES, length, StandardCharsets.UTF_8);
    }
}
