package io.mister.processor.context;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * The newest turns of recently active conversations, decoded, in front of the turn store. A provisional
 * window is otherwise one reverse range scan plus W decodes per arriving turn (and, in Kafka Streams 4.1,
 * an open-iterator metric registered and removed each time); with this cache a window is read from memory.
 *
 * <p>Invariant per cached conversation: every stored turn with {@code seq >= floor} is cached, so a window
 * that can be filled from turns at or above the floor is exactly the store's window. A window reaching
 * below the floor (a late turn far back) is not answered here; the caller scans the store.
 *
 * <p>Not a source of truth: it is rebuilt from the store on demand, lives only as long as the task's
 * processor (so a restored or revived task starts empty) and is bounded: {@code maxConversations}
 * conversations (least recently used evicted) of at most {@code turnsPerConversation} turns each.
 */
final class RecentTurns {

    private static final class Recent {
        final TreeMap<Long, StoredTurn> turns = new TreeMap<>();
        /** Every stored turn with seq >= floor is in {@link #turns}. */
        long floor;
    }

    private final int maxConversations;
    private final int turnsPerConversation;
    private final Map<String, Recent> conversations;

    RecentTurns(int maxConversations, int turnsPerConversation) {
        if (maxConversations < 0 || turnsPerConversation < 1) {
            throw new IllegalArgumentException("cache bounds must be >= 0 conversations and >= 1 turn, were "
                    + maxConversations + " and " + turnsPerConversation);
        }
        this.maxConversations = maxConversations;
        this.turnsPerConversation = turnsPerConversation;
        this.conversations = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Recent> eldest) {
                return size() > maxConversations;
            }
        };
    }

    int maxConversations() {
        return maxConversations;
    }

    int turnsPerConversation() {
        return turnsPerConversation;
    }

    boolean contains(String conversationId) {
        return conversations.containsKey(conversationId);
    }

    /**
     * Caches what the store holds for a conversation: its newest turns (newest first, as a reverse scan
     * yields them; at most {@link #turnsPerConversation}); {@code all} says that no older turn exists.
     */
    void seed(String conversationId, List<StoredTurn> newestFirst, boolean all) {
        Recent recent = new Recent();
        for (StoredTurn stored : newestFirst) {
            recent.turns.put(stored.turn().seq(), stored);
        }
        recent.floor = all || recent.turns.isEmpty() ? Long.MIN_VALUE : recent.turns.firstKey();
        conversations.put(conversationId, recent);
        trim(recent);
    }

    /** Keeps a cached conversation in step with a turn just written to the store. */
    void put(String conversationId, StoredTurn stored) {
        Recent recent = conversations.get(conversationId);
        if (recent == null || stored.turn().seq() < recent.floor) {
            return; // below the floor the invariant says nothing; such windows go to the store
        }
        recent.turns.put(stored.turn().seq(), stored);
        trim(recent);
    }

    private void trim(Recent recent) {
        while (recent.turns.size() > turnsPerConversation) {
            recent.turns.pollFirstEntry();
            recent.floor = recent.turns.firstKey();
        }
    }

    /** The cached turn at seq; null means "not stored" only when {@link #knows} is true. */
    StoredTurn turn(String conversationId, long seq) {
        Recent recent = conversations.get(conversationId);
        return recent == null ? null : recent.turns.get(seq);
    }

    /** True when {@link #turn} answers for this seq (the conversation is cached and seq is at or above its floor). */
    boolean knows(String conversationId, long seq) {
        Recent recent = conversations.get(conversationId);
        return recent != null && seq >= recent.floor;
    }

    /**
     * The same window as {@link ConversationState#window} would scan, or null when the cache cannot tell
     * (the conversation is not cached, or the window reaches below the floor).
     */
    List<Turn> window(String conversationId, long endSeq, int arrivalLimit, int maxTurns) {
        Recent recent = conversations.get(conversationId);
        if (recent == null) {
            return null;
        }
        List<Turn> window = new ArrayList<>(maxTurns);
        NavigableMap<Long, StoredTurn> upToEnd = recent.turns.headMap(endSeq, true).descendingMap();
        for (StoredTurn stored : upToEnd.values()) {
            if (window.size() == maxTurns) {
                break;
            }
            if (stored.arrival() <= arrivalLimit) {
                window.add(stored.turn());
            }
        }
        if (window.size() < maxTurns && recent.floor != Long.MIN_VALUE) {
            return null; // older turns may exist below the floor
        }
        Collections.reverse(window);
        return window;
    }

    void evict(String conversationId) {
        conversations.remove(conversationId);
    }
}
