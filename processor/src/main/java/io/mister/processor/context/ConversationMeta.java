package io.mister.processor.context;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * The small per-conversation entry: how far the conversation got, when it was last active, whether it
 * ended, and which arrivals still wait for their provisional event. Its size is bounded (the pending
 * list holds at most one batch), so rewriting it on every turn keeps the changelog linear.
 *
 * @param maxSeq the highest seq stored, -1 before the first turn
 * @param turnCount turns stored
 * @param arrivals turns accepted so far (the last arrival ordinal)
 * @param lastActivityMs wall-clock time of the last accepted turn (for the inactivity timeout only)
 * @param endedAtMs wall-clock time the conversation was finalised, or -1 while it is open
 * @param pending arrivals whose provisional event is not emitted yet, oldest first
 */
public record ConversationMeta(long maxSeq, int turnCount, int arrivals, long lastActivityMs, long endedAtMs,
                               List<PendingArrival> pending) {

    private static final byte VERSION = 1;

    public ConversationMeta {
        pending = List.copyOf(pending);
    }

    public static ConversationMeta open(long nowMs) {
        return new ConversationMeta(-1, 0, 0, nowMs, -1, List.of());
    }

    public boolean ended() {
        return endedAtMs >= 0;
    }

    /** The metadata after one more accepted turn. */
    public ConversationMeta withArrival(PendingArrival arrival, List<PendingArrival> stillPending, long nowMs) {
        List<PendingArrival> next = new ArrayList<>(stillPending);
        next.add(arrival);
        return new ConversationMeta(Math.max(maxSeq, arrival.seq()), turnCount + 1, arrival.arrival(), nowMs, -1, next);
    }

    /** The tombstone-like marker kept for the end grace, so that stragglers are recognised. */
    public ConversationMeta endedAt(long nowMs) {
        return new ConversationMeta(maxSeq, turnCount, arrivals, lastActivityMs, nowMs, List.of());
    }

    public byte[] toBytes() {
        ByteBuffer buffer = ByteBuffer.allocate(1 + 2 * Long.BYTES + 2 * Integer.BYTES + 2 * Long.BYTES
                + Integer.BYTES + pending.size() * (2 * Long.BYTES + Integer.BYTES));
        buffer.put(VERSION).putLong(maxSeq).putInt(turnCount).putInt(arrivals).putLong(lastActivityMs).putLong(endedAtMs);
        buffer.putInt(pending.size());
        for (PendingArrival p : pending) {
            buffer.putLong(p.seq()).putInt(p.arrival()).putLong(p.windowEnd());
        }
        return buffer.array();
    }

    public static ConversationMeta fromBytes(String conversationId, byte[] bytes) {
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        BinaryFields.requireVersion(buffer, VERSION, "conversation metadata");
        long maxSeq = buffer.getLong();
        int turnCount = buffer.getInt();
        int arrivals = buffer.getInt();
        long lastActivity = buffer.getLong();
        long endedAt = buffer.getLong();
        int n = buffer.getInt();
        List<PendingArrival> pending = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            pending.add(new PendingArrival(conversationId, buffer.getLong(), buffer.getInt(), buffer.getLong()));
        }
        return new ConversationMeta(maxSeq, turnCount, arrivals, lastActivity, endedAt, pending);
    }
}
