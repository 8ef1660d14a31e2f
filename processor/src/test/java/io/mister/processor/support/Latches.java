package io.mister.processor.support;

import java.util.concurrent.CountDownLatch;

/** Waiting on a latch from inside a scoring call (a lambda that cannot throw InterruptedException). */
public final class Latches {

    private Latches() {}

    /** Waits for {@code latch}; an interrupt ends the wait and is kept on the thread. */
    public static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
