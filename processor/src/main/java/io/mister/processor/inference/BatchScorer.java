package io.mister.processor.inference;

import io.mister.processor.context.Turn;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Scores any number of windows in bounded batches. Windows are grouped by length (longest first) so that
 * padding stays small; results come back in the order the windows were given.
 */
public final class BatchScorer {

    private final EmotionHead head;
    private final HeadInputs inputs;
    private final int maxBatch;
    private final ScoringObserver observer;

    public BatchScorer(EmotionHead head, HeadInputs inputs, int maxBatch, ScoringObserver observer) {
        if (maxBatch < 1) {
            throw new IllegalArgumentException("maxBatch must be >= 1, was " + maxBatch);
        }
        this.head = head;
        this.inputs = inputs;
        this.maxBatch = maxBatch;
        this.observer = observer;
    }

    public EmotionHead head() {
        return head;
    }

    public List<SequenceScores> score(List<List<Turn>> windows) {
        Integer[] order = new Integer[windows.size()];
        Arrays.setAll(order, i -> i);
        // Stable sort: equal lengths keep their order, so the same windows always form the same batches.
        Arrays.sort(order, Comparator.comparingInt((Integer i) -> windows.get(i).size()).reversed());
        SequenceScores[] results = new SequenceScores[windows.size()];
        for (int from = 0; from < order.length; from += maxBatch) {
            int to = Math.min(order.length, from + maxBatch);
            List<List<Turn>> batch = new ArrayList<>(to - from);
            int turns = 0;
            for (int k = from; k < to; k++) {
                batch.add(windows.get(order[k]));
                turns += windows.get(order[k]).size();
            }
            long start = System.nanoTime();
            List<SequenceScores> scored = head.score(batch, inputs);
            observer.scored(batch.size(), turns, System.nanoTime() - start);
            for (int k = from; k < to; k++) {
                results[order[k]] = scored.get(k - from);
            }
        }
        return Arrays.asList(results);
    }
}
