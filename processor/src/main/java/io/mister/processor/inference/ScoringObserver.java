package io.mister.processor.inference;

/** Told about every batched head call (for metrics). */
@FunctionalInterface
public interface ScoringObserver {

    ScoringObserver NONE = (windows, turns, nanos) -> { };

    /**
     * @param windows windows in the call (the batch size)
     * @param turns real (unpadded) turns scored
     * @param nanos wall time of the call
     */
    void scored(int windows, int turns, long nanos);
}
