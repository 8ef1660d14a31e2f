package io.mister.encoder.text;

import io.mister.inference.SessionSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * Opens a text encoder by configuration value: a built-in name ({@code all-minilm-l6-v2-q}, the
 * default; {@code bge-small-en-v15-q}; {@code e5-small-v2-q}) or a directory holding
 * {@code model.onnx}, {@code tokenizer.json} and {@code encoder.json}.
 */
public final class TextEncoders {

  private TextEncoders() {}

  public static OnnxTextEncoder open(String nameOrDirectory, SessionSettings settings) {
    String value =
        nameOrDirectory == null || nameOrDirectory.isBlank()
            ? BuiltInTextEncoder.DEFAULT.encoderName()
            : nameOrDirectory.trim();
    var builtIn = BuiltInTextEncoder.byName(value);
    if (builtIn.isPresent()) {
      return OnnxTextEncoder.open(builtIn.get().spec(), builtIn.get().files(), settings);
    }
    Path directory = Path.of(value);
    if (Files.isDirectory(directory)) {
      return OnnxTextEncoder.open(
          EncoderManifest.read(directory), EncoderManifest.files(directory), settings);
    }
    throw new IllegalArgumentException(
        "Unknown text encoder '" + value + "': use one of " + builtInNames()
            + " or a directory with model.onnx, tokenizer.json and encoder.json");
  }

  /** The built-in names, comma-separated, for help texts. */
  public static String builtInNames() {
    return Arrays.stream(BuiltInTextEncoder.values())
        .map(BuiltInTextEncoder::encoderName)
        .collect(Collectors.joining(", "));
  }
}
