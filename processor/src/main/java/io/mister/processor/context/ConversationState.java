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
 * range scans over a conversation's key prefix, never stored as one value.
 */
public final class ConversationState {

    private final KeyValueStore<Bytes, byte[]> turns;
    private final KeyValueStore<Bytes, byte[]> outputs;

    /**
     * @param context the {@link ContextStores#CONTEXT} store (turns and metadata)
     * @param outputs the {@link ContextStores#OUTPUTS} store
     */
    public ConversationState(KeyValueStore<Bytes, byte[]> context, KeyValueStore<Bytes, byte[]> outputs) {
        this.turns = context;
        this.outputs = outputs;
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
        byte[] bytes = turns.get(TurnKey.of(conversationId, seq));
        return bytes == null ? null : StoredTurn.fromBytes(seq, bytes);
    }

    public void putTurn(String conversationId, StoredTurn turn) {
        turns.put(TurnKey.of(conversationId, turn.turn().seq()), turn.toBytes());
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
     * One reverse range scan, stopped as soon as the window is full.
     */
    public List<Turn> window(String conversationId, long endSeq, int arrivalLimit, int maxTurns) {
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
