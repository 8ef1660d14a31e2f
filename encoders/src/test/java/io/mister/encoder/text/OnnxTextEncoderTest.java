package io.mister.encoder.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;
import io.mister.encoder.EncoderId;
import io.mister.inference.Device;
import io.mister.inference.SessionSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OnnxTextEncoderTest {

  private static OnnxTextEncoder encoder;

  @BeforeAll
  static void open() {
    encoder = TextEncoders.open("all-minilm-l6-v2-q", SessionSettings.cpu(1));
  }

  @AfterAll
  static void close() {
    encoder.close();
  }

  @Test
  void theDefaultIsQuantizedMiniLmVersionOneWith384Dimensions() {
    assertThat(encoder.id()).isEqualTo(new EncoderId("all-minilm-l6-v2-q", "1", 384));
    assertThat(encoder.activeDevice()).isEqualTo(Device.CPU);
  }

  @Test
  void agreesWithLangChain4jOnEveryVariedSentence() {
    List<String> sentences = Sentences.varied();
    assertThat(sentences).hasSizeGreaterThanOrEqualTo(50);
    EmbeddingModel reference = new AllMiniLmL6V2QuantizedEmbeddingModel();

    List<float[]> ours = encoder.encode(sentences);

    for (int i = 0; i < sentences.size(); i++) {
      float[] expected = reference.embed(sentences.get(i)).content().vector();
      assertThat(cosine(ours.get(i), expected))
          .as("cosine to LangChain4j for \"%s\"", abbreviate(sentences.get(i)))
          .isGreaterThanOrEqualTo(0.999);
    }
  }

  @Test
  void blankOrNullTextIsAbsentNotTheEmbeddingOfAnEmptyString() {
    List<float[]> out = encoder.encode(Arrays.asList("Hello there.", null, "", "   \t\n", "Bye."));

    assertThat(out).hasSize(5);
    assertThat(out.get(0)).hasSize(384);
    assertThat(out.get(1)).isNull();
    assertThat(out.get(2)).isNull();
    assertThat(out.get(3)).isNull();
    assertThat(out.get(4)).hasSize(384);
  }

  @Test
  void miniLmTruncatesAt128TokensAsItsTokenizerJsonSays() {
    String head = Sentences.LONG_PARAGRAPH.repeat(4); // well over 128 tokens
    List<float[]> out = encoder.encode(List.of(head, head + " And then everything changed."));

    assertThat(out.get(1)).containsExactly(out.get(0));
  }

  @Test
  void anEmptyBatchGivesAnEmptyResult() {
    assertThat(encoder.encode(List.of())).isEmpty();
  }

  @Test
  void embeddingsAreUnitLength() {
    for (float[] v : encoder.encode(Sentences.varied())) {
      assertThat(norm(v)).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-5));
    }
  }

  @Test
  void aSentenceEmbedsExactlyTheSameAloneAndInABatch() {
    List<String> sentences = Sentences.varied();
    List<float[]> batched = encoder.encode(sentences);

    for (int i = 0; i < sentences.size(); i += 7) {
      float[] alone = encoder.encode(List.of(sentences.get(i))).get(0);
      assertThat(alone).containsExactly(batched.get(i));
    }
  }

  @Test
  void paddedBatchesPlaceEachRowCorrectly() {
    // Identical rows need no padding and share one quantisation range: exact equality shows the
    // padded path reads every row and pools the right positions.
    try (OnnxTextEncoder padded = open(Batching.PADDED)) {
      String s = "I can't believe you did that to me!";
      List<float[]> out = padded.encode(List.of(s, s, s));
      float[] alone = encoder.encode(List.of(s)).get(0);
      assertThat(out).allSatisfy(v -> assertThat(v).containsExactly(alone));
    }
  }

  @Test
  void paddedBatchesOfAQuantisedModelDependOnTheirNeighbours() {
    // Why the built-ins run per window: DynamicQuantizeLinear takes one range per batch tensor.
    try (OnnxTextEncoder padded = open(Batching.PADDED)) {
      List<String> sentences = Sentences.varied().subList(0, 40);
      List<float[]> batched = padded.encode(sentences);
      List<float[]> exact = encoder.encode(sentences);
      double worst = 1;
      for (int i = 0; i < sentences.size(); i++) {
        worst = Math.min(worst, cosine(batched.get(i), exact.get(i)));
      }
      assertThat(worst).isLessThan(0.999).isGreaterThan(0.9);
    }
  }

  private static OnnxTextEncoder open(Batching batching) {
    TextEncoderSpec base = BuiltInTextEncoder.ALL_MINILM_L6_V2_Q.spec();
    return OnnxTextEncoder.open(
        new TextEncoderSpec(base.id(), base.pooling(), base.maxLength(), base.prefix(), batching),
        BuiltInTextEncoder.ALL_MINILM_L6_V2_Q.files(),
        SessionSettings.cpu(1));
  }

  @Test
  void severalThreadsGiveExactlyTheSameEmbeddingsAsOne() {
    List<String> sentences = Sentences.varied();
    List<float[]> single = encoder.encode(sentences);
    try (OnnxTextEncoder parallel = TextEncoders.open("all-minilm-l6-v2-q", SessionSettings.cpu(3))) {
      List<float[]> out = parallel.encode(sentences);
      for (int i = 0; i < sentences.size(); i++) {
        assertThat(out.get(i)).containsExactly(single.get(i));
      }
    }
  }

  @Test
  void encodingIsDeterministic() {
    List<String> sentences = Sentences.varied().subList(0, 10);
    List<float[]> first = encoder.encode(sentences);
    List<float[]> second = encoder.encode(sentences);
    for (int i = 0; i < sentences.size(); i++) {
      assertThat(second.get(i)).containsExactly(first.get(i));
    }
  }

  @Test
  void aDirectoryWithModelTokenizerAndManifestIsAnEncoder(@TempDir Path dir) throws IOException {
    TextModelFiles files = BuiltInTextEncoder.ALL_MINILM_L6_V2_Q.files();
    Files.write(dir.resolve("model.onnx"), files.onnx());
    Files.write(dir.resolve("tokenizer.json"), files.tokenizerJson());
    Files.writeString(dir.resolve("encoder.json"),
        "{\"id\": \"my-minilm\", \"version\": \"7\", \"dim\": 384, \"pooling\": \"mean\","
            + " \"max_length\": 512, \"batching\": \"per_window\"}");

    try (OnnxTextEncoder custom = TextEncoders.open(dir.toString(), SessionSettings.cpu(1))) {
      assertThat(custom.id()).isEqualTo(new EncoderId("my-minilm", "7", 384));
      List<String> sentences = List.of("I am so happy for you!", "Leave me alone.");
      List<float[]> theirs = custom.encode(sentences);
      List<float[]> builtIn = encoder.encode(sentences);
      assertThat(theirs.get(0)).containsExactly(builtIn.get(0));
      assertThat(theirs.get(1)).containsExactly(builtIn.get(1));
    }
  }

  @Test
  void aManifestWhoseDimDisagreesWithTheModelIsRefused(@TempDir Path dir) throws IOException {
    TextModelFiles files = BuiltInTextEncoder.ALL_MINILM_L6_V2_Q.files();
    Files.write(dir.resolve("model.onnx"), files.onnx());
    Files.write(dir.resolve("tokenizer.json"), files.tokenizerJson());
    Files.writeString(dir.resolve("encoder.json"), "{\"id\": \"x\", \"version\": \"1\", \"dim\": 768}");

    assertThatThrownBy(() -> TextEncoders.open(dir.toString(), SessionSettings.cpu(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("768")
        .hasMessageContaining("384");
  }

  @Test
  void anUnknownNameSaysWhatIsAvailable() {
    assertThatThrownBy(() -> TextEncoders.open("no-such-encoder", SessionSettings.cpu(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("all-minilm-l6-v2-q")
        .hasMessageContaining("bge-small-en-v15-q")
        .hasMessageContaining("e5-small-v2-q");
  }

  static double cosine(float[] a, float[] b) {
    double dot = 0;
    double na = 0;
    double nb = 0;
    for (int i = 0; i < a.length; i++) {
      dot += (double) a[i] * b[i];
      na += (double) a[i] * a[i];
      nb += (double) b[i] * b[i];
    }
    return dot / Math.sqrt(na * nb);
  }

  static double norm(float[] v) {
    double s = 0;
    for (float x : v) {
      s += (double) x * x;
    }
    return Math.sqrt(s);
  }

  static String abbreviate(String s) {
    return s.length() <= 60 ? s : s.substring(0, 57) + "...";
  }

  static List<float[]> referenceEmbeddings(EmbeddingModel model, List<String> texts) {
    List<float[]> out = new ArrayList<>();
    for (String t : texts) {
      out.add(model.embed(t).content().vector());
    }
    return out;
  }
}
