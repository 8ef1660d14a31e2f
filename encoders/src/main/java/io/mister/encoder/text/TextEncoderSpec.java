package io.mister.encoder.text;

import io.mister.encoder.EncoderId;
import java.util.Objects;

/**
 * Everything about a BERT-style sentence encoder except its files: identity, pooling, window
 * length and the text prefix the model was trained with.
 *
 * @param id encoder identity carried in every embedding
 * @param pooling how token vectors become a sentence vector
 * @param maxLength tokens per inference window including [CLS] and [SEP]; texts longer than this
 *     (after any truncation tokenizer.json itself asks for) are split into windows whose embeddings
 *     are averaged, weighted by window length, as LangChain4j does
 * @param prefix prepended to every text before tokenisation (E5 wants {@code "query: "}); may be
 *     empty
 * @param batching how windows are grouped into ONNX runs (see {@link Batching})
 * @param contextTurns previous turns of the conversation read with each turn (0: a turn alone; see
 *     {@link TextEncoder})
 * @param contextTokens word pieces of previous turns at most, their closing [SEP] included: each
 *     previous turn gives at most {@code contextTokens - 2}, all together {@code contextTokens - 1}
 */
public record TextEncoderSpec(
    EncoderId id, Pooling pooling, int maxLength, String prefix, Batching batching, int contextTurns,
    int contextTokens) {

  /** Word pieces of previous turns a context-aware encoder reads unless encoder.json says otherwise. */
  public static final int DEFAULT_CONTEXT_TOKENS = 64;

  /** Shortest window that still holds [CLS], one token and [SEP] with room to avoid word splits. */
  static final int MIN_MAX_LENGTH = 8;

  public TextEncoderSpec {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(pooling, "pooling");
    Objects.requireNonNull(batching, "batching");
    prefix = prefix == null ? "" : prefix;
    if (maxLength < MIN_MAX_LENGTH) {
      throw new IllegalArgumentException(
          "max length must be at least " + MIN_MAX_LENGTH + " tokens, was " + maxLength);
    }
    if (contextTurns < 0) {
      throw new IllegalArgumentException("context turns must be >= 0, was " + contextTurns);
    }
    if (contextTurns > 0 && contextTokens < 3) {
      throw new IllegalArgumentException("context tokens must be >= 3, was " + contextTokens);
    }
  }

  /** A spec for an encoder that reads each turn alone. */
  public TextEncoderSpec(EncoderId id, Pooling pooling, int maxLength, String prefix, Batching batching) {
    this(id, pooling, maxLength, prefix, batching, 0, DEFAULT_CONTEXT_TOKENS);
  }
}
