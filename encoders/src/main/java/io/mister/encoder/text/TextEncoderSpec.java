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
 */
public record TextEncoderSpec(
    EncoderId id, Pooling pooling, int maxLength, String prefix, Batching batching) {

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
  }
}
