package io.mister.processor.inference;

/**
 * The head's outputs for one scored window of {@code turns} turns and {@code classes} labels, copied out
 * of the ONNX result (so they outlive it). Expert order is (speech, text, cross-modal).
 */
public final class SequenceScores {

    public static final int EXPERTS = 3;
    public static final int SPEECH = 0;
    public static final int TEXT = 1;
    public static final int CROSS_MODAL = 2;

    private final int turns;
    private final int classes;
    private final float[] probs;
    private final float[] gate;
    private final float[] expertProbs;

    SequenceScores(int turns, int classes, float[] probs, float[] gate, float[] expertProbs) {
        this.turns = turns;
        this.classes = classes;
        this.probs = probs;
        this.gate = gate;
        this.expertProbs = expertProbs;
    }

    public int turns() {
        return turns;
    }

    public int classes() {
        return classes;
    }

    public float probability(int turn, int label) {
        return probs[turn * classes + label];
    }

    public float[] probabilities(int turn) {
        float[] row = new float[classes];
        System.arraycopy(probs, turn * classes, row, 0, classes);
        return row;
    }

    /** Index of the most probable label; ties go to the lower index, so the choice is deterministic. */
    public int label(int turn) {
        int best = 0;
        for (int c = 1; c < classes; c++) {
            if (probability(turn, c) > probability(turn, best)) {
                best = c;
            }
        }
        return best;
    }

    public float gate(int turn, int expert) {
        return gate[turn * EXPERTS + expert];
    }

    public float[] expertProbabilities(int turn, int expert) {
        float[] row = new float[classes];
        System.arraycopy(expertProbs, (turn * EXPERTS + expert) * classes, row, 0, classes);
        return row;
    }
}
