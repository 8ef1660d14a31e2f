package io.mister.app.demo;

import io.mister.app.UntrainedHead;
import static org.assertj.core.api.Assertions.assertThat;

import io.mister.app.config.ConfigLoader;
import io.mister.app.config.MisterConfig;
import io.mister.events.EmotionEvent;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The demo end to end: real espeak-ng audio, both stages on an embedded broker, a real (untrained) head. */
class DemoTest {

    @TempDir
    Path dir;

    @Test
    void bundledScriptHasFourConversationsOneOfThemChatAndTwentyToThirtyTurns() {
        DemoScript script = DemoScript.bundled();
        assertThat(script.conversations()).hasSize(4);
        assertThat(script.conversations()).filteredOn(c -> !c.spoken()).hasSize(1);
        assertThat(script.turnCount()).isBetween(20, 30);
        assertThat(script.conversations()).allSatisfy(c ->
                assertThat(c.turns()).extracting(DemoScript.Turn::speaker).contains("agent", "customer"));
        assertThat(script.conversations().stream().flatMap(c -> c.turns().stream()).map(DemoScript.Turn::emotion).distinct())
                .hasSizeGreaterThanOrEqualTo(6);
    }

    @Test
    void everyTurnGetsAFinalEventAndChatTurnsRouteAroundTheMissingAudio() throws Exception {
        Path audio = dir.resolve("audio");
        Process generate = new ProcessBuilder("../app/demo/generate-audio.sh", audio.toString())
                .redirectErrorStream(true).start();
        String log = new String(generate.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(generate.waitFor()).as(log).isZero();
        assertThat(Files.list(audio).count()).isEqualTo(21);

        Map<String, String> defaults = new HashMap<>(io.mister.app.cli.DemoDefaults.of(dir.resolve("state")));
        defaults.put(MisterConfig.MODEL_PATH, UntrainedHead.PATH);
        defaults.put(MisterConfig.ENCODER_TEXT, UntrainedHead.TEXT_ENCODER);
        defaults.put(MisterConfig.INFERENCE_DEVICE, "cpu");
        MisterConfig config = ConfigLoader.load(defaults, null, Map.of(), Map.of());
        ByteArrayOutputStream screen = new ByteArrayOutputStream();
        Demo.Outcome outcome = new Demo(config, new Demo.Options(audio, 20, true, Duration.ofMinutes(2)),
                new PrintStream(screen, true, StandardCharsets.UTF_8)).run();

        String output = screen.toString(StandardCharsets.UTF_8);
        assertThat(outcome.complete()).as(output).isTrue();
        for (TurnTimeline.TurnView turn : outcome.timeline().turns()) {
            assertThat(turn.events.stream().filter(EmotionEvent::getFinal$)).as(turn.conversationId + "#" + turn.seq).hasSize(1);
            EmotionEvent last = turn.latest();
            assertThat(last.getSpeechPresent()).isEqualTo(turn.audio);
            assertThat(last.getTextPresent()).isTrue();
            if (!turn.audio) {
                assertThat(last.getExpertWeights().getSpeech()).isZero();
            }
        }
        assertThat(output).contains("Summary (model untrained-test-1): 27 of 27 turns final").contains("FINAL").contains("gate S");
    }
}
