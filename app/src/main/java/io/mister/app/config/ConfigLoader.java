package io.mister.app.config;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.common.config.ConfigException;

/**
 * Builds a {@link MisterConfig} from its layers, each overriding the one before: the defaults of
 * the definition, a YAML or properties file, MISTER_* environment variables, command-line flags.
 * Unknown keys are refused (a typo should not silently fall back to a default), except the
 * pass-through prefixes kafka.*, streams.* and apicurio.registry.*.
 */
public final class ConfigLoader {

    private static final List<String> PASS_THROUGH = List.of(
            MisterConfig.KAFKA_PREFIX, MisterConfig.STREAMS_PREFIX, MisterConfig.REGISTRY_PASS_THROUGH_PREFIX);

    private ConfigLoader() {}

    /**
     * @param file a .yaml/.yml or .properties file, or null
     * @param environment the process environment (System.getenv() in production)
     * @param flags key=value pairs given on the command line
     */
    public static MisterConfig load(Path file, Map<String, String> environment, Map<String, String> flags) {
        return load(Map.of(), file, environment, flags);
    }

    /**
     * As {@link #load(Path, Map, Map)} with a command's own defaults as the lowest layer (the demo
     * defaults to single-object serdes and a temporary state dir; file, environment and flags still win).
     */
    public static MisterConfig load(Map<String, String> commandDefaults, Path file, Map<String, String> environment,
                                    Map<String, String> flags) {
        Map<String, Object> values = new LinkedHashMap<>(commandDefaults);
        if (file != null) {
            values.putAll(readFile(file));
        }
        values.putAll(fromEnvironment(environment));
        values.putAll(flags);
        rejectUnknownKeys(values.keySet());
        return new MisterConfig(values);
    }

    /** Reads a configuration file into flat dotted keys (nested YAML maps are joined with '.'). */
    public static Map<String, Object> readFile(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new ConfigException("Configuration file not found: " + file.toAbsolutePath());
        }
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        try {
            if (name.endsWith(".properties")) {
                Properties properties = new Properties();
                try (Reader reader = Files.newBufferedReader(file)) {
                    properties.load(reader);
                }
                Map<String, Object> values = new LinkedHashMap<>();
                properties.stringPropertyNames().forEach(k -> values.put(k, properties.getProperty(k).trim()));
                return values;
            }
            if (name.endsWith(".yaml") || name.endsWith(".yml")) {
                try (InputStream in = Files.newInputStream(file)) {
                    Object tree = new ObjectMapper(new YAMLFactory()).readValue(in, Object.class);
                    Map<String, Object> values = new LinkedHashMap<>();
                    if (tree != null) {
                        flatten("", tree, values);
                    }
                    return values;
                }
            }
        } catch (IOException e) {
            throw new ConfigException("Cannot read configuration file " + file + ": " + e.getMessage());
        }
        throw new ConfigException("Configuration file must end in .yaml, .yml or .properties: " + file);
    }

    @SuppressWarnings("unchecked")
    private static void flatten(String prefix, Object node, Map<String, Object> into) {
        if (node instanceof Map<?, ?> map) {
            for (Map.Entry<?, ?> entry : ((Map<Object, Object>) map).entrySet()) {
                String key = prefix.isEmpty() ? entry.getKey().toString() : prefix + "." + entry.getKey();
                flatten(key, entry.getValue(), into);
            }
        } else if (node instanceof Collection<?> list) {
            into.put(prefix, list.stream().map(String::valueOf).collect(Collectors.joining(",")));
        } else {
            into.put(prefix, node == null ? null : node.toString());
        }
    }

    /**
     * MISTER_* variables: a defined key's variable is {@link MisterConfig#environmentVariable};
     * pass-through keys are MISTER_KAFKA_*, MISTER_STREAMS_*, MISTER_APICURIO_REGISTRY_* with
     * underscores read as dots (MISTER_KAFKA_SECURITY_PROTOCOL is kafka.security.protocol).
     */
    public static Map<String, Object> fromEnvironment(Map<String, String> environment) {
        Map<String, String> byVariable = new LinkedHashMap<>();
        for (String key : MisterConfig.definition().names()) {
            byVariable.put(MisterConfig.environmentVariable(key), key);
        }
        Map<String, Object> values = new LinkedHashMap<>();
        environment.forEach((variable, value) -> {
            if (!variable.startsWith("MISTER_")) {
                return;
            }
            String key = byVariable.get(variable);
            if (key == null) {
                key = passThroughKey(variable);
            }
            if (key != null) {
                values.put(key, value);
            }
        });
        return values;
    }

    private static String passThroughKey(String variable) {
        for (String prefix : PASS_THROUGH) {
            String variablePrefix = MisterConfig.environmentVariable(prefix.substring(0, prefix.length() - 1)) + "_";
            if (variable.startsWith(variablePrefix) && variable.length() > variablePrefix.length()) {
                return prefix + variable.substring(variablePrefix.length()).toLowerCase(Locale.ROOT).replace('_', '.');
            }
        }
        return null;
    }

    private static void rejectUnknownKeys(Set<String> keys) {
        Set<String> known = MisterConfig.definition().names();
        List<String> unknown = new ArrayList<>();
        for (String key : keys) {
            if (!known.contains(key) && PASS_THROUGH.stream().noneMatch(key::startsWith)) {
                unknown.add(key);
            }
        }
        if (!unknown.isEmpty()) {
            throw new ConfigException("Unknown configuration keys " + unknown
                    + " (see docs/configuration.md; Kafka client settings take the kafka. prefix)");
        }
    }
}
