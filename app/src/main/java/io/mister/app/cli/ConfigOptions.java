package io.mister.app.cli;

import io.mister.app.config.ConfigLoader;
import io.mister.app.config.MisterConfig;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/** The configuration options every command shares: a file, MISTER_* variables, then flags. */
public final class ConfigOptions {

    @Option(names = "--config", paramLabel = "FILE", description = "YAML or .properties configuration file.")
    Path file;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Override any configuration key (repeatable).")
    Map<String, String> overrides = new LinkedHashMap<>();

    @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT,...", description = "Kafka brokers (kafka.bootstrap.servers).")
    String bootstrapServers;

    @Option(names = "--registry-url", paramLabel = "URL", description = "Schema registry URL (registry.url).")
    String registryUrl;

    @Option(names = "--serde-mode", paramLabel = "MODE", description = "registry or single-object (serde.mode).")
    String serdeMode;

    @Option(names = "--state-dir", paramLabel = "DIR", description = "State directory (state.dir).")
    String stateDir;

    /** The flag layer: named flags first, then --set (which wins). */
    Map<String, String> flags() {
        Map<String, String> flags = new LinkedHashMap<>();
        put(flags, MisterConfig.BOOTSTRAP_SERVERS, bootstrapServers);
        put(flags, MisterConfig.REGISTRY_URL, registryUrl);
        put(flags, MisterConfig.SERDE_MODE, serdeMode);
        put(flags, MisterConfig.STATE_DIR, stateDir);
        flags.putAll(overrides);
        return flags;
    }

    private static void put(Map<String, String> flags, String key, String value) {
        if (value != null) {
            flags.put(key, value);
        }
    }

    /** Loads the configuration with a command's own defaults as the lowest layer. */
    public MisterConfig load(Map<String, String> commandDefaults) {
        return ConfigLoader.load(commandDefaults, file, System.getenv(), flags());
    }

    public MisterConfig load() {
        return load(Map.of());
    }
}
