package io.mister.app.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mister.app.config.ConfigLoader;
import io.mister.app.config.MisterConfig;
import io.mister.encoder.EncoderId;
import io.mister.encoder.speech.ProsodySpeechEncoder;
import io.mister.encoder.text.OnnxTextEncoder;
import io.mister.encoder.text.TextEncoders;
import io.mister.inference.SessionSettings;
import io.mister.processor.context.Turn;
import io.mister.processor.inference.EmotionHead;
import io.mister.processor.inference.HeadInputs;
import io.mister.processor.inference.HeadSpec;
import io.mister.processor.inference.InputExpectations;
import io.mister.processor.inference.SequenceScores;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every model shipped in models/ reproduces its PyTorch outputs through the processor's inference code
 * (EmotionHead, HeadInputs), and the default model fits the encoders the default configuration opens.
 * The parity files (models/parity/&lt;stem&gt;-parity.json: real inputs, torch outputs) are written by
 * training/tools/shipped_parity.py when a head is exported; see docs/model-contract.md.
 */
class ShippedModelsTest {

    /** Tests run in the module directory (app/). */
    private static final Path REPO = Path.of("..");
    private static final Path MODELS = REPO.resolve("models");
    private static final double TOLERANCE = 1e-4;
    private static final SessionSettings CPU = SessionSettings.cpu(1);

    static List<Path> shippedModels() throws IOException {
        try (Stream<Path> files = Files.list(MODELS)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".onnx")).sorted().toList();
        }
    }

    private static Path parityFile(Path model) {
        String name = model.getFileName().toString();
        return MODELS.resolve("parity").resolve(name.substring(0, name.length() - ".onnx".length()) + "-parity.json");
    }

    @Test
    void modelsAreShipped() throws IOException {
        assertThat(shippedModels()).extracting(f -> f.getFileName().toString())
                .contains(defaultConfig().modelPath().getFileName().toString());
    }

    @ParameterizedTest
    @MethodSource("shippedModels")
    void everyShippedModelReproducesItsTorchOutputsBatchedAndOneByOne(Path model) throws IOException {
        Path parityFile = parityFile(model);
        assertThat(parityFile).as("%s is shipped without a parity file: run training/tools/shipped_parity.py", model)
                .exists();
        JsonNode parity = new ObjectMapper().readTree(parityFile.toFile());
        JsonNode expected = parity.get("models").get(model.getFileName().toString());
        assertThat(expected).as("%s has no entry for %s", parityFile, model.getFileName()).isNotNull();
        // A mismatch below usually means the .onnx was replaced without its parity file (or the reverse).
        String provenance = "parity file written for ONNX sha256 " + expected.path("onnx_sha256").asText("?")
                + ", this file is " + sha256(model);
        List<List<Turn>> windows = windows(parity.get("inputs"));
        try (EmotionHead head = EmotionHead.load(model, CPU)) {
            HeadSpec spec = head.spec();
            assertThat(spec.modelVersion()).as("model_version; %s", provenance)
                    .isEqualTo(expected.get("model_version").asText());
            assertThat(new InputExpectations(expected.get("text_encoder").asText(), expected.get("text_dim").asInt(),
                    expected.get("speech_encoder").asText(), expected.get("speech_dim").asInt(),
                    strings(expected.get("labels"))).mismatches(spec)).as(provenance).isEmpty();
            List<SequenceScores> batched = head.score(windows, new HeadInputs());
            for (int b = 0; b < windows.size(); b++) {
                assertThat(batched.get(b).turns()).isEqualTo(parity.get("lengths").get(b).asInt());
                assertMatches(batched.get(b), expected.get("outputs"), b, provenance);
                // Alone, without padding, the scores are the same.
                assertMatches(head.score(List.of(windows.get(b)), new HeadInputs()).get(0), expected.get("outputs"), b,
                        provenance);
            }
        }
    }

    @Test
    void defaultModelWasTrainedOnTheDefaultEncoders() {
        MisterConfig config = defaultConfig();
        // The same encoders the encoder stage opens (io.mister.app.stages.EncoderStages).
        try (EmotionHead head = EmotionHead.load(REPO.resolve(config.modelPath()), CPU);
                OnnxTextEncoder text = TextEncoders.open(textEncoder(config), CPU);
                ProsodySpeechEncoder speech = new ProsodySpeechEncoder()) {
            EncoderId t = text.id();
            EncoderId s = speech.id();
            assertThat(new InputExpectations(t.tag(), t.dim(), s.tag(), s.dim(), null).mismatches(head.spec()))
                    .as("%s against encoder.text=%s and the prosody speech encoder", config.modelPath(), config.textEncoder())
                    .isEmpty();
        }
    }

    private static MisterConfig defaultConfig() {
        return ConfigLoader.load(null, Map.of(), Map.of());
    }

    /** A built-in encoder name as is; a directory relative to the repository root, where the app runs. */
    private static String textEncoder(MisterConfig config) {
        Path directory = REPO.resolve(config.textEncoder());
        return Files.isDirectory(directory) ? directory.toString() : config.textEncoder();
    }

    private static void assertMatches(SequenceScores scores, JsonNode expected, int b, String provenance) {
        for (int t = 0; t < scores.turns(); t++) {
            for (int c = 0; c < scores.classes(); c++) {
                assertThat((double) scores.probability(t, c)).as("probs[%d][%d][%d]; %s", b, t, c, provenance)
                        .isCloseTo(expected.get("probs").get(b).get(t).get(c).asDouble(), within(TOLERANCE));
                for (int e = 0; e < SequenceScores.EXPERTS; e++) {
                    assertThat((double) scores.expertProbabilities(t, e)[c])
                            .as("expert_probs[%d][%d][%d][%d]; %s", b, t, e, c, provenance)
                            .isCloseTo(expected.get("expert_probs").get(b).get(t).get(e).get(c).asDouble(), within(TOLERANCE));
                }
            }
            for (int e = 0; e < SequenceScores.EXPERTS; e++) {
                assertThat((double) scores.gate(t, e)).as("gate[%d][%d][%d]; %s", b, t, e, provenance)
                        .isCloseTo(expected.get("gate").get(b).get(t).get(e).asDouble(), within(TOLERANCE));
            }
        }
    }

    /** The real (valid) turns of each conversation, absent modalities as null as the processor builds them. */
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

    private static List<String> strings(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(v -> values.add(v.asText()));
        return values;
    }

    private static String sha256(Path file) throws IOException {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
