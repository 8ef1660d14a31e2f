package io.mister.encoder;

import java.util.List;

/**
 * Turns inputs of one modality (transcripts, audio) into fixed-length embeddings.
 *
 * <p>Encoding is batched because ONNX inference is much cheaper per item in a batch; callers hand
 * over whatever they have buffered. The result has exactly one entry per input, in input order. An
 * entry is {@code null} when that input carries nothing to encode (blank text, for instance): the
 * modality is then "absent" for that turn, which downstream models treat as a first-class case.
 *
 * <p>Implementations hold native resources (ONNX sessions, tokenizers) and must be closed. They are
 * deterministic: the same input gives the same embedding whatever else is in the batch, so replays
 * reproduce their output. They are thread-safe: one instance serves every stream task and thread.
 *
 * @param <I> the input type, e.g. {@code String} for text
 */
public interface Encoder<I> extends AutoCloseable {

  /** Identifies this encoder and the length of its embeddings. */
  EncoderId id();

  /**
   * Encodes a batch.
   *
   * @param inputs the inputs; elements may be {@code null} (encoded as absent)
   * @return one embedding of length {@code id().dim()} per input, or {@code null} where the input
   *     is absent; same size and order as {@code inputs}
   */
  List<float[]> encode(List<I> inputs);

  /** Releases native resources; no checked exception, so it fits try-with-resources cleanly. */
  @Override
  void close();
}
