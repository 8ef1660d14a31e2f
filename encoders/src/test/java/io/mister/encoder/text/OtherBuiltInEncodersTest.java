package io.mister.encoder.text;

import static io.mister.encoder.text.OnnxTextEncoderTest.abbreviate;
import static io.mister.encoder.text.OnnxTextEncoderTest.cosine;
import static org.assertj.core.api.Assertions.assertThat;

import dev.langchain4j.model.embedding.EmbeddingModel;
import dev.langchain4j.model.embedding.onnx.bgesmallenv15q.BgeSmallEnV15QuantizedEmbeddingModel;
import dev.langchain4j.model.embedding.onnx.e5smallv2q.E5SmallV2QuantizedEmbeddingModel;
import io.mister.encoder.EncoderId;
import io.mister.inference.SessionSettings;
import java.util.List;
import org.junit.jupiter.api.Test;

/** BGE and E5: same agreement with LangChain4j, including the windowing of texts over 510 tokens. */
class OtherBuiltInEncodersTest {

  @Test
  void bgeUsesClsPoolingAndAgreesWithLangChain4j() {
    try (OnnxTextEncoder bge = TextEncoders.open("bge-small-en-v15-q", SessionSettings.cpu(1))) {
      assertThat(bge.id()).isEqualTo(new EncoderId("bge-small-en-v15-q", "1", 384));
      assertThat(bge.spec().pooling()).isEqualTo(Pooling.CLS);
      assertAgreement(bge, new BgeSmallEnV15QuantizedEmbeddingModel(), "");
    }
  }

  @Test
  void e5PrefixesQueryAndAgreesWithLangChain4jGivenTheSamePrefix() {
    try (OnnxTextEncoder e5 = TextEncoders.open("e5-small-v2-q", SessionSettings.cpu(1))) {
      assertThat(e5.id()).isEqualTo(new EncoderId("e5-small-v2-q", "1", 384));
      assertThat(e5.spec().prefix()).isEqualTo("query: ");
      assertAgreement(e5, new E5SmallV2QuantizedEmbeddingModel(), "query: ");
    }
  }

  private static void assertAgreement(OnnxTextEncoder ours, EmbeddingModel reference, String prefix) {
    List<String> sentences = Sentences.varied();
    List<float[]> embeddings = ours.encode(sentences);
    for (int i = 0; i < sentences.size(); i++) {
      float[] expected = reference.embed(prefix + sentences.get(i)).content().vector();
      assertThat(cosine(embeddings.get(i), expected))
          .as("cosine to LangChain4j for \"%s\"", abbreviate(sentences.get(i)))
          .isGreaterThanOrEqualTo(0.999);
    }
  }
}
