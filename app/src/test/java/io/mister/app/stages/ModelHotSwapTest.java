package io.mister.app.stages;

import static org.assertj.core.api.Assertions.assertThat;

import io.mister.app.config.MisterConfig;
import io.mister.processor.inference.InputExpectations;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The live processor stage swaps in a new model written over model.path, and refuses a bad one. */
class ModelHotSwapTest {

    private static final Path FIXTURES = Path.of("../processor/src/test/resources/models");

    @TempDir
    Path dir;

    @Test
    void aNewModelRenamedOverTheWatchedPathIsServedWithoutARestartAndABadOneIsRefused() throws Exception {
        Path served = dir.resolve("head.onnx");
        Files.copy(FIXTURES.resolve("tiny-head.onnx"), served);
        MisterConfig config = new MisterConfig(Map.of(
                MisterConfig.MODEL_PATH, served.toString(),
                MisterConfig.MODEL_WATCH_INTERVAL_MS, "20",
                MisterConfig.INFERENCE_DEVICE, "cpu"));

        try (ProcessorStage stage = new PipelineStages(config).processor(served, InputExpectations.fromModel())) {
            assertThat(stage.model().currentSpec().modelVersion()).isEqualTo("tiny-1");

            replace(served, FIXTURES.resolve("tiny-head-v2.onnx"));
            await(() -> "tiny-2".equals(stage.model().currentSpec().modelVersion()));
            assertThat(stage.model().swapCount()).isEqualTo(1);

            Path garbage = dir.resolve("garbage.onnx");
            Files.writeString(garbage, "not a model");
            replace(served, garbage);
            await(() -> stage.model().refusedCount() == 1);
            assertThat(stage.model().currentSpec().modelVersion()).as("the old model keeps serving").isEqualTo("tiny-2");
        }
    }

    /** Writes beside the target, then renames over it: what docs/operations.md tells operators to do. */
    private void replace(Path target, Path source) throws Exception {
        Path staged = dir.resolve("staged.onnx");
        Files.copy(source, staged, StandardCopyOption.REPLACE_EXISTING);
        Files.move(staged, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** The watcher runs on its own thread: wait for what it does, with a deadline, by observing state. */
    private static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("condition not met within 30 s").isLessThan(deadline);
            Thread.onSpinWait();
            Thread.sleep(5);
        }
    }
}
