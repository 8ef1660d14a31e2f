package io.mister.app.cli;

import io.mister.app.config.MisterConfig;
import java.nio.file.Path;
import java.util.Map;

/** The demo's configuration defaults, below file, environment and flags: no registry, a temporary state dir, topics created. */
public final class DemoDefaults {

    private DemoDefaults() {}

    public static Map<String, String> of(Path stateDir) {
        return Map.of(
                MisterConfig.SERDE_MODE, "single-object",
                MisterConfig.STATE_DIR, stateDir.toString(),
                MisterConfig.TOPICS_CREATE, "true",
                MisterConfig.TOPICS_PARTITIONS, "2",
                MisterConfig.APPLICATION_ID_PREFIX, "mister-demo",
                MisterConfig.HTTP_PORT, "0");
    }
}
