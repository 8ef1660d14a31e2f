package io.mister.processor.inference;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mister.processor.support.Fixtures;
import io.mister.processor.support.ParityFile;
import java.io.IOException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The Java head (ONNX Runtime, our input building and output slicing) reproduces PyTorch's outputs. */
class HeadParityTest {

    private static final double TOLERANCE = 1e-4;

    @ParameterizedTest
    @ValueSource(strings = {"tiny-head.onnx", "tiny-head-v2.onnx"})
    void reproducesTorchOutputsBatchedAndOneByOne(String model) throws IOException {
        JsonNode parity = new ObjectMapper().readTree(Fixtures.PARITY.toFile());
        try (EmotionHead head = Fixtures.head(Fixtures.TINY_HEAD.resolveSibling(model))) {
            assertThat(head.spec().modelVersion()).isEqualTo(parity.get("models").get(model).get("model_version").asText());
            ParityFile.assertHeadReproduces(head, parity.get("inputs"), parity.get("models").get(model).get("outputs"),
                    TOLERANCE, model);
        }
    }
}
