package io.mister.encoder.text;

import io.mister.encoder.EncoderId;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.Optional;

/**
 * The sentence encoders that ship inside LangChain4j's Maven jars (Apache-2.0), opened from the
 * classpath with our own ONNX session. Pooling, window length and prefix follow LangChain4j's model
 * classes and the model cards.
 */
public enum BuiltInTextEncoder {

  /**
   * sentence-transformers/all-MiniLM-L6-v2, int8-quantised ONNX (Xenova export); the default. Its
   * tokenizer.json truncates to 128 tokens (the length it was trained with), and so does this.
   */
  ALL_MINILM_L6_V2_Q(
      "all-minilm-l6-v2-q",
      "all-minilm-l6-v2-q.onnx",
      "all-minilm-l6-v2-q-tokenizer.json",
      Pooling.MEAN,
      ""),

  /** BAAI/bge-small-en-v1.5, quantised; [CLS] pooling as in its model card and LangChain4j. */
  BGE_SMALL_EN_V15_Q(
      "bge-small-en-v15-q",
      "bge-small-en-v1.5-q.onnx",
      "bge-small-en-v1.5-q-tokenizer.json",
      Pooling.CLS,
      ""),

  /**
   * intfloat/e5-small-v2, quantised. E5 was trained with prefixes; its model card asks for
   * {@code "query: "} on symmetric tasks such as classification, which is what emotion recognition
   * is. (LangChain4j leaves the prefix to the caller; here it is part of the encoder's identity.)
   */
  E5_SMALL_V2_Q(
      "e5-small-v2-q", "e5-small-v2-q.onnx", "e5-small-v2-q-tokenizer.json", Pooling.MEAN, "query: ");

  /** The name used when none is configured. */
  public static final BuiltInTextEncoder DEFAULT = ALL_MINILM_L6_V2_Q;

  /** Version of our encoding recipe (pooling, windows, prefix) for these weights. */
  static final String VERSION = "1";

  static final int DIM = 384;

  /** 512 positions, as LangChain4j uses (510 content tokens + [CLS] + [SEP]). */
  static final int MAX_LENGTH = 512;

  private final String encoderName;
  private final String onnxResource;
  private final String tokenizerResource;
  private final Pooling pooling;
  private final String prefix;

  BuiltInTextEncoder(
      String encoderName,
      String onnxResource,
      String tokenizerResource,
      Pooling pooling,
      String prefix) {
    this.encoderName = encoderName;
    this.onnxResource = onnxResource;
    this.tokenizerResource = tokenizerResource;
    this.pooling = pooling;
    this.prefix = prefix;
  }

  /** The configuration name, which is also the encoder id. */
  public String encoderName() {
    return encoderName;
  }

  public TextEncoderSpec spec() {
    // All three are dynamically quantised: per-window runs keep them batch-invariant.
    return new TextEncoderSpec(
        new EncoderId(encoderName, VERSION, DIM), pooling, MAX_LENGTH, prefix, Batching.PER_WINDOW);
  }

  /** Reads the model and tokenizer from the classpath (the LangChain4j jar). */
  public TextModelFiles files() {
    return new TextModelFiles(
        "classpath:" + onnxResource, read(onnxResource), read(tokenizerResource));
  }

  private static byte[] read(String resource) {
    ClassLoader loader = BuiltInTextEncoder.class.getClassLoader();
    try (InputStream in = loader.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException(
            "Resource " + resource + " is not on the classpath: is its LangChain4j jar missing?");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read resource " + resource, e);
    }
  }

  /** The built-in encoder with this name, if any. */
  public static Optional<BuiltInTextEncoder> byName(String name) {
    return Arrays.stream(values()).filter(e -> e.encoderName.equals(name)).findFirst();
  }
}
