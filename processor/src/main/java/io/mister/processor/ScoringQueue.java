package io.mister.processor;

import io.mister.processor.inference.ScoringThreads;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * The work one task has handed to the {@link ScoringThreads}, oldest first, given back for emission in the
 * order it was handed over (whatever order the threads finish in), so that events leave as if scored on the
 * stream thread. At most {@value #MAX_OUT} pieces are out: handing over another first waits for the oldest.
 * Used on the task's stream thread only.
 */
final class ScoringQueue {

    /**
     * Two: while one piece is scored the next waits queued, so the scoring thread does not idle while the
     * stream thread emits, polls or commits (four measured no better).
     */
    static final int MAX_OUT = 2;

    /** A piece of work out for scoring. */
    interface Work {
        CompletableFuture<?> result();
    }

    private final ArrayDeque<Work> out = new ArrayDeque<>();
    private final boolean onCallingThread;
    private final Consumer<Work> emit;

    /**
     * @param threads where the work is scored: with none it is scored while it is handed over, and emitted at once
     * @param emit emits a piece of work whose result is complete (it may throw the scoring call's failure)
     */
    ScoringQueue(ScoringThreads threads, Consumer<Work> emit) {
        this.onCallingThread = threads.threads() == 0;
        this.emit = emit;
    }

    /** Waits for (and emits) the oldest pieces until another may be handed over. */
    void makeRoom() {
        while (out.size() >= MAX_OUT) {
            emitOldest();
        }
    }

    void handOver(Work work) {
        out.add(work);
        if (onCallingThread) { // already scored: emitted at once, as a plain call would
            emitOldest();
        }
    }

    /** Emits the oldest pieces whose scores are back; never waits. */
    void emitScored() {
        while (!out.isEmpty() && out.peek().result().isDone()) {
            emitOldest();
        }
    }

    private void emitOldest() {
        emit.accept(out.poll()); // the emitter waits for its result (and throws its failure)
    }

    int size() {
        return out.size();
    }

    /** Lets every piece out finish (each holds a model lease) and forgets it, unemitted. */
    void dropAll() {
        for (Work dropped : out) {
            dropped.result().handle((result, failure) -> null).join();
        }
        out.clear();
    }
}
