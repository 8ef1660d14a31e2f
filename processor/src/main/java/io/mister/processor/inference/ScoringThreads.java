package io.mister.processor.inference;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * The threads that run head calls for an instance's emotion processors, off the stream threads: while a
 * task's batch is scored here, its stream thread goes on polling, decoding, producing and committing,
 * which otherwise takes about as long as the head itself (docs/processor.md, "Performance"). Shared by
 * every task of the instance, like the model; size it like {@code num.stream.threads}.
 *
 * <p>With zero threads a call runs on the calling (stream) thread, as a plain function call.
 */
public final class ScoringThreads implements AutoCloseable {

    private final int threads;
    private final ExecutorService executor;
    /** Calls submitted and not finished yet (guarded by {@code this}). */
    private int running;
    /** Each thread fills its own input buffers: two batches of one task may be scored at once on two threads. */
    private final ThreadLocal<HeadInputs> inputs = ThreadLocal.withInitial(HeadInputs::new);

    private ScoringThreads(int threads) {
        if (threads < 0) {
            throw new IllegalArgumentException("scoring threads must be >= 0, was " + threads);
        }
        this.threads = threads;
        this.executor = threads == 0 ? null : Executors.newFixedThreadPool(threads, daemonThreads());
    }

    /** {@code threads} scoring threads; 0 scores on the calling thread. */
    public static ScoringThreads start(int threads) {
        return new ScoringThreads(threads);
    }

    /** Every call on the calling thread. */
    public static ScoringThreads onCallingThread() {
        return new ScoringThreads(0);
    }

    public int threads() {
        return threads;
    }

    /**
     * Runs {@code call} on a scoring thread (or right here with none), with that thread's input buffers; the
     * future completes with its result.
     */
    public <T> CompletableFuture<T> submit(Function<HeadInputs, T> call) {
        if (executor == null) {
            try {
                return CompletableFuture.completedFuture(call.apply(inputs.get()));
            } catch (RuntimeException | Error e) {
                return CompletableFuture.failedFuture(e);
            }
        }
        synchronized (this) {
            running++;
        }
        CompletableFuture<T> result = new CompletableFuture<>();
        try {
            executor.execute(() -> {
                try {
                    result.complete(call.apply(inputs.get()));
                } catch (Throwable e) {
                    result.completeExceptionally(e);
                } finally {
                    finished(); // after completing: awaitIdle returning means every future is complete
                }
            });
        } catch (RuntimeException e) { // refused: it will not run
            finished();
            throw e;
        }
        return result;
    }

    private synchronized void finished() {
        running--;
        notifyAll();
    }

    /**
     * Waits until every call submitted so far has finished (its future is complete once this returns); throws
     * {@link IllegalStateException} if some still run after {@code timeout}, or when interrupted. For a drain at a
     * known point (the benchmark's driver path, tests): a task emits what is back at its next record or punctuation.
     */
    public synchronized void awaitIdle(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            while (running > 0) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new IllegalStateException(running + " scoring calls still running after " + timeout);
                }
                TimeUnit.NANOSECONDS.timedWait(this, left);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the scoring threads", e);
        }
    }

    /** Stops taking calls and waits briefly for running ones (each is one bounded head call). */
    @Override
    public void close() {
        if (executor != null) {
            executor.shutdown();
            try {
                executor.awaitTermination(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static ThreadFactory daemonThreads() {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, "mister-scoring-" + count.incrementAndGet());
            // Daemon: a scoring thread must never keep a stopping JVM alive; its work is in the committed pending notes.
            thread.setDaemon(true);
            return thread;
        };
    }
}
