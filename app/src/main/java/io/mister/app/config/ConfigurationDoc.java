package io.mister.app.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.ConfigKey;

/**
 * Generates docs/configuration.md from {@link MisterConfig#definition()}, so the documentation is
 * never written twice. Run {@code main} with the output path to regenerate; a test fails when the
 * committed file is stale.
 */
public final class ConfigurationDoc {

    private ConfigurationDoc() {}

    public static String render() {
        StringBuilder md = new StringBuilder();
        md.append("# Configuration\n\n")
          .append("<!-- Generated from io.mister.app.config.MisterConfig by ConfigurationDoc; do not edit by hand.\n")
          .append("     Regenerate: java -cp app/target/mister-app.jar:app/target/lib/* io.mister.app.config.ConfigurationDoc docs/configuration.md -->\n\n")
          .append("One typed configuration class, `io.mister.app.config.MisterConfig`. Each layer overrides the one before:\n\n")
          .append("1. the defaults below;\n")
          .append("2. a YAML or `.properties` file given with `--config FILE` (nested YAML maps are joined with `.`);\n")
          .append("3. environment variables: the column *Environment* (`MISTER_` + the key in upper case, `.` and `-` as `_`);\n")
          .append("4. command-line flags: `--set key=value` (repeatable) and the named flags of each command.\n\n")
          .append("Unknown keys are rejected. Three prefixes pass through unchanged:\n\n")
          .append("* `kafka.*`: given, without the prefix, to every Kafka client (Streams, admin, producer, consumer): ")
          .append("`kafka.security.protocol`, `kafka.sasl.mechanism`, `kafka.sasl.jaas.config`, `kafka.ssl.*`. ")
          .append("Environment: `MISTER_KAFKA_SASL_JAAS_CONFIG` (underscores read as dots).\n")
          .append("* `streams.*`: Kafka Streams only, e.g. `streams.commit.interval.ms`.\n")
          .append("* `apicurio.registry.*`: the registry serdes (authentication, caching).\n\n")
          .append("| Key | Environment | Type | Default | Valid values | Description |\n")
          .append("|---|---|---|---|---|---|\n");
        MisterConfig.definition().configKeys().values().stream()
                .sorted(Comparator.comparing((ConfigKey k) -> k.name))
                .forEach(key -> md.append("| `").append(key.name).append("` | `")
                        .append(MisterConfig.environmentVariable(key.name)).append("` | ")
                        .append(key.type.toString().toLowerCase()).append(" | ")
                        .append(defaultValue(key)).append(" | ")
                        .append(key.validator == null ? "" : escape(key.validator.toString())).append(" | ")
                        .append(escape(key.documentation)).append(" |\n"));
        return md.toString();
    }

    private static String defaultValue(ConfigKey key) {
        if (!key.hasDefault()) {
            return "(required)";
        }
        String value = ConfigDef.convertToString(key.defaultValue, key.type);
        return value == null || value.isEmpty() ? "\"\"" : "`" + value + "`";
    }

    private static String escape(String text) {
        return text.replace("|", "\\|").replace("\n", " ");
    }

    public static void main(String[] args) throws IOException {
        Path out = Path.of(args.length > 0 ? args[0] : "docs/configuration.md");
        Files.writeString(out, render());
        System.out.println("Wrote " + out);
    }
}
