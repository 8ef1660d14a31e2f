package io.mister.processor.context;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.processor.TaskId;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The in-memory window cache never changes what a window holds: the same writes go to two RocksDB stores,
 * one read through a small cache (so that conversations are evicted and re-seeded, and late turns fall
 * below its floor), one without; every window and turn lookup must agree.
 */
class WindowCacheTest {

    private static final int W = 4;

    @TempDir
    Path stateDir;

    private final List<KeyValueStore<Bytes, byte[]>> stores = new ArrayList<>();

    @AfterEach
    void closeStores() {
        stores.forEach(KeyValueStore::close);
    }

    private KeyValueStore<Bytes, byte[]> rocksDb(String name) {
        KeyValueStore<Bytes, byte[]> store = Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(name),
                Serdes.Bytes(), Serdes.ByteArray()).withLoggingDisabled().withCachingDisabled().build();
        MockProcessorContext<Object, Object> context = new MockProcessorContext<>(new Properties(), new TaskId(0, 0),
                stateDir.resolve(name).toFile());
        store.init(context.getStateStoreContext(), store);
        stores.add(store);
        return store;
    }

    @Test
    void windowsAndLookupsMatchTheStoreWithAndWithoutTheCache() {
        ConversationState cached = new ConversationState(rocksDb("cached"), rocksDb("cached-outputs"), 2, W + 2);
        ConversationState plain = new ConversationState(rocksDb("plain"), rocksDb("plain-outputs"));
        Random random = new Random(7);
        String[] conversations = {"a", "b", "c"};
        Map<String, Integer> arrivals = new HashMap<>();
        Map<String, Long> nextSeq = new HashMap<>();
        for (int step = 0; step < 3000; step++) {
            String id = conversations[random.nextInt(conversations.length)];
            if (random.nextInt(60) == 0) {
                cached.deleteTurnsAndOutputs(id);
                plain.deleteTurnsAndOutputs(id);
                arrivals.remove(id);
                nextSeq.remove(id);
                continue;
            }
            long next = nextSeq.getOrDefault(id, 0L);
            // Mostly the next turn; sometimes a late one well behind, sometimes a gap.
            long seq = random.nextInt(8) == 0 ? Math.max(0, next - 1 - random.nextInt(12)) : next + random.nextInt(2);
            if (plain.turn(id, seq) == null) {
                int arrival = arrivals.merge(id, 1, Integer::sum);
                StoredTurn turn = new StoredTurn(new Turn(id + "-" + seq, seq, seq, new float[] {seq}, null), arrival);
                cached.putTurn(id, turn);
                plain.putTurn(id, turn);
                nextSeq.put(id, Math.max(next, seq + 1));
            }
            for (int probe = 0; probe < 3; probe++) {
                long end = Math.max(0, nextSeq.getOrDefault(id, 0L) - 1 - random.nextInt(6));
                int limit = arrivals.getOrDefault(id, 0) - random.nextInt(3);
                List<Turn> expected = plain.window(id, end, limit, W);
                assertThat(ids(cached.window(id, end, limit, W))).as("window of %s to %d, arrivals <= %d", id, end, limit)
                        .isEqualTo(ids(expected));
                long at = random.nextInt((int) Math.max(1, nextSeq.getOrDefault(id, 1L) + 2));
                StoredTurn want = plain.turn(id, at);
                StoredTurn got = cached.turn(id, at);
                assertThat(got == null ? null : got.turn().utteranceId() + "@" + got.arrival())
                        .isEqualTo(want == null ? null : want.turn().utteranceId() + "@" + want.arrival());
            }
        }
        // Both paths were taken: windows served from memory, and windows below the floor or after an eviction.
        assertThat(cached.windowReads().fromMemory()).isGreaterThan(1000);
        assertThat(cached.windowReads().scanned()).isGreaterThan(100);
        assertThat(plain.windowReads().fromMemory()).isZero();
    }

    private static List<String> ids(List<Turn> window) {
        return window.stream().map(Turn::utteranceId).toList();
    }
}
