package io.mister.encoder.stage;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Per conversation, the transcripts of its most recent turns that had text (at most
 * {@code capacity}, latest first): what a context-aware text encoder reads with the conversation's
 * next turn. Kept in a changelogged store, so a restart continues the context where the last
 * committed flush left it. An entry is removed when the conversation's ENDED is forwarded; entries
 * of conversations that never end are dropped after {@code retention} without a change.
 *
 * <p>With a capacity of 0 (an encoder that reads each turn alone) the store is never read or written.
 *
 * <p>Value, version 1: one byte {@code 1}, the wall-clock time of the last flush with a turn of the
 * conversation (8 bytes), the number of transcripts (4 bytes), then each transcript latest first
 * as its UTF-8 length (4 bytes) and bytes. A value with another first byte is rejected, so a later layout needs a new version.
 */
final class RecentTranscripts {

  private static final byte VERSION = 1;
  private static final int TIME_OFFSET = 1;

  private final KeyValueStore<String, byte[]> store;
  private final int capacity;
  private final Duration retention;

  RecentTranscripts(KeyValueStore<String, byte[]> store, int capacity, Duration retention) {
    if (capacity < 0) {
      throw new IllegalArgumentException("capacity must be >= 0, was " + capacity);
    }
    this.store = store;
    this.capacity = capacity;
    this.retention = retention;
  }

  /**
   * The context of each turn of a batch, taken in arrival order: a turn sees the transcripts before
   * it (those stored, then those of earlier turns of the batch), and its own text, if any, is added
   * for the turns after it. The store is read once per conversation and not written; see {@link
   * #save}.
   *
   * @param conversationIds the turns' conversations, in arrival order
   * @param texts the turns' texts, {@code null} for a turn without text (it does not enter the context)
   */
  BatchContext forBatch(List<String> conversationIds, List<String> texts) {
    List<List<String>> previous = new ArrayList<>(texts.size());
    if (capacity == 0) {
      texts.forEach(t -> previous.add(List.of()));
      return new BatchContext(previous, Map.of());
    }
    Map<String, List<String>> latest = new LinkedHashMap<>();
    for (int i = 0; i < texts.size(); i++) {
      List<String> recent = latest.computeIfAbsent(conversationIds.get(i), this::read);
      previous.add(List.copyOf(recent));
      String text = texts.get(i);
      if (text != null) {
        List<String> next = new ArrayList<>(capacity);
        next.add(text);
        next.addAll(recent.subList(0, Math.min(recent.size(), capacity - 1)));
        latest.put(conversationIds.get(i), next);
      }
    }
    latest.values().removeIf(List::isEmpty); // nothing to keep for a conversation without text so far
    return new BatchContext(previous, latest);
  }

  /**
   * Stores each conversation's context after a batch, one write per conversation, stamped
   * {@code nowMs}: a turn without text keeps its conversation's context from being purged as idle.
   */
  void save(BatchContext batch, long nowMs) {
    batch.after().forEach((conversationId, recent) -> store.put(conversationId, encode(recent, nowMs)));
  }

  /** Forgets {@code conversationId}'s context (its ENDED has been forwarded). */
  void remove(String conversationId) {
    if (capacity > 0) {
      store.delete(conversationId);
    }
  }

  /** Drops the entries whose last change is older than the retention; returns how many. */
  int purgeIdle(long nowMs) {
    if (capacity == 0) {
      return 0;
    }
    List<String> idle = new ArrayList<>();
    try (KeyValueIterator<String, byte[]> all = store.all()) {
      while (all.hasNext()) {
        KeyValue<String, byte[]> entry = all.next();
        if (nowMs - versioned(entry.value).getLong(TIME_OFFSET) >= retention.toMillis()) {
          idle.add(entry.key);
        }
      }
    }
    idle.forEach(store::delete);
    return idle.size();
  }

  private List<String> read(String conversationId) {
    byte[] value = store.get(conversationId);
    if (value == null) {
      return List.of();
    }
    ByteBuffer in = versioned(value);
    in.position(TIME_OFFSET + Long.BYTES);
    int count = in.getInt();
    List<String> recent = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      byte[] text = new byte[in.getInt()];
      in.get(text);
      recent.add(new String(text, StandardCharsets.UTF_8));
    }
    // A lower capacity after a restart with another encoder: keep only what it reads.
    return Collections.unmodifiableList(recent.subList(0, Math.min(count, capacity)));
  }

  private static byte[] encode(List<String> recent, long nowMs) {
    List<byte[]> texts = recent.stream().map(t -> t.getBytes(StandardCharsets.UTF_8)).toList();
    int size = 1 + Long.BYTES + Integer.BYTES;
    for (byte[] text : texts) {
      size += Integer.BYTES + text.length;
    }
    ByteBuffer out = ByteBuffer.allocate(size).put(VERSION).putLong(nowMs).putInt(texts.size());
    for (byte[] text : texts) {
      out.putInt(text.length).put(text);
    }
    return out.array();
  }

  private static ByteBuffer versioned(byte[] value) {
    if (value.length == 0 || value[0] != VERSION) {
      throw new IllegalStateException(
          "recent transcripts stored in an unknown layout (version " + (value.length == 0 ? "none" : value[0]) + ")");
    }
    return ByteBuffer.wrap(value);
  }

  /**
   * The context of a batch.
   *
   * @param previous per turn, in arrival order, the transcripts before it, latest first
   * @param after per conversation of the batch with any transcript, its transcripts after the
   *     batch, latest first
   */
  record BatchContext(List<List<String>> previous, Map<String, List<String>> after) {}
}
