package io.mister.encoder.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mister.encoder.EncoderId;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads {@code encoder.json}, the small description that turns a directory holding
 * {@code model.onnx} and {@code tokenizer.json} into a text encoder:
 *
 * <pre>{@code
 * {"id": "my-encoder", "version": "1", "dim": 384, "pooling": "mean", "max_length": 512,
 *  "prefix": "", "batching": "padded", "context_turns": 0, "context_tokens": 64}
 * }</pre>
 *
 * {@code pooling} ({@code mean} or {@code cls}), {@code max_length} (default 512),
 * {@code prefix} (default empty) and {@code batching} ({@code padded}, the default, for float
 * models; {@code per_window} for dynamically quantised ones), {@code context_turns} (previous turns read
 * with each turn, default 0) and {@code context_tokens} (default 64) are optional.
 */
final class EncoderManifest {

  static final String FILE_NAME = "encoder.json";

  private EncoderManifest() {}

  static TextEncoderSpec read(Path directory) {
    Path file = directory.resolve(FILE_NAME);
    JsonNode json;
    try {
      json = new ObjectMapper().readTree(file.toFile());
    } catch (IOException e) {
      throw new IllegalArgumentException("Cannot read " + file + ": " + e.getMessage(), e);
    }
    if (json == null || !json.isObject()) {
      throw new IllegalArgumentException(file + " must hold a JSON object");
    }
    try {
      EncoderId id =
          new EncoderId(required(json, "id", file).asText(), required(json, "version", file).asText(),
              required(json, "dim", file).asInt());
      Pooling pooling = Pooling.parse(json.path("pooling").asText("mean"));
      int maxLength = json.path("max_length").asInt(BuiltInTextEncoder.MAX_LENGTH);
      String prefix = json.path("prefix").asText("");
      Batching batching = Batching.parse(json.path("batching").asText("padded"));
      int contextTurns = json.path("context_turns").asInt(0);
      int contextTokens = json.path("context_tokens").asInt(TextEncoderSpec.DEFAULT_CONTEXT_TOKENS);
      return new TextEncoderSpec(id, pooling, maxLength, prefix, batching, contextTurns, contextTokens);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
    }
  }

  private static JsonNode required(JsonNode json, String field, Path file) {
    JsonNode node = json.get(field);
    if (node == null || node.isNull()) {
      throw new IllegalArgumentException(file + ": field '" + field + "' is required");
    }
    return node;
  }

  static TextModelFiles files(Path directory) {
    try {
      return new TextModelFiles(
          directory.toString(),
          Files.readAllBytes(directory.resolve("model.onnx")),
          Files.readAllBytes(directory.resolve("tokenizer.json")));
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "A text encoder directory needs model.onnx and tokenizer.json: " + e.getMessage(), e);
    }
  }
}
