package io.mister.processor.inference;

import io.mister.inference.SessionSettings;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The head model currently serving, shared by every processor of the instance, and swappable without a
 * restart. Scoring code takes a {@link Lease} for the duration of one call; a swapped-out model is closed
 * only when its last lease is returned, so a swap never pulls native memory from under a running call.
 *
 * <p>Every model (the first and each candidate) must fit the same resolved {@link InputExpectations};
 * a candidate that does not load or does not fit is refused, logged and counted, and the old model keeps
 * serving.
 */
public final class ModelHolder implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ModelHolder.class);

    private final InputExpectations expectations;
    private final Function<Path, EmotionHead> loader;
    private final AtomicReference<Lease> current;
    private final AtomicLong swaps = new AtomicLong();
    private final AtomicLong refusals = new AtomicLong();

    private ModelHolder(EmotionHead first, InputExpectations expectations, Function<Path, EmotionHead> loader) {
        this.expectations = expectations;
        this.loader = loader;
        this.current = new AtomicReference<>(new Lease(first));
    }

    /**
     * Loads the first model and fixes the expectations (unset fields from the model). Throws
     * {@link ModelMismatchException} naming each mismatch: the application must not start.
     */
    public static ModelHolder load(Path file, SessionSettings session, InputExpectations expected) {
        return of(EmotionHead.load(file, session), expected, path -> EmotionHead.load(path, session));
    }

    /** Holds an already loaded head; candidates for swaps are loaded with {@code loader}. */
    public static ModelHolder of(EmotionHead first, InputExpectations expected, Function<Path, EmotionHead> loader) {
        InputExpectations resolved = expected.resolve(first.spec());
        try {
            resolved.requireMatch(first.name(), first.spec());
        } catch (ModelMismatchException e) {
            first.close();
            throw e;
        }
        return new ModelHolder(first, resolved, loader);
    }

    /** What every model and every embedding must match. */
    public InputExpectations expectations() {
        return expectations;
    }

    /** The spec of the model serving now (may change between calls). */
    public HeadSpec currentSpec() {
        return current.get().head.spec();
    }

    /** Takes the current model for one scoring call; close the lease when done. */
    public Lease lease() {
        while (true) {
            Lease lease = current.get();
            if (lease.acquire()) {
                return lease;
            }
        }
    }

    /**
     * Loads {@code candidate}, checks it and makes it the serving model. Returns true when swapped; a
     * model that fails is refused (logged, counted) and the current one keeps serving.
     */
    public boolean swap(Path candidate) {
        EmotionHead head;
        try {
            head = loader.apply(candidate);
        } catch (RuntimeException e) {
            refuse(candidate, e.getMessage());
            return false;
        }
        java.util.List<String> problems = expectations.mismatches(head.spec());
        if (!problems.isEmpty()) {
            head.close();
            refuse(candidate, "does not match the configured inputs: " + String.join("; ", problems));
            return false;
        }
        Lease previous = current.getAndSet(new Lease(head));
        swaps.incrementAndGet();
        LOG.info("Model swapped: {} (version {}) now serves instead of version {}", candidate, head.spec().modelVersion(),
                previous.head.spec().modelVersion());
        previous.release();
        return true;
    }

    private void refuse(Path candidate, String why) {
        refusals.incrementAndGet();
        LOG.error("Model {} refused, the current model (version {}) keeps serving: {}", candidate,
                currentSpec().modelVersion(), why);
    }

    public long swapCount() {
        return swaps.get();
    }

    public long refusedCount() {
        return refusals.get();
    }

    @Override
    public void close() {
        current.get().release();
    }

    /** One model held for the duration of a call; the model closes when its last lease is returned. */
    public static final class Lease implements AutoCloseable {

        private final EmotionHead head;
        // 1 for the holder's own reference, +1 per caller; 0 means closed.
        private final AtomicInteger references = new AtomicInteger(1);

        private Lease(EmotionHead head) {
            this.head = head;
        }

        public EmotionHead head() {
            return head;
        }

        private boolean acquire() {
            while (true) {
                int n = references.get();
                if (n == 0) {
                    return false;
                }
                if (references.compareAndSet(n, n + 1)) {
                    return true;
                }
            }
        }

        private void release() {
            if (references.decrementAndGet() == 0) {
                head.close();
            }
        }

        @Override
        public void close() {
            release();
        }
    }
}
