package io.mister.app.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mister.serde.SerdeMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MisterConfigTest {

    @TempDir
    Path dir;

    @Test
    void defaultsAreProductionSafe() {
        MisterConfig config = ConfigLoader.load(null, Map.of(), Map.of());
        assertThat(config.processingGuarantee()).isEqualTo("exactly_once_v2");
        assertThat(config.stateDir().toString()).isEqualTo("/var/lib/mister/state").doesNotStartWith("/tmp");
        assertThat(config.serdeSettings().mode()).isEqualTo(SerdeMode.REGISTRY);
        assertThat(config.applicationId("processor")).isEqualTo("mister-processor");
        assertThat(config.topicNames().emotions()).isEqualTo("emotions");
        assertThat(config.processorSettings().windowTurns()).isEqualTo(32);
        assertThat(config.scoringThreads()).as("one scoring thread per stream thread").isEqualTo(1);
    }

    @Test
    void scoringThreadsFollowTheStreamThreadsUnlessSet() {
        assertThat(ConfigLoader.load(null, Map.of(), Map.of(MisterConfig.NUM_STREAM_THREADS, "3")).scoringThreads()).isEqualTo(3);
        assertThat(ConfigLoader.load(null, Map.of(), Map.of(MisterConfig.NUM_STREAM_THREADS, "3",
                MisterConfig.PROCESSOR_SCORING_THREADS, "0")).scoringThreads()).isZero();
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of(), Map.of(MisterConfig.PROCESSOR_SCORING_THREADS, "-1")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("processor.scoring-threads");
    }

    @Test
    void relativeModelAndEncoderPathsMissingHereAreFoundUnderTheInstallationDirectory() throws Exception {
        Path home = dir.resolve("install");
        Files.createDirectories(home.resolve("models/enc-somewhere-else"));
        Files.writeString(home.resolve("models/head-somewhere-else.onnx"), "x");
        MisterConfig config = ConfigLoader.load(null, Map.of(), Map.of(MisterConfig.MODEL_PATH, "models/head-somewhere-else.onnx",
                MisterConfig.ENCODER_TEXT, "models/enc-somewhere-else"));
        String before = System.getProperty(MisterConfig.HOME_PROPERTY);
        try {
            System.clearProperty(MisterConfig.HOME_PROPERTY);
            assertThat(config.modelPath()).isEqualTo(Path.of("models/head-somewhere-else.onnx"));
            assertThat(config.textEncoder()).isEqualTo("models/enc-somewhere-else");

            System.setProperty(MisterConfig.HOME_PROPERTY, home.toString());
            assertThat(config.modelPath()).isEqualTo(home.resolve("models/head-somewhere-else.onnx"));
            assertThat(config.textEncoder()).isEqualTo(home.resolve("models/enc-somewhere-else").toString());
            assertThat(ConfigLoader.load(null, Map.of(), Map.of(MisterConfig.ENCODER_TEXT, "bge-small-en-v15-q")).textEncoder())
                    .as("a built-in name stays a name").isEqualTo("bge-small-en-v15-q");
        } finally {
            if (before == null) {
                System.clearProperty(MisterConfig.HOME_PROPERTY);
            } else {
                System.setProperty(MisterConfig.HOME_PROPERTY, before);
            }
        }
    }

    @Test
    void fileThenEnvironmentThenFlagsEachOverrideTheLayerBefore() throws Exception {
        Path yaml = dir.resolve("mister.yaml");
        Files.writeString(yaml, """
                kafka:
                  bootstrap.servers: [broker-1:9092, broker-2:9092]
                  security.protocol: SASL_SSL
                topics:
                  emotions: emotions-file
                num.stream.threads: 2
                state.dir: /data/state
                """);
        MisterConfig config = ConfigLoader.load(yaml,
                Map.of("MISTER_TOPICS_EMOTIONS", "emotions-env", "MISTER_NUM_STREAM_THREADS", "3",
                        "MISTER_KAFKA_SASL_MECHANISM", "PLAIN", "HOME", "/root"),
                Map.of(MisterConfig.NUM_STREAM_THREADS, "4"));
        assertThat(config.bootstrapServers()).containsExactly("broker-1:9092", "broker-2:9092");
        assertThat(config.topicNames().emotions()).isEqualTo("emotions-env");
        assertThat(config.streamThreads()).isEqualTo(4);
        assertThat(config.stateDir()).isEqualTo(Path.of("/data/state"));
        assertThat(config.kafkaClientSettings())
                .containsEntry("bootstrap.servers", "broker-1:9092,broker-2:9092")
                .containsEntry("security.protocol", "SASL_SSL")
                .containsEntry("sasl.mechanism", "PLAIN");
    }

    @Test
    void propertiesFilesWorkAndStreamsAndRegistrySettingsPassThrough() throws Exception {
        Path props = dir.resolve("mister.properties");
        Files.writeString(props, "serde.mode=single-object\nstreams.commit.interval.ms=50\napicurio.registry.auth.username=u\n");
        MisterConfig config = ConfigLoader.load(props, Map.of(), Map.of());
        assertThat(config.serdeSettings().mode()).isEqualTo(SerdeMode.SINGLE_OBJECT);
        assertThat(config.streamsOverrides()).containsEntry("commit.interval.ms", "50");
        assertThat(config.serdeSettings().passThrough().get("apicurio.registry.auth.username")).isEqualTo("u");
    }

    @Test
    void invalidValuesAndUnknownKeysAreRefusedWithTheKeyNamed() {
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of(), Map.of(MisterConfig.SERDE_MODE, "json")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("serde.mode");
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of(), Map.of(MisterConfig.NUM_STREAM_THREADS, "0")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("num.stream.threads");
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of(), Map.of("num.stream.thread", "2")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("Unknown configuration keys [num.stream.thread]");
        assertThatThrownBy(() -> ConfigLoader.load(null, Map.of(), Map.of(MisterConfig.PROCESSOR_LOOKAHEAD, "40")).processorSettings())
                .isInstanceOf(ConfigException.class).hasMessageContaining("look-ahead");
        assertThatThrownBy(() -> ConfigLoader.load(dir.resolve("missing.yaml"), Map.of(), Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("not found");
    }

    @Test
    void commandDefaultsSitBelowEveryOtherLayer() {
        MisterConfig config = ConfigLoader.load(Map.of(MisterConfig.SERDE_MODE, "single-object", MisterConfig.STATE_DIR, "/demo"),
                null, Map.of("MISTER_STATE_DIR", "/env"), Map.of());
        assertThat(config.serdeSettings().mode()).isEqualTo(SerdeMode.SINGLE_OBJECT);
        assertThat(config.stateDir()).isEqualTo(Path.of("/env"));
    }

    @Test
    void environmentVariableNamesFollowOneRule() {
        assertThat(MisterConfig.environmentVariable("topics.utterances-dlq")).isEqualTo("MISTER_TOPICS_UTTERANCES_DLQ");
        assertThat(MisterConfig.environmentVariable("kafka.bootstrap.servers")).isEqualTo("MISTER_KAFKA_BOOTSTRAP_SERVERS");
    }

    @Test
    void theConfigurationDocIsGeneratedFromTheDefinitionAndUpToDate() throws Exception {
        // The repository root is the module's parent; regenerate with ConfigurationDoc.main.
        Path doc = Path.of("..", "docs", "configuration.md");
        assertThat(doc).exists();
        assertThat(Files.readString(doc))
                .as("docs/configuration.md is stale: run java -cp ... io.mister.app.config.ConfigurationDoc docs/configuration.md")
                .isEqualTo(ConfigurationDoc.render());
        for (String key : MisterConfig.definition().names()) {
            assertThat(ConfigurationDoc.render()).contains("`" + key + "`").contains(MisterConfig.environmentVariable(key));
        }
    }
}
