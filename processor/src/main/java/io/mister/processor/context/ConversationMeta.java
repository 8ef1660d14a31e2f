package io.mister.processor.context;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * The small per-conversation entry: how far the conversation got, when it was last active, whether it
 * ended or waits to end, and which arrivals still wait for their provisional event. Its size is bounded
 * (the pending list holds at most the batch being filled and the batches out for scoring), so rewriting it
 * on every turn keeps the changelog linear.
 *
 * @param maxSeq the highest seq stored, -1 before the first turn
 * @param turnCount turns stored
 * @param arrivals turns accepted so far (the last arrival ordinal)
 * @param lastActivityMs wall-clock time of the last accepted turn (for the inactivity timeout only)
 * @param endedAtMs wall-clock time the conversation was finalised, or -1 while it is open
 * @param pending arrivals whose provisional event is not emitted yet, oldest first
 * @param received embedding records of this conversation that reached the processor (stored, duplicate or
 *     dead-lettered): what an ENDED's turn count is compared with
 * @param expectedTurns the turn count of an ENDED that came before all its turns had been received, or -1
 * @param endRequestedAtMs wall-clock time that ENDED came in, or -1
 */
public record ConversationMeta(long maxSeq, int turnCount, int arrivals, long lastActivityMs, long endedAtMs,
                               List<PendingArrival> pending, long received, long expectedTurns, long endRequestedAtMs) {

    private static final byte VERSION = 2;
    /** Written by the first release; read so that its state survives an upgrade (no ENDED waits in it). */
    private static final byte VERSION_1 = 1;

    public ConversationMeta {
        pending = List.copyOf(pending);
    }

    public static ConversationMeta open(long nowMs) {
        return new ConversationMeta(-1, 0, 0, nowMs, -1, List.of(), 0, -1, -1);
    }

    public boolean ended() {
        return endedAtMs >= 0;
    }

    /** An ENDED came in and waits for turns the encoder had already written. */
    public boolean endRequested() {
        return expectedTurns >= 0;
    }

    /** An ENDED waits and every turn it announced has been received: finalise now. */
    public boolean endDue() {
        return endRequested() && received >= expectedTurns;
    }

    /** The metadata after one more accepted turn. */
    public ConversationMeta withArrival(PendingArrival arrival, List<PendingArrival> stillPending, long nowMs) {
        List<PendingArrival> next = new ArrayList<>(stillPending);
        next.add(arrival);
        return new ConversationMeta(Math.max(maxSeq, arrival.seq()), turnCount + 1, arrival.arrival(), nowMs, -1, next,
                received + 1, expectedTurns, endRequestedAtMs);
    }

    /** The metadata after an embedding that was not stored (a duplicate, or dead-lettered). */
    public ConversationMeta withUnstoredArrival() {
        return new ConversationMeta(maxSeq, turnCount, arrivals, lastActivityMs, endedAtMs, pending, received + 1,
                expectedTurns, endRequestedAtMs);
    }

    /** ENDED announced {@code turns} turns, not all received yet: finalise when they are (or after the end wait). */
    public ConversationMeta withEndRequested(long turns, long nowMs) {
        return new ConversationMeta(maxSeq, turnCount, arrivals, lastActivityMs, endedAtMs, pending, received, turns, nowMs);
    }

    /** The tombstone-like marker kept for the end grace, so that stragglers are recognised. */
    public ConversationMeta endedAt(long nowMs) {
        return new ConversationMeta(maxSeq, turnCount, arrivals, lastActivityMs, nowMs, List.of(), received, -1, -1);
    }

    public byte[] toBytes() {
        ByteBuffer buffer = ByteBuffer.allocate(1 + 2 * Long.BYTES + 2 * Integer.BYTES + 2 * Long.BYTES
                + Integer.BYTES + pending.size() * (2 * Long.BYTES + Integer.BYTES) + 3 * Long.BYTES);
        buffer.put(VERSION).putLong(maxSeq).putInt(turnCount).putInt(arrivals).putLong(lastActivityMs).putLong(endedAtMs);
        buffer.putInt(pending.size());
        for (PendingArrival p : pending) {
            buffer.putLong(p.seq()).putInt(p.arrival()).putLong(p.windowEnd());
        }
        buffer.putLong(received).putLong(expectedTurns).putLong(endRequestedAtMs);
        return buffer.array();
    }

    public static ConversationMeta fromBytes(String conversationId, byte[] bytes) {
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        byte version = buffer.get(0);
        if (version == VERSION_1) {
            buffer.get();
        } else {
            BinaryFields.requireVersion(buffer, VERSION, "conversation metadata");
        }
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
        if (version == VERSION_1) {
            // Every stored turn was received once; duplicates and rejections were not counted then.
            return new ConversationMeta(maxSeq, turnCount, arrivals, lastActivity, endedAt, pending, turnCount, -1, -1);
        }
        return new ConversationMeta(maxSeq, turnCount, arrivals, lastActivity, endedAt, pending, buffer.getLong(),
                buffer.getLong(), buffer.getLong());
    }
}
