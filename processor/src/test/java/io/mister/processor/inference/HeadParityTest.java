package io.mister.processor.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mister.processor.context.Turn;
import io.mister.processor.support.Fixtures;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The Java head (ONNX Runtime, our input building and output slicing) reproduces PyTorch's outputs. */
class HeadParityTest {

    private static final double TOLERANCE = 1e-4;

    @ParameterizedTest
    @ValueSource(strings = {"tiny-head.onnx", "tiny-head-v2.onnx"})
    void reproducesTorchOutputsBatchedAndOneByOne(String model) throws IOException {
        JsonNode parity = new ObjectMapper().readTree(Fixtures.PARITY.toFile());
        List<List<Turn>> windows = windows(parity.get("inputs"));
        JsonNode expected = parity.get("models").get(model).get("outputs");
        try (EmotionHead head = Fixtures.head(Fixtures.TINY_HEAD.resolveSibling(model))) {
            assertThat(head.spec().modelVersion()).isEqualTo(parity.get("models").get(model).get("model_version").asText());
            List<SequenceScores> batched = head.score(windows, new HeadInputs());
            for (int b = 0; b < windows.size(); b++) {
                assertMatches(batched.get(b), expected, b);
                // Alone (no padding) the scores are the same: padding does not leak into real turns.
                assertMatches(head.score(List.of(windows.get(b)), new HeadInputs()).get(0), expected, b);
            }
        }
    }

    private static void assertMatches(SequenceScores scores, JsonNode expected, int b) {
        for (int t = 0; t < scores.turns(); t++) {
            for (int c = 0; c < scores.classes(); c++) {
                assertThat((double) scores.probability(t, c)).as("probs[%d][%d][%d]", b, t, c)
                        .isCloseTo(expected.get("probs").get(b).get(t).get(c).asDouble(), within(TOLERANCE));
                for (int e = 0; e < SequenceScores.EXPERTS; e++) {
                    assertThat((double) scores.expertProbabilities(t, e)[c]).as("expert_probs[%d][%d][%d][%d]", b, t, e, c)
                            .isCloseTo(expected.get("expert_probs").get(b).get(t).get(e).get(c).asDouble(), within(TOLERANCE));
                }
            }
            for (int e = 0; e < SequenceScores.EXPERTS; e++) {
                assertThat((double) scores.gate(t, e)).as("gate[%d][%d][%d]", b, t, e)
                        .isCloseTo(expected.get("gate").get(b).get(t).get(e).asDouble(), within(TOLERANCE));
            }
        }
    }

    private static List<List<Turn>> windows(JsonNode inputs) {
        List<List<Turn>> windows = new ArrayList<>();
        for (int b = 0; b < inputs.get("valid").size(); b++) {
            List<Turn> window = new ArrayList<>();
            for (int t = 0; t < inputs.get("valid").get(b).size(); t++) {
                if (inputs.get("valid").get(b).get(t).asDouble() == 0) {
                    continue;
                }
                boolean text = inputs.get("text_mask").get(b).get(t).asDouble() > 0;
                boolean speech = inputs.get("speech_mask").get(b).get(t).asDouble() > 0;
                window.add(new Turn("u" + t, t, 0, text ? floats(inputs.get("text").get(b).get(t)) : null,
                        speech ? floats(inputs.get("speech").get(b).get(t)) : null));
            }
            windows.add(window);
        }
        return windows;
    }

    private static float[] floats(JsonNode array) {
        float[] values = new float[array.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) array.get(i).asDouble();
        }
        return values;
    }
}
