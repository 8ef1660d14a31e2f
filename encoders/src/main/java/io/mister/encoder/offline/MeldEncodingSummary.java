package io.mister.encoder.offline;

import java.time.Duration;

/**
 * What an offline encoding run wrote.
 *
 * @param dialogues conversations written
 * @param utterances records written
 * @param withText records with a text embedding
 * @param withAudio records with a speech embedding
 * @param audioRejected wav files found but not decodable (those turns were written text-only)
 * @param elapsed wall-clock time of the run
 */
public record MeldEncodingSummary(
    int dialogues,
    int utterances,
    int withText,
    int withAudio,
    int audioRejected,
    Duration elapsed) {

  /** Utterances per second over the whole run. */
  public double utterancesPerSecond() {
    double seconds = elapsed.toNanos() / 1e9;
    return seconds == 0 ? 0 : utterances / seconds;
  }
}
