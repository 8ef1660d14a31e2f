package io.mister.encoder.stage;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Per conversation, how many embeddings this task has written to {@code utterance-embeddings}: the
 * count an ENDED carries to the processor ({@code turn_count}), so that the processor finalises only
 * once it has received them all, whichever of the two partitions it reads first. Kept in a changelogged
 * store, so under exactly-once it always agrees with the embeddings committed. An entry is taken (and
 * deleted) when the conversation's ENDED is forwarded; entries of conversations that never end are
 * dropped after {@code retention} without a new turn.
 *
 * <p>Value: the count, then the wall-clock time of the last turn counted (8 bytes each).
 */
final class ForwardedTurnCounts {

  private final KeyValueStore<String, byte[]> store;
  private final Duration retention;

  ForwardedTurnCounts(KeyValueStore<String, byte[]> store, Duration retention) {
    this.store = store;
    this.retention = retention;
  }

  /** One more embedding of {@code conversationId} written. */
  void increment(String conversationId, long nowMs) {
    byte[] current = store.get(conversationId);
    long count = current == null ? 0 : ByteBuffer.wrap(current).getLong();
    store.put(conversationId, ByteBuffer.allocate(2 * Long.BYTES).putLong(count + 1).putLong(nowMs).array());
  }

  /** The embeddings written for {@code conversationId} so far (0 if none); the entry is removed. */
  long take(String conversationId) {
    byte[] current = store.delete(conversationId);
    return current == null ? 0 : ByteBuffer.wrap(current).getLong();
  }

  /** Drops the entries whose last turn is older than the retention; returns how many. */
  int purgeIdle(long nowMs) {
    List<String> idle = new ArrayList<>();
    try (KeyValueIterator<String, byte[]> all = store.all()) {
      while (all.hasNext()) {
        KeyValue<String, byte[]> entry = all.next();
        if (nowMs - ByteBuffer.wrap(entry.value).getLong(Long.BYTES) >= retention.toMillis()) {
          idle.add(entry.key);
        }
      }
    }
    idle.forEach(store::delete);
    return idle.size();
  }
}
