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
 */
public record EncoderStageSettings(int maxBatchSize, Duration maxBatchWait, long maxAudioMs) {

  /** 16 turns, 50 ms, 60 s of audio. */
  public static final EncoderStageSettings DEFAULTS =
      new EncoderStageSettings(16, Duration.ofMillis(50), 60_000);

  public EncoderStageSettings {
    Objects.requireNonNull(maxBatchWait, "maxBatchWait");
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
}
