package io.mister.processor.emission;

import io.mister.processor.context.TurnOutput;

/**
 * When an earlier turn is re-emitted. Scoring the window that ends at {@code windowEnd} gives new scores
 * to the turns before it; a turn is revised when its label changed and it is within the look-ahead
 * ({@code windowEnd - L <= seq <= windowEnd}), so every turn's label settles after L later turns and
 * revisions stay bounded. Unchanged labels are not re-emitted (the final event still is).
 */
public final class RevisionRule {

    private final int lookAhead;

    public RevisionRule(int lookAhead) {
        this.lookAhead = lookAhead;
    }

    /** Whether {@code seq} may be revised by the window scored for the arrival of {@code arrivedSeq}. */
    public boolean inLookAhead(long seq, long arrivedSeq, long windowEnd) {
        return seq != arrivedSeq && seq <= windowEnd && seq >= windowEnd - lookAhead;
    }

    public boolean changes(TurnOutput previous, int newLabel) {
        return previous != null && previous.label() != newLabel;
    }
}
