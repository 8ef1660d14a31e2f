package io.mister.processor.context;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.BiConsumer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Reads and writes one task's conversation state: turns, outputs and metadata. Windows are read with
 * range scans over a conversation's key prefix, never stored as one value; the newest turns of recently
 * active conversations are also kept decoded in memory ({@link RecentTurns}), so that a busy conversation's
 * provisional windows need no scan.
 */
public final class ConversationState {

    private final KeyValueStore<Bytes, byte[]> turns;
    private final KeyValueStore<Bytes, byte[]> outputs;
    private final RecentTurns recent;
    private long windowsFromMemory;
    private long windowsScanned;

    /** How this state's windows were read so far: from the in-memory cache, or by a store scan. */
    public record WindowReads(long fromMemory, long scanned) {}

    /**
     * @param context the {@link ContextStores#CONTEXT} store (turns and metadata)
     * @param outputs the {@link ContextStores#OUTPUTS} store
     * @param cachedConversations conversations whose newest turns are kept decoded in memory (0: none)
     * @param cachedTurns turns kept per cached conversation; at least W plus the look-ahead, so that a
     *     provisional or revising window is read from memory
     */
    public ConversationState(KeyValueStore<Bytes, byte[]> context, KeyValueStore<Bytes, byte[]> outputs,
                             int cachedConversations, int cachedTurns) {
        this.turns = context;
        this.outputs = outputs;
        this.recent = new RecentTurns(cachedConversations, cachedTurns);
    }

    /** Without the in-memory window cache: every window is a store scan. */
    public ConversationState(KeyValueStore<Bytes, byte[]> context, KeyValueStore<Bytes, byte[]> outputs) {
        this(context, outputs, 0, 1);
    }

    public ConversationMeta meta(String conversationId) {
        byte[] bytes = turns.get(TurnKey.meta(conversationId));
        return bytes == null ? null : ConversationMeta.fromBytes(conversationId, bytes);
    }

    public void putMeta(String conversationId, ConversationMeta meta) {
        turns.put(TurnKey.meta(conversationId), meta.toBytes());
    }

    public void deleteMeta(String conversationId) {
        turns.delete(TurnKey.meta(conversationId));
    }

    /** Visits every conversation's metadata (one range scan over the metadata key space); no writes meanwhile. */
    public void forEachConversation(BiConsumer<String, ConversationMeta> visitor) {
        try (KeyValueIterator<Bytes, byte[]> all = turns.range(TurnKey.firstMeta(), TurnKey.lastMeta())) {
            while (all.hasNext()) {
                KeyValue<Bytes, byte[]> entry = all.next();
                String id = TurnKey.conversationId(entry.key);
                visitor.accept(id, ConversationMeta.fromBytes(id, entry.value));
            }
        }
    }

    public StoredTurn turn(String conversationId, long seq) {
        if (recent.knows(conversationId, seq)) {
            return recent.turn(conversationId, seq);
        }
        byte[] bytes = turns.get(TurnKey.of(conversationId, seq));
        return bytes == null ? null : StoredTurn.fromBytes(seq, bytes);
    }

    public void putTurn(String conversationId, StoredTurn turn) {
        turns.put(TurnKey.of(conversationId, turn.turn().seq()), turn.toBytes());
        recent.put(conversationId, turn);
    }

    public TurnOutput output(String conversationId, long seq) {
        byte[] bytes = outputs.get(TurnKey.of(conversationId, seq));
        return bytes == null ? null : TurnOutput.fromBytes(seq, bytes);
    }

    public void putOutput(String conversationId, TurnOutput output) {
        outputs.put(TurnKey.of(conversationId, output.seq()), output.toBytes());
    }

    /**
     * The window as it was when arrival {@code arrivalLimit} came in: the last {@code maxTurns} turns
     * with seq at most {@code endSeq} and arrival ordinal at most {@code arrivalLimit}, oldest first.
     * From the window cache when it can tell; otherwise one reverse range scan (seeding the cache for a
     * conversation not in it), stopped as soon as the window is full.
     */
    public List<Turn> window(String conversationId, long endSeq, int arrivalLimit, int maxTurns) {
        List<Turn> cached = recent.window(conversationId, endSeq, arrivalLimit, maxTurns);
        if (cached != null) {
            windowsFromMemory++;
            return cached;
        }
        windowsScanned++; // read from the store: seeding the cache, or a window it cannot answer
        if (!recent.contains(conversationId) && seedRecent(conversationId)) {
            cached = recent.window(conversationId, endSeq, arrivalLimit, maxTurns);
            if (cached != null) {
                return cached;
            }
        }
        return scanWindow(conversationId, endSeq, arrivalLimit, maxTurns);
    }

    public WindowReads windowReads() {
        return new WindowReads(windowsFromMemory, windowsScanned);
    }

    /** Reads a conversation's newest turns into the cache (one scan); false when the cache is off. */
    private boolean seedRecent(String conversationId) {
        if (recent.maxConversations() == 0) {
            return false;
        }
        List<StoredTurn> newestFirst = new ArrayList<>(recent.turnsPerConversation());
        boolean all;
        try (KeyValueIterator<Bytes, byte[]> scan =
                     turns.reverseRange(TurnKey.first(conversationId), TurnKey.last(conversationId))) {
            while (scan.hasNext() && newestFirst.size() < recent.turnsPerConversation()) {
                KeyValue<Bytes, byte[]> entry = scan.next();
                newestFirst.add(StoredTurn.fromBytes(TurnKey.seq(entry.key), entry.value));
            }
            all = !scan.hasNext();
        }
        recent.seed(conversationId, newestFirst, all);
        return true;
    }

    private List<Turn> scanWindow(String conversationId, long endSeq, int arrivalLimit, int maxTurns) {
        List<Turn> window = new ArrayList<>(maxTurns);
        try (KeyValueIterator<Bytes, byte[]> scan =
                     turns.reverseRange(TurnKey.first(conversationId), TurnKey.of(conversationId, endSeq))) {
            while (scan.hasNext() && window.size() < maxTurns) {
                KeyValue<Bytes, byte[]> entry = scan.next();
                StoredTurn stored = StoredTurn.fromBytes(TurnKey.seq(entry.key), entry.value);
                if (stored.arrival() <= arrivalLimit) {
                    window.add(stored.turn());
                }
            }
        }
        Collections.reverse(window);
        return window;
    }

    /** All turns of a conversation, in seq order. */
    public List<Turn> allTurns(String conversationId) {
        List<Turn> all = new ArrayList<>();
        try (KeyValueIterator<Bytes, byte[]> scan = turns.range(TurnKey.first(conversationId), TurnKey.last(conversationId))) {
            while (scan.hasNext()) {
                KeyValue<Bytes, byte[]> entry = scan.next();
                all.add(StoredTurn.fromBytes(TurnKey.seq(entry.key), entry.value).turn());
            }
        }
        return all;
    }

    /** Deletes every turn and output of a conversation (its metadata is handled by the caller). */
    public void deleteTurnsAndOutputs(String conversationId) {
        recent.evict(conversationId);
        deleteRange(turns, conversationId);
        deleteRange(outputs, conversationId);
    }

    private static void deleteRange(KeyValueStore<Bytes, byte[]> store, String conversationId) {
        List<Bytes> keys = new ArrayList<>();
        try (KeyValueIterator<Bytes, byte[]> scan = store.range(TurnKey.first(conversationId), TurnKey.last(conversationId))) {
            while (scan.hasNext()) {
                keys.add(scan.next().key);
            }
        }
        keys.forEach(store::delete);
    }
}
