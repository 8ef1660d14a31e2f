package io.mister.encoder.text;

import java.util.Locale;

/** How a sentence encoder turns per-token vectors into one sentence vector. */
public enum Pooling {
  /** Average of the token vectors under the attention mask (MiniLM, E5). */
  MEAN,
  /** The vector of the leading [CLS] token (BGE). */
  CLS;

  /** Parses {@code mean} or {@code cls}, case-insensitively. */
  public static Pooling parse(String text) {
    try {
      return valueOf(text.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("pooling must be 'mean' or 'cls', was '" + text + "'", e);
    }
  }
}
