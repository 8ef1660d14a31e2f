package io.mister.processor.inference;

import io.mister.processor.context.Turn;

/** One turn with the scores it got: row {@code row} of {@code scores}. */
public record ScoredTurn(Turn turn, SequenceScores scores, int row) {

    public int label() {
        return scores.label(row);
    }

    public float[] probabilities() {
        return scores.probabilities(row);
    }
}
