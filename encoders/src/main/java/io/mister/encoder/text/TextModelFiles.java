package io.mister.encoder.text;

import java.util.Objects;

/**
 * The two files a sentence encoder needs, already read: the ONNX graph and the HuggingFace
 * tokenizer.json. Read once at startup; the encoder keeps neither array afterwards.
 *
 * @param source where they came from, for log lines and error messages
 * @param onnx the ONNX model bytes
 * @param tokenizerJson the tokenizer.json bytes
 */
public record TextModelFiles(String source, byte[] onnx, byte[] tokenizerJson) {

  public TextModelFiles {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(onnx, "onnx");
    Objects.requireNonNull(tokenizerJson, "tokenizerJson");
  }
}
