package io.mister.encoder.text;

import java.util.Locale;

/**
 * How the windows of one {@code encode} call are grouped into ONNX runs.
 *
 * <p>Dynamically quantised graphs (MatMulInteger after {@code DynamicQuantizeLinear}, as in all
 * three LangChain4j "-q" models) are <em>not</em> batch-invariant: {@code DynamicQuantizeLinear}
 * picks one scale and zero point per tensor from the minimum and maximum of the whole
 * {@code [batch, tokens, hidden]} activation, padding included, so a sentence's embedding depends on
 * its batch neighbours (measured: cosine 0.983 against the same sentence alone). For such models each
 * window runs on its own, which also turned out faster on CPU (no padding work). Float models are
 * batch-invariant up to rounding and gain from padded batches, above all on a GPU.
 */
public enum Batching {
  /** One window per ONNX run: exact, and the faster choice for quantised models on CPU. */
  PER_WINDOW,
  /** Windows sorted by length, padded to the longest of each run of up to 32 windows. */
  PADDED;

  /** Parses {@code per_window} or {@code padded}, case-insensitively. */
  public static Batching parse(String text) {
    try {
      return valueOf(text.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "batching must be 'per_window' or 'padded', was '" + text + "'", e);
    }
  }
}
