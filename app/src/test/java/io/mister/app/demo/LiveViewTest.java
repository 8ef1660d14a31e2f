package io.mister.app.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.mister.events.EmotionEvent;
import io.mister.events.ExpertProbabilities;
import io.mister.events.ExpertWeights;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class LiveViewTest {

    private static final List<String> LABELS = List.of("neutral", "joy", "surprise", "anger", "sadness", "disgust", "fear");

    @Test
    void gateWeightsAreDrawnAsThreeCharacterBars() {
        assertThat(LiveView.bar(0f)).isEqualTo("   ");
        assertThat(LiveView.bar(1f)).isEqualTo("\u2588\u2588\u2588");
        assertThat(LiveView.bar(0.5f)).isEqualTo("\u2588\u2584 ");
        assertThat(LiveView.bars(new ExpertWeights(0f, 0.75f, 0.25f))).startsWith("S    T");
    }

    @Test
    void theScreenShowsProvisionalRevisionsAndTheFinalLabelOfEveryTurn() {
        DemoScript script = DemoScript.bundled();
        TurnTimeline timeline = new TurnTimeline(script);
        ByteArrayOutputStream screen = new ByteArrayOutputStream();
        LiveView view = new LiveView(new PrintStream(screen, true, StandardCharsets.UTF_8), false, timeline);
        String id = script.conversations().get(0).id();
        for (EmotionEvent e : List.of(event(id, "neutral", 0, false), event(id, "anger", 1, false), event(id, "anger", 2, true))) {
            view.onEvent(e, timeline.add(e));
        }
        view.draw();
        String text = screen.toString(StandardCharsets.UTF_8);
        assertThat(text).contains("neutral > anger > ").contains("ANGER").contains("1 of 27 turns final");
        assertThat(text).contains("(chat, no audio)");
    }

    private static EmotionEvent event(String conversation, String label, int revision, boolean last) {
        List<Float> probs = List.of(0.1f, 0.1f, 0.1f, 0.4f, 0.1f, 0.1f, 0.1f);
        return EmotionEvent.newBuilder().setConversationId(conversation).setUtteranceId(conversation + "-0").setSeq(0)
                .setLabel(label).setConfidence(0.4f).setLabels(LABELS).setProbabilities(probs)
                .setExpertWeights(new ExpertWeights(0.3f, 0.5f, 0.2f))
                .setExpertProbabilities(new ExpertProbabilities(probs, probs, probs))
                .setTextPresent(true).setSpeechPresent(true).setRevision(revision).setFinal$(last)
                .setModelVersion("m").setTextEncoder("t").setSpeechEncoder("s")
                .setEventTime(Instant.EPOCH).setEmittedAt(Instant.EPOCH).setLatencyMs(5).build();
    }
}
