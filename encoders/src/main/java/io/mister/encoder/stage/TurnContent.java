package io.mister.encoder.stage;

import io.mister.events.Utterance;

/** What of a turn is encodable; one definition shared by validation and encoding. */
final class TurnContent {

  private TurnContent() {}

  /** The transcript if it is there and not blank, else {@code null} (the modality is absent). */
  static String text(Utterance utterance) {
    CharSequence text = utterance.getText();
    return text == null || text.toString().isBlank() ? null : text.toString();
  }

  static boolean hasText(Utterance utterance) {
    return text(utterance) != null;
  }
}
