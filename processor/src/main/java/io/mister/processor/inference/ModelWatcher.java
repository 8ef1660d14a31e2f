package io.mister.processor.inference;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches the model file and hot-swaps it into a {@link ModelHolder} when its content changes. Polls
 * (size, modification time, then SHA-256 of the content) rather than using a WatchService, which misses
 * events on some volumes (NFS, Kubernetes ConfigMap symlink swaps). Deploy a new model by writing it next
 * to the watched path and renaming it over the path (an atomic replace); a half-written file simply fails
 * validation and is retried when it changes again.
 */
public final class ModelWatcher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ModelWatcher.class);

    /** What a check did. */
    public enum Outcome { UNCHANGED, SWAPPED, REFUSED }

    private final ModelHolder holder;
    private final Path path;
    private ScheduledExecutorService scheduler;
    private long lastSize;
    private long lastModified;
    private String lastDigest;

    /** Watches {@code path}, whose current content is assumed to be what {@code holder} serves. */
    public ModelWatcher(ModelHolder holder, Path path) {
        this.holder = holder;
        this.path = path;
        remember();
    }

    /** Checks every {@code interval} on a daemon thread. */
    public synchronized ModelWatcher start(Duration interval) {
        if (scheduler == null) {
            scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
                Thread thread = new Thread(runnable, "mister-model-watcher");
                thread.setDaemon(true);
                return thread;
            });
            scheduler.scheduleWithFixedDelay(this::checkQuietly, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
        }
        return this;
    }

    /** One check, now: swaps when the file's content changed since the last check. */
    public synchronized Outcome checkNow() {
        try {
            if (!Files.isRegularFile(path)) {
                return Outcome.UNCHANGED;
            }
            long size = Files.size(path);
            long modified = Files.getLastModifiedTime(path).toMillis();
            if (size == lastSize && modified == lastModified) {
                return Outcome.UNCHANGED;
            }
            String digest = digest(path);
            lastSize = size;
            lastModified = modified;
            if (digest.equals(lastDigest)) {
                return Outcome.UNCHANGED;
            }
            lastDigest = digest;
            return holder.swap(path) ? Outcome.SWAPPED : Outcome.REFUSED;
        } catch (IOException e) {
            LOG.warn("Cannot read the watched model {}: {}", path, e.getMessage());
            return Outcome.UNCHANGED;
        }
    }

    private void checkQuietly() {
        try {
            checkNow();
        } catch (RuntimeException e) {
            LOG.error("Model check of {} failed", path, e);
        }
    }

    private void remember() {
        try {
            lastSize = Files.size(path);
            lastModified = Files.getLastModifiedTime(path).toMillis();
            lastDigest = digest(path);
        } catch (IOException e) {
            lastSize = -1;
            lastModified = -1;
            lastDigest = "";
        }
    }

    private static String digest(Path file) throws IOException {
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), MessageDigest.getInstance("SHA-256"))) {
            MessageDigest md = ((DigestInputStream) in).getMessageDigest();
            in.transferTo(java.io.OutputStream.nullOutputStream());
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every JVM", e);
        }
    }

    @Override
    public synchronized void close() {
        if (scheduler != null) {
            scheduler.shutdownNow();
            scheduler = null;
        }
    }
}
