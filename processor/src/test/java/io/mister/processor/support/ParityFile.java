package io.mister.processor.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import io.mister.processor.context.Turn;
import io.mister.processor.inference.EmotionHead;
import io.mister.processor.inference.HeadInputs;
import io.mister.processor.inference.SequenceScores;
import java.util.ArrayList;
import java.util.List;

/**
 * A parity document (training/mister_e/parity.py): fixed inputs and the PyTorch outputs, which the Java
 * head must reproduce. Used for the test fixtures (HeadParityTest) and the shipped models (the app's
 * ShippedModelsTest).
 */
public final class ParityFile {

    private ParityFile() {}

    /**
     * Scores the document's conversations batched (padded together) and each alone, and asserts both match
     * the torch outputs within {@code tolerance}; {@code provenance} is added to every failure message.
     */
    public static void assertHeadReproduces(EmotionHead head, JsonNode inputs, JsonNode outputs, double tolerance,
                                            String provenance) {
        List<List<Turn>> windows = windows(inputs);
        List<SequenceScores> batched = head.score(windows, new HeadInputs());
        for (int b = 0; b < windows.size(); b++) {
            assertThat(batched.get(b).turns()).as("real turns of conversation %d; %s", b, provenance)
                    .isEqualTo(windows.get(b).size());
            assertMatches(batched.get(b), outputs, b, tolerance, provenance);
            // Alone (no padding) the scores are the same: padding does not leak into real turns.
            assertMatches(head.score(List.of(windows.get(b)), new HeadInputs()).get(0), outputs, b, tolerance, provenance);
        }
    }

    /** The real (valid) turns of each conversation, absent modalities as null as the processor builds them. */
    public static List<List<Turn>> windows(JsonNode inputs) {
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

    private static void assertMatches(SequenceScores scores, JsonNode expected, int b, double tolerance, String provenance) {
        for (int t = 0; t < scores.turns(); t++) {
            for (int c = 0; c < scores.classes(); c++) {
                assertThat((double) scores.probability(t, c)).as("probs[%d][%d][%d]; %s", b, t, c, provenance)
                        .isCloseTo(expected.get("probs").get(b).get(t).get(c).asDouble(), within(tolerance));
                for (int e = 0; e < SequenceScores.EXPERTS; e++) {
                    assertThat((double) scores.expertProbabilities(t, e)[c])
                            .as("expert_probs[%d][%d][%d][%d]; %s", b, t, e, c, provenance)
                            .isCloseTo(expected.get("expert_probs").get(b).get(t).get(e).get(c).asDouble(), within(tolerance));
                }
            }
            for (int e = 0; e < SequenceScores.EXPERTS; e++) {
                assertThat((double) scores.gate(t, e)).as("gate[%d][%d][%d]; %s", b, t, e, provenance)
                        .isCloseTo(expected.get("gate").get(b).get(t).get(e).asDouble(), within(tolerance));
            }
        }
    }

    private static float[] floats(JsonNode array) {
        float[] values = new float[array.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) array.get(i).asDouble();
        }
        return values;
    }
}
