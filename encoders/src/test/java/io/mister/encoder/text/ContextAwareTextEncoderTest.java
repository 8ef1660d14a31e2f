package io.mister.encoder.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mister.inference.SessionSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A context-aware text encoder (encoder.json {@code context_turns} > 0) reads each turn with the turns
 * before it and pools the turn's own tokens. Runs the fine-tuned MiniLM kept in models/ (fp32 compute, so padding
 * changes nothing) with the manifest's context settings, or two previous turns if it has none; that the
 * embeddings equal the PyTorch fine-tuning's is checked by training/finetune/parity.py (docs/training.md).
 */
class ContextAwareTextEncoderTest {

  private static final Path SHIPPED = Path.of("..", "models", "text-encoder", "mister-minilm-meld");
  private static final String TURN = "Yeah, I bet you are.";
  private static final String APOLOGY = "I'm so sorry about last night, it was all my fault.";
  private static final String INSULT = "You are the worst friend anybody ever had.";

  private static TextEncoderSpec spec;
  private static OnnxTextEncoder perWindow;
  private static OnnxTextEncoder padded;

  @BeforeAll
  static void open() {
    TextEncoderSpec shipped = EncoderManifest.read(SHIPPED);
    int turns = shipped.contextTurns() > 0 ? shipped.contextTurns() : 2;
    spec = new TextEncoderSpec(shipped.id(), shipped.pooling(), shipped.maxLength(), shipped.prefix(),
        Batching.PER_WINDOW, turns, shipped.contextTokens());
    perWindow = OnnxTextEncoder.open(spec, EncoderManifest.files(SHIPPED), SessionSettings.cpu(1));
    padded = OnnxTextEncoder.open(new TextEncoderSpec(spec.id(), spec.pooling(), spec.maxLength(), spec.prefix(),
        Batching.PADDED, spec.contextTurns(), spec.contextTokens()), EncoderManifest.files(SHIPPED), SessionSettings.cpu(1));
  }

  @AfterAll
  static void close() {
    perWindow.close();
    padded.close();
  }

  private static float[] encode(OnnxTextEncoder encoder, String text, String... previous) {
    return encoder.encode(List.of(text), List.of(Arrays.asList(previous))).get(0);
  }

  @Test
  void aFirstTurnIsEmbeddedAsIfAlone() {
    assertThat(perWindow.contextTurns()).isEqualTo(spec.contextTurns()).isPositive();
    assertThat(encode(perWindow, TURN)).containsExactly(perWindow.encode(List.of(TURN)).get(0));
  }

  @Test
  void whatWasJustSaidChangesTheEmbeddingOfTheSameWords() {
    float[] afterApology = encode(perWindow, TURN, APOLOGY);
    float[] afterInsult = encode(perWindow, TURN, INSULT);
    float[] alone = encode(perWindow, TURN);
    assertThat(cosine(afterApology, afterInsult)).isLessThan(0.9999);
    assertThat(cosine(afterApology, alone)).isLessThan(0.9999);
    assertThat(norm(afterApology)).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-5));
  }

  @Test
  void onlyTheLatestContextTurnsAreReadAndBlankOnesAreSkipped() {
    String[] previous = {APOLOGY, INSULT, "Where is everybody?"};
    float[] expected = encode(perWindow, TURN, Arrays.copyOf(previous, spec.contextTurns()));
    assertThat(encode(perWindow, TURN, previous)).containsExactly(expected);
    assertThat(encode(perWindow, TURN, APOLOGY, "  ", INSULT))
        .containsExactly(encode(perWindow, TURN, APOLOGY, INSULT));
  }

  @Test
  void thePreviousTurnsAreCutAtTheTokenBudget() {
    // "word" is one word piece. A previous turn gives at most context_tokens - 2 pieces...
    int perTurn = spec.contextTokens() - 2;
    String longTurn = "word ".repeat(200).trim();
    assertThat(encode(perWindow, TURN, longTurn))
        .containsExactly(encode(perWindow, TURN, "word ".repeat(perTurn).trim()))
        .isNotEqualTo(encode(perWindow, TURN, "word ".repeat(perTurn - 1).trim()));
    // ... and all of them together context_tokens - 1: one piece of the next turn still fits.
    assertThat(encode(perWindow, TURN, longTurn, INSULT)).containsExactly(encode(perWindow, TURN, longTurn, "You"));
  }

  @Test
  void paddedRunsGiveTheSameEmbeddingsAsOneRunPerTurn() {
    List<String> texts = List.of(TURN, "Okay.", "What are you talking about? I was there the whole time!");
    List<List<String>> previous = List.of(List.of(APOLOGY), List.of(), List.of(INSULT, APOLOGY));
    List<float[]> one = perWindow.encode(texts, previous);
    List<float[]> batched = padded.encode(texts, previous);
    for (int i = 0; i < texts.size(); i++) {
      assertThat(cosine(batched.get(i), one.get(i))).as("turn %d", i).isGreaterThan(0.99999);
    }
  }

  @Test
  void anEncoderWithoutContextIgnoresThePreviousTurns() {
    try (OnnxTextEncoder plain = OnnxTextEncoder.open(new TextEncoderSpec(spec.id(), spec.pooling(), spec.maxLength(),
        spec.prefix(), Batching.PER_WINDOW), EncoderManifest.files(SHIPPED), SessionSettings.cpu(1))) {
      assertThat(plain.contextTurns()).isZero();
      assertThat(encode(plain, TURN, INSULT)).containsExactly(encode(plain, TURN));
    }
  }

  @Test
  void everyTextNeedsItsListOfPreviousTurns() {
    assertThatThrownBy(() -> perWindow.encode(List.of(TURN, TURN), List.of(List.of())))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("2 texts but 1 contexts");
  }

  @Test
  void encoderJsonDeclaresTheContext(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("encoder.json"), """
        {"id": "ctx", "version": "3", "dim": 384, "context_turns": 2, "context_tokens": 48}""");
    TextEncoderSpec read = EncoderManifest.read(dir);
    assertThat(read.contextTurns()).isEqualTo(2);
    assertThat(read.contextTokens()).isEqualTo(48);
    Files.writeString(dir.resolve("encoder.json"), """
        {"id": "ctx", "version": "3", "dim": 384, "context_turns": -1}""");
    assertThatThrownBy(() -> EncoderManifest.read(dir)).hasMessageContaining("context turns must be >= 0");
    Files.writeString(dir.resolve("encoder.json"), """
        {"id": "plain", "version": "1", "dim": 384}""");
    assertThat(EncoderManifest.read(dir).contextTurns()).isZero();
  }

  private static double cosine(float[] a, float[] b) {
    double dot = 0;
    for (int i = 0; i < a.length; i++) {
      dot += a[i] * b[i];
    }
    return dot / (norm(a) * norm(b));
  }

  private static double norm(float[] a) {
    double sum = 0;
    for (float v : a) {
      sum += v * v;
    }
    return Math.sqrt(sum);
  }
}
