package io.mister.app.models;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mister.app.config.ConfigLoader;
import io.mister.app.config.MisterConfig;
import io.mister.encoder.EncoderId;
import io.mister.encoder.speech.ProsodySpeechEncoder;
import io.mister.encoder.text.OnnxTextEncoder;
import io.mister.encoder.text.TextEncoders;
import io.mister.inference.SessionSettings;
import io.mister.processor.inference.EmotionHead;
import io.mister.processor.inference.HeadSpec;
import io.mister.processor.inference.InputExpectations;
import io.mister.processor.support.ParityFile;
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
        try (EmotionHead head = EmotionHead.load(model, CPU)) {
            HeadSpec spec = head.spec();
            assertThat(spec.modelVersion()).as("model_version; %s", provenance)
                    .isEqualTo(expected.get("model_version").asText());
            assertThat(new InputExpectations(expected.get("text_encoder").asText(), expected.get("text_dim").asInt(),
                    expected.get("speech_encoder").asText(), expected.get("speech_dim").asInt(),
                    strings(expected.get("labels"))).mismatches(spec)).as(provenance).isEmpty();
            ParityFile.assertHeadReproduces(head, parity.get("inputs"), expected.get("outputs"), TOLERANCE, provenance);
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
