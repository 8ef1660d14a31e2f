package io.mister.processor.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mister.events.EmotionEvent;
import io.mister.processor.ProcessorSettings;
import io.mister.processor.support.EmotionDriver;
import io.mister.processor.support.Fixtures;
import io.mister.processor.support.Turns;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Start-up refusal of a mismatching model, and hot swaps on the watched path. */
class ModelHotSwapTest {

    @TempDir
    Path dir;

    @Test
    void refusesToStartWithAModelThatDoesNotMatchTheConfiguredInputs() {
        InputExpectations expected = new InputExpectations("all-minilm-l6-v2-q@1", 384, "test-speech@1", 88, null);
        assertThatThrownBy(() -> ModelHolder.load(Fixtures.TINY_HEAD, Fixtures.CPU, expected))
                .isInstanceOf(ModelMismatchException.class)
                .hasMessageContaining("text encoder: expected all-minilm-l6-v2-q@1 but the model declares test-text@1")
                .hasMessageContaining("text dimension: expected 384 but the model declares 8")
                .hasMessageContaining("speech dimension: expected 88 but the model declares 6")
                .hasMessageNotContaining("speech encoder");
    }

    @Test
    void refusesAFileThatIsNotAHead() throws IOException {
        Path garbage = Files.write(dir.resolve("garbage.onnx"), new byte[] {1, 2, 3});
        assertThatThrownBy(() -> ModelHolder.load(garbage, Fixtures.CPU, InputExpectations.fromModel()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Not a loadable ONNX model");
    }

    @Test
    void swapsANewModelMidConversationAndRefusesABadOne() throws IOException {
        Path watched = dir.resolve("head.onnx");
        Files.copy(Fixtures.TINY_HEAD, watched);
        try (ModelHolder holder = ModelHolder.load(watched, Fixtures.CPU, InputExpectations.fromModel());
             ModelWatcher watcher = new ModelWatcher(holder, watched);
             EmotionDriver d = new EmotionDriver(holder, ProcessorSettings.defaults().withWindow(8, 2), dir.resolve("state"))) {
            d.send(Turns.embedding("call-h", 0));
            d.flushBatch();
            assertThat(watcher.checkNow()).isEqualTo(ModelWatcher.Outcome.UNCHANGED);

            replace(watched, Fixtures.TINY_HEAD_V2);
            assertThat(watcher.checkNow()).isEqualTo(ModelWatcher.Outcome.SWAPPED);
            d.send(Turns.embedding("call-h", 1));
            d.flushBatch();

            replace(watched, Files.write(dir.resolve("broken.onnx"), new byte[] {42}));
            assertThat(watcher.checkNow()).isEqualTo(ModelWatcher.Outcome.REFUSED);
            assertThat(holder.refusedCount()).isEqualTo(1);
            d.send(Turns.embedding("call-h", 2));
            d.end("call-h");

            List<EmotionEvent> events = d.events();
            assertThat(events).filteredOn(e -> !e.getFinal$()).extracting(EmotionEvent::getSeq, EmotionEvent::getModelVersion)
                    .startsWith(org.assertj.core.groups.Tuple.tuple(0L, "tiny-1"))
                    .contains(org.assertj.core.groups.Tuple.tuple(1L, "tiny-2"), org.assertj.core.groups.Tuple.tuple(2L, "tiny-2"));
            assertThat(events).filteredOn(EmotionEvent::getFinal$).hasSize(3)
                    .allSatisfy(e -> assertThat(e.getModelVersion()).isEqualTo("tiny-2"));
            assertThat(holder.swapCount()).isEqualTo(1);
        }
    }

    @Test
    void refusesASwapToAModelWithOtherLabels() throws IOException {
        Path watched = dir.resolve("head.onnx");
        Files.copy(Fixtures.TINY_HEAD, watched);
        InputExpectations sameLabels = new InputExpectations(null, null, null, null,
                List.of("neutral", "joy", "surprise", "anger", "sadness", "disgust", "fear"));
        try (ModelHolder holder = ModelHolder.load(watched, Fixtures.CPU, sameLabels)) {
            assertThat(holder.swap(Fixtures.TINY_HEAD_V2)).isTrue();
        }
        InputExpectations otherLabels = new InputExpectations(null, null, null, null, List.of("positive", "negative"));
        assertThatThrownBy(() -> ModelHolder.load(watched, Fixtures.CPU, otherLabels))
                .isInstanceOf(ModelMismatchException.class).hasMessageContaining("labels: expected [positive, negative]");
    }

    private static void replace(Path watched, Path content) throws IOException {
        Path staged = Files.copy(content, watched.resolveSibling("staged.tmp"), StandardCopyOption.REPLACE_EXISTING);
        Files.move(staged, watched, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        // Both fixtures have the same size; give each replacement its own time even on coarse-timestamp file systems.
        Files.setLastModifiedTime(watched, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() + Files.size(watched)));
    }
}
