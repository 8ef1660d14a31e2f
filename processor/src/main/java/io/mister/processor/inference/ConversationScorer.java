package io.mister.processor.inference;

import io.mister.processor.context.Turn;
import java.util.ArrayList;
import java.util.List;

/**
 * Scores one conversation with the head, the way the topology does: its growing prefixes (what the
 * provisional events say when turns arrive in order) and the whole conversation with full context (what
 * the final events say). The topology's final scoring calls {@link #scoreWhole}; {@code evaluate
 * --offline} uses both.
 */
public final class ConversationScorer {

    private final BatchScorer scorer;
    private final int windowTurns;

    public ConversationScorer(BatchScorer scorer, int windowTurns) {
        if (windowTurns < 1) {
            throw new IllegalArgumentException("windowTurns must be >= 1, was " + windowTurns);
        }
        this.scorer = scorer;
        this.windowTurns = windowTurns;
    }

    /** An offline scorer with its own input buffers. */
    public static ConversationScorer offline(EmotionHead head, int windowTurns, int maxBatch) {
        return new ConversationScorer(new BatchScorer(head, new HeadInputs(), maxBatch, ScoringObserver.NONE), windowTurns);
    }

    /**
     * Each turn scored on the turns up to it (at most {@code W}, ending with it), as the provisional
     * event of a turn that arrived in order. {@code turns} must be in seq order.
     */
    public List<ScoredTurn> scorePrefixes(List<Turn> turns) {
        List<List<Turn>> windows = new ArrayList<>(turns.size());
        for (int i = 0; i < turns.size(); i++) {
            windows.add(turns.subList(Math.max(0, i + 1 - windowTurns), i + 1));
        }
        List<SequenceScores> scores = scorer.score(windows);
        List<ScoredTurn> scored = new ArrayList<>(turns.size());
        for (int i = 0; i < turns.size(); i++) {
            scored.add(new ScoredTurn(turns.get(i), scores.get(i), windows.get(i).size() - 1));
        }
        return scored;
    }

    /** Every turn scored with full (bidirectional) context, see {@link BidirectionalWindows}. */
    public List<ScoredTurn> scoreWhole(List<Turn> turns) {
        if (turns.isEmpty()) {
            return List.of();
        }
        BidirectionalWindows plan = BidirectionalWindows.plan(turns.size(), windowTurns);
        List<List<Turn>> windows = new ArrayList<>(plan.windows().size());
        for (BidirectionalWindows.Window window : plan.windows()) {
            windows.add(turns.subList(window.start(), window.start() + window.length()));
        }
        List<SequenceScores> scores = scorer.score(windows);
        List<ScoredTurn> scored = new ArrayList<>(turns.size());
        for (int i = 0; i < turns.size(); i++) {
            BidirectionalWindows.Assignment at = plan.assignment(i);
            scored.add(new ScoredTurn(turns.get(i), scores.get(at.window()), at.row()));
        }
        return scored;
    }
}
