package io.mister.encoder.offline;

/** Told how far an offline encoding run has come; the CLI draws a bar from it. */
@FunctionalInterface
public interface EncodingProgress {

  /** Nothing to report to. */
  EncodingProgress NONE = (done, total) -> {};

  /**
   * Called after each batch, from the encoding thread.
   *
   * @param done utterances written so far
   * @param total utterances in the input
   */
  void advanced(int done, int total);
}
