package io.mister.processor.gating;

import io.mister.events.ExpertProbabilities;
import io.mister.events.ExpertWeights;
import io.mister.processor.inference.ScoredTurn;
import io.mister.processor.inference.SequenceScores;
import java.util.ArrayList;
import java.util.List;

/**
 * Why a turn got its label: the gate's weight of each expert (speech, text, cross-modal) and what each
 * expert alone said. The head's gate already routes around a missing modality (its expert weighs 0); this
 * class only turns the head's rows into the event's explanation.
 */
public record GateExplanation(ExpertWeights weights, ExpertProbabilities experts) {

    public static GateExplanation of(ScoredTurn scored) {
        SequenceScores s = scored.scores();
        int row = scored.row();
        ExpertWeights weights = new ExpertWeights(s.gate(row, SequenceScores.SPEECH), s.gate(row, SequenceScores.TEXT),
                s.gate(row, SequenceScores.CROSS_MODAL));
        ExpertProbabilities experts = new ExpertProbabilities(
                boxed(s.expertProbabilities(row, SequenceScores.SPEECH)),
                boxed(s.expertProbabilities(row, SequenceScores.TEXT)),
                boxed(s.expertProbabilities(row, SequenceScores.CROSS_MODAL)));
        return new GateExplanation(weights, experts);
    }

    static List<Float> boxed(float[] values) {
        List<Float> list = new ArrayList<>(values.length);
        for (float v : values) {
            list.add(v);
        }
        return list;
    }
}
