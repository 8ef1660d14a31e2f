package io.mister.processor.context;

import java.util.Map;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/**
 * The emotion processor's state stores: names and explicit builders. Both are persistent RocksDB stores
 * with compacted changelogs (the latest value per key is all a restore needs).
 *
 * <ul>
 *   <li>{@value #CONTEXT}: one entry per turn ({@link TurnKey#of}, value {@link StoredTurn}, written once)
 *       and one small entry per conversation ({@link TurnKey#meta}, value {@link ConversationMeta}). They
 *       share a store on purpose: everything an arriving turn writes lands in one RocksDB instance, so a
 *       commit flushes one memtable, not two.</li>
 *   <li>{@value #OUTPUTS}: one entry per turn, key {@link TurnKey#of}, value {@link TurnOutput} (what was
 *       last emitted); written when events are emitted, read by revisions and the interactive timeline.</li>
 * </ul>
 */
public final class ContextStores {

    public static final String CONTEXT = "mister-context";
    public static final String OUTPUTS = "mister-turn-outputs";

    private static final Map<String, String> COMPACTED = Map.of("cleanup.policy", "compact");

    private ContextStores() {}

    /** Turns are read by range scans and metadata is rewritten per turn; no cache (it would only copy). */
    public static StoreBuilder<KeyValueStore<Bytes, byte[]>> context() {
        return Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(CONTEXT), Serdes.Bytes(), Serdes.ByteArray())
                .withLoggingEnabled(COMPACTED)
                .withCachingDisabled();
    }

    /** Rewritten on revisions; cached so that several revisions within one commit log once. */
    public static StoreBuilder<KeyValueStore<Bytes, byte[]>> outputs() {
        return Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(OUTPUTS), Serdes.Bytes(), Serdes.ByteArray())
                .withLoggingEnabled(COMPACTED)
                .withCachingEnabled();
    }
}
