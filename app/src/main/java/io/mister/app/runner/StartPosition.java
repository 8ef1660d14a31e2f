package io.mister.app.runner;

import java.time.Instant;

/** Where a reset application starts reading its input topics. */
public sealed interface StartPosition {

    /** The first retained record of every partition. */
    record Earliest() implements StartPosition {}

    /** The same offset in every partition (clamped to what the partition holds). */
    record AtOffset(long offset) implements StartPosition {
        public AtOffset {
            if (offset < 0) {
                throw new IllegalArgumentException("offset must be >= 0, was " + offset);
            }
        }
    }

    /** The first record at or after a timestamp in every partition (the end when there is none). */
    record AtTimestamp(Instant timestamp) implements StartPosition {}

    static StartPosition earliest() {
        return new Earliest();
    }
}
