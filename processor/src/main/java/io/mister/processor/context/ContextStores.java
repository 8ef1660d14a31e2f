package io.mister.processor.context;

import java.util.Map;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/**
 * The emotion processor's state stores: names and explicit builders. All are persistent RocksDB stores
 * with compacted changelogs (the latest value per key is all a restore needs).
 *
 * <ul>
 *   <li>{@value #TURNS}: one entry per turn, key {@link TurnKey}, value {@link StoredTurn}; written once.</li>
 *   <li>{@value #OUTPUTS}: one entry per turn, same key, value {@link TurnOutput} (what was last emitted).</li>
 *   <li>{@value #CONVERSATIONS}: one small entry per conversation, key conversation_id, value
 *       {@link ConversationMeta}.</li>
 * </ul>
 */
public final class ContextStores {

    public static final String TURNS = "mister-turns";
    public static final String OUTPUTS = "mister-turn-outputs";
    public static final String CONVERSATIONS = "mister-conversations";

    private static final Map<String, String> COMPACTED = Map.of("cleanup.policy", "compact");

    private ContextStores() {}

    /** Written once per turn and read by range scans: a cache would only copy it. */
    public static StoreBuilder<KeyValueStore<Bytes, byte[]>> turns() {
        return Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(TURNS), Serdes.Bytes(), Serdes.ByteArray())
                .withLoggingEnabled(COMPACTED)
                .withCachingDisabled();
    }

    /** Rewritten on revisions; cached so that several revisions within one commit log once. */
    public static StoreBuilder<KeyValueStore<Bytes, byte[]>> outputs() {
        return Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(OUTPUTS), Serdes.Bytes(), Serdes.ByteArray())
                .withLoggingEnabled(COMPACTED)
                .withCachingEnabled();
    }

    /** Rewritten on every turn; cached so that a commit logs only the last value per conversation. */
    public static StoreBuilder<KeyValueStore<String, byte[]>> conversations() {
        return Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(CONVERSATIONS), Serdes.String(), Serdes.ByteArray())
                .withLoggingEnabled(COMPACTED)
                .withCachingEnabled();
    }
}
