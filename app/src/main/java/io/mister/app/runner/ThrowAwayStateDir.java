package io.mister.app.runner;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.kafka.common.utils.Utils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A temporary state directory for a run whose state is thrown away (the demo, a live evaluate, the
 * benchmarks): created empty, deleted with everything in it on close, so nothing is left in the temp
 * directory. A directory that cannot be deleted is logged, not fatal: the run's result stands.
 */
public final class ThrowAwayStateDir implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ThrowAwayStateDir.class);

    private final Path path;

    private ThrowAwayStateDir(Path path) {
        this.path = path;
    }

    public static ThrowAwayStateDir create(String prefix) throws IOException {
        return new ThrowAwayStateDir(Files.createTempDirectory(prefix));
    }

    public Path path() {
        return path;
    }

    @Override
    public void close() {
        try {
            Utils.delete(path.toFile());
        } catch (IOException e) {
            LOG.warn("Could not delete the temporary state directory {}: {}", path, e.getMessage());
        }
    }
}
