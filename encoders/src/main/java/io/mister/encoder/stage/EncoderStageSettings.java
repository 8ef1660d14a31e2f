package io.mister.encoder.stage;

import java.time.Duration;
import java.util.Objects;

/**
 * Tuning of the encoder stage.
 *
 * @param maxBatchSize turns encoded in one inference batch; a full buffer is encoded at once
 * @param maxBatchWait longest a buffered turn waits for company before its batch is encoded anyway
 *     (wall-clock time, checked by a punctuator every {@link #flushCheckInterval()})
 * @param maxAudioMs longest accepted audio per turn; longer turns go to the dead-letter topic
 * @param turnCountRetention how long a conversation's turn counts (what an ENDED waits for and
 *     carries), and its recent transcripts for a context-aware text encoder, are kept after its last
 *     turn when no ENDED comes
 * @param endWait longest an ENDED that announces its turns waits for them to come in
 */
public record EncoderStageSettings(
    int maxBatchSize, Duration maxBatchWait, long maxAudioMs, Duration turnCountRetention, Duration endWait) {

  /** Default retention of a conversation's turn count without an ENDED: one day. */
  public static final Duration DEFAULT_TURN_COUNT_RETENTION = Duration.ofDays(1);

  /** Default longest wait of an ENDED for the turns it announces. */
  public static final Duration DEFAULT_END_WAIT = Duration.ofSeconds(30);

  /** 16 turns, 50 ms, 60 s of audio, counts kept a day, ENDED waits at most 30 s. */
  public static final EncoderStageSettings DEFAULTS =
      new EncoderStageSettings(16, Duration.ofMillis(50), 60_000);

  /** With the default turn-count retention and end wait. */
  public EncoderStageSettings(int maxBatchSize, Duration maxBatchWait, long maxAudioMs) {
    this(maxBatchSize, maxBatchWait, maxAudioMs, DEFAULT_TURN_COUNT_RETENTION, DEFAULT_END_WAIT);
  }

  public EncoderStageSettings {
    Objects.requireNonNull(maxBatchWait, "maxBatchWait");
    Objects.requireNonNull(turnCountRetention, "turnCountRetention");
    Objects.requireNonNull(endWait, "endWait");
    if (endWait.toMillis() < 1) {
      throw new IllegalArgumentException("endWait must be at least 1 ms, was " + endWait);
    }
    if (turnCountRetention.toMillis() < 1) {
      throw new IllegalArgumentException("turnCountRetention must be at least 1 ms, was " + turnCountRetention);
    }
    if (maxBatchSize < 1) {
      throw new IllegalArgumentException("maxBatchSize must be >= 1, was " + maxBatchSize);
    }
    if (maxBatchWait.isNegative() || maxBatchWait.isZero()) {
      throw new IllegalArgumentException("maxBatchWait must be positive, was " + maxBatchWait);
    }
    if (maxAudioMs < 1) {
      throw new IllegalArgumentException("maxAudioMs must be >= 1, was " + maxAudioMs);
    }
  }

  /**
   * How often the punctuator looks for turns that waited long enough: a quarter of the wait, at
   * least 1 ms, so a turn waits at most 1.25 x maxBatchWait.
   */
  public Duration flushCheckInterval() {
    long millis = Math.max(1, maxBatchWait.toMillis() / 4);
    return Duration.ofMillis(millis);
  }

  /** How often idle turn counts are looked for: a tenth of the retention, at most every 10 minutes. */
  public Duration turnCountPurgeInterval() {
    return Duration.ofMillis(Math.max(1, Math.min(turnCountRetention.toMillis() / 10, Duration.ofMinutes(10).toMillis())));
  }
}
