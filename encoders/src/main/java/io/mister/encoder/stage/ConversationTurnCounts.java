package io.mister.encoder.stage;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Per conversation, the turns this task has taken in from {@code utterances} (accepted or
 * dead-lettered) and the embeddings it has written to {@code utterance-embeddings}. The first is
 * what an ENDED that announces its turns ({@code turn_count} from the producer) waits for; the
 * second is the count the forwarded ENDED carries to the processor. Kept in a changelogged store, so
 * under exactly-once both always agree with what was committed. An entry is taken (and deleted) when
 * the conversation's ENDED is forwarded; entries of conversations that never end are dropped after
 * {@code retention} without a new turn.
 *
 * <p>Value: taken in, written, then the wall-clock time of the last change (8 bytes each).
 */
final class ConversationTurnCounts {

  private final KeyValueStore<String, byte[]> store;
  private final Duration retention;

  ConversationTurnCounts(KeyValueStore<String, byte[]> store, Duration retention) {
    this.store = store;
    this.retention = retention;
  }

  /** One more turn of {@code conversationId} taken in (accepted, or dead-lettered at the gate). */
  void takenIn(String conversationId, long nowMs) {
    add(conversationId, 1, 0, nowMs);
  }

  /** {@code count} more embeddings of {@code conversationId} written. */
  void written(String conversationId, int count, long nowMs) {
    add(conversationId, 0, count, nowMs);
  }

  /** Turns of {@code conversationId} taken in so far. */
  long takenIn(String conversationId) {
    byte[] current = store.get(conversationId);
    return current == null ? 0 : ByteBuffer.wrap(current).getLong(0);
  }

  /** The embeddings written for {@code conversationId} so far (0 if none); the entry is removed. */
  long takeWritten(String conversationId) {
    byte[] current = store.delete(conversationId);
    return current == null ? 0 : ByteBuffer.wrap(current).getLong(Long.BYTES);
  }

  /** Drops the entries whose last change is older than the retention; returns how many. */
  int purgeIdle(long nowMs) {
    List<String> idle = new ArrayList<>();
    try (KeyValueIterator<String, byte[]> all = store.all()) {
      while (all.hasNext()) {
        KeyValue<String, byte[]> entry = all.next();
        if (nowMs - ByteBuffer.wrap(entry.value).getLong(2 * Long.BYTES) >= retention.toMillis()) {
          idle.add(entry.key);
        }
      }
    }
    idle.forEach(store::delete);
    return idle.size();
  }

  private void add(String conversationId, long takenIn, long written, long nowMs) {
    byte[] current = store.get(conversationId);
    ByteBuffer old = current == null ? ByteBuffer.allocate(3 * Long.BYTES) : ByteBuffer.wrap(current);
    store.put(conversationId, ByteBuffer.allocate(3 * Long.BYTES)
        .putLong(old.getLong(0) + takenIn)
        .putLong(old.getLong(Long.BYTES) + written)
        .putLong(nowMs)
        .array());
  }
}
