package io.mister.processor.emission;

import io.mister.events.EmotionEvent;
import io.mister.processor.context.Turn;
import io.mister.processor.gating.GateExplanation;
import io.mister.processor.inference.HeadSpec;
import io.mister.processor.inference.ScoredTurn;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds the emotion event of one scored turn. Everything in it follows from the inputs and the model,
 * except {@code emitted_at} and {@code latency_ms}, the only wall-clock fields.
 */
public final class EmotionEventFactory {

    private final HeadSpec spec;

    /** For events produced by the model described by {@code spec}. */
    public EmotionEventFactory(HeadSpec spec) {
        this.spec = spec;
    }

    public EmotionEvent event(String conversationId, ScoredTurn scored, int revision, boolean isFinal, long emittedAtMs) {
        Turn turn = scored.turn();
        int label = scored.label();
        float[] probabilities = scored.probabilities();
        GateExplanation explanation = GateExplanation.of(scored);
        List<Float> probs = new ArrayList<>(probabilities.length);
        for (float p : probabilities) {
            probs.add(p);
        }
        return EmotionEvent.newBuilder()
                .setConversationId(conversationId)
                .setUtteranceId(turn.utteranceId())
                .setSeq(turn.seq())
                .setLabel(spec.labels().get(label))
                .setConfidence(probabilities[label])
                .setLabels(spec.labels())
                .setProbabilities(probs)
                .setExpertWeights(explanation.weights())
                .setExpertProbabilities(explanation.experts())
                .setTextPresent(turn.textPresent())
                .setSpeechPresent(turn.speechPresent())
                .setRevision(revision)
                .setFinal$(isFinal)
                .setModelVersion(spec.modelVersion())
                .setTextEncoder(spec.textEncoder())
                .setSpeechEncoder(spec.speechEncoder())
                .setEventTime(Instant.ofEpochMilli(turn.eventTime()))
                .setEmittedAt(Instant.ofEpochMilli(emittedAtMs))
                .setLatencyMs(emittedAtMs - turn.eventTime())
                .build();
    }
}
