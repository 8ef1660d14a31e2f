package io.mister.app.demo;

import io.mister.app.evaluation.LatencySummary;
import io.mister.events.EmotionEvent;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/** The closing summary of a demo run: agreement with the script, revisions, latency, gate weights. */
public final class DemoSummary {

    private DemoSummary() {}

    public static void print(TurnTimeline timeline, long elapsedMs, String modelVersion, PrintStream out) {
        List<TurnTimeline.TurnView> turns = timeline.turns();
        int finals = 0;
        int agree = 0;
        int revised = 0;
        List<Long> provisionalLatency = new ArrayList<>();
        List<Long> finalLatency = new ArrayList<>();
        double[] voiceGate = new double[3];
        double[] chatGate = new double[3];
        int voiceTurns = 0;
        int chatTurns = 0;
        for (TurnTimeline.TurnView turn : turns) {
            if (turn.provisional() != null) {
                provisionalLatency.add(turn.provisional().getLatencyMs());
            }
            if (!turn.isFinal()) {
                continue;
            }
            EmotionEvent last = turn.latest();
            finals++;
            finalLatency.add(last.getLatencyMs());
            if (last.getLabel().equals(turn.intended())) {
                agree++;
            }
            if (turn.events.stream().map(EmotionEvent::getLabel).distinct().count() > 1) {
                revised++;
            }
            double[] gate = turn.audio ? voiceGate : chatGate;
            gate[0] += last.getExpertWeights().getSpeech();
            gate[1] += last.getExpertWeights().getText();
            gate[2] += last.getExpertWeights().getCrossModal();
            if (turn.audio) {
                voiceTurns++;
            } else {
                chatTurns++;
            }
        }
        out.println();
        out.printf("Summary (model %s): %d of %d turns final in %d conversations, %.1f s%n", modelVersion, finals,
                turns.size(), timeline.conversations().size(), elapsedMs / 1000.0);
        out.printf("  final label = the script's intended emotion: %d of %d turns%n", agree, finals);
        out.printf("  turns whose label changed after later turns arrived: %d%n", revised);
        out.printf("  latency, end of turn -> provisional: %s%n", new LatencySummary(provisionalLatency));
        out.printf("  latency, end of turn -> final:       %s%n", new LatencySummary(finalLatency));
        out.printf("  mean gate on voice turns (%d): speech %.2f, text %.2f, cross-modal %.2f%n", voiceTurns,
                mean(voiceGate[0], voiceTurns), mean(voiceGate[1], voiceTurns), mean(voiceGate[2], voiceTurns));
        out.printf("  mean gate on chat turns  (%d): speech %.2f, text %.2f, cross-modal %.2f  (no audio: speech weighs 0)%n",
                chatTurns, mean(chatGate[0], chatTurns), mean(chatGate[1], chatTurns), mean(chatGate[2], chatTurns));
        for (String conversation : timeline.conversations()) {
            StringBuilder labels = new StringBuilder();
            for (TurnTimeline.TurnView turn : turns) {
                if (turn.conversationId.equals(conversation)) {
                    labels.append(turn.isFinal() ? turn.latest().getLabel() : "?").append(' ');
                }
            }
            out.printf("  %-22s %s%n", conversation, labels.toString().trim());
        }
        out.flush();
    }

    private static double mean(double sum, int n) {
        return n == 0 ? 0 : sum / n;
    }
}
