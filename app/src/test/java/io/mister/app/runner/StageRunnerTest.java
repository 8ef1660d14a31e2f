package io.mister.app.runner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mister.app.config.MisterConfig;
import io.mister.app.kafka.EmbeddedKafka;
import io.mister.app.kafka.TopicReader;
import io.mister.app.observability.HealthCheck;
import io.mister.app.observability.Metrics;
import io.mister.app.observability.ObservabilityServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Produced;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The framework layer against a real broker: exactly-once run, health and metrics, reset and reprocess. */
class StageRunnerTest {

    private static EmbeddedKafka kafka;

    @TempDir
    Path stateDir;

    @BeforeAll
    static void startBroker() {
        kafka = EmbeddedKafka.start();
    }

    @AfterAll
    static void stopBroker() {
        kafka.close();
    }

    /** A stateful toy stage: counts words per key, so it has a changelog topic to reset. */
    private static final class CountingStage implements StreamsStage {
        @Override public String name() { return "counter"; }
        @Override public List<String> inputTopics() { return List.of("words"); }
        @Override public List<String> outputTopics() { return List.of("counts"); }
        @Override public Topology buildTopology() {
            StreamsBuilder builder = new StreamsBuilder();
            builder.stream("words", Consumed.with(Serdes.String(), Serdes.String()))
                    .groupByKey()
                    .count(Materialized.as("word-counts"))
                    .toStream()
                    .mapValues(Object::toString)
                    .to("counts", Produced.with(Serdes.String(), Serdes.String()));
            return builder.build();
        }
    }

    private MisterConfig config() {
        return new MisterConfig(Map.of(
                MisterConfig.BOOTSTRAP_SERVERS, kafka.bootstrapServers(),
                MisterConfig.SERDE_MODE, "single-object",
                MisterConfig.STATE_DIR, stateDir.toString(),
                MisterConfig.TOPICS_CREATE, "true",
                MisterConfig.TOPICS_PARTITIONS, "2",
                MisterConfig.APPLICATION_ID_PREFIX, "runner-test",
                "streams.commit.interval.ms", "100",
                "streams.statestore.cache.max.bytes", "0",
                // The stopped member leaves the group within the (minimum) session timeout.
                "kafka.session.timeout.ms", "6000"));
    }

    @Test
    void runsExactlyOnceServesHealthAndMetricsAndReprocessesAfterAReset() throws Exception {
        MisterConfig config = config();
        CountingStage stage = new CountingStage();
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(
                Map.of("bootstrap.servers", kafka.bootstrapServers()), new StringSerializer(), new StringSerializer())) {
            try (StageRunner runner = new StageRunner(config); Metrics metrics = new Metrics()) {
                runner.provisionTopics(List.of(stage));
                RunningStage running = runner.start(stage);
                metrics.bind(running);
                HealthCheck health = new HealthCheck(runner::running);
                try (ObservabilityServer http = ObservabilityServer.start("127.0.0.1", 0, metrics.registry(), health, null)) {
                    assertThat(running.awaitRunning(Duration.ofSeconds(60))).isTrue();
                    assertThat(running.streams().streamsMetadataForStore("word-counts")).isNotNull();
                    producer.send(new ProducerRecord<>("words", "a", "x")).get();
                    producer.send(new ProducerRecord<>("words", "a", "y")).get();
                    List<ConsumerRecord<String, String>> counts = readCounts(2);
                    assertThat(counts).extracting(ConsumerRecord::value).containsExactly("1", "2");

                    assertThat(get(http.port(), "/health/live").statusCode()).isEqualTo(200);
                    HttpResponse<String> ready = get(http.port(), "/health/ready");
                    assertThat(ready.statusCode()).isEqualTo(200);
                    assertThat(ready.body()).contains("\"counter\":\"RUNNING\"");
                    String scrape = get(http.port(), "/metrics").body();
                    assertThat(scrape).contains("kafka_stream_thread_process_total").contains("stage=\"counter\"");
                }
                assertThatThrownBy(() -> runner.reset(stage, config.applicationId("counter"), StartPosition.earliest(), Duration.ZERO))
                        .hasMessageContaining("active member");
            }

            // Stopped: a reset moves the offsets back and drops the counts' changelog and local state.
            try (StageRunner runner = new StageRunner(config)) {
                ApplicationReset.Report report = runner.reset(stage, config.applicationId("counter"), StartPosition.earliest(),
                        Duration.ofSeconds(30));
                assertThat(report.deletedTopics()).containsExactly("runner-test-counter-word-counts-changelog");
                assertThat(report.offsets()).containsValues(0L);
                awaitTopicGone(report.deletedTopics().get(0));
                RunningStage again = runner.start(stage);
                assertThat(again.awaitRunning(Duration.ofSeconds(60))).isTrue();
                // The same input counted again from zero: 1, 2 once more, not 3, 4.
                assertThat(readCounts(4)).extracting(ConsumerRecord::value).containsExactly("1", "2", "1", "2");
            }
        }
    }

    /** A stage reading the two processor inputs, under test names (the broker is shared by the tests). */
    private static final class ControlReadingStage implements StreamsStage {
        @Override public String name() { return "control-reader"; }
        @Override public List<String> inputTopics() { return List.of("cp-embeddings", "cp-embeddings-control"); }
        @Override public List<String> outputTopics() { return List.of("cp-emotions"); }
        @Override public Topology buildTopology() { throw new UnsupportedOperationException("not started"); }
    }

    @Test
    void embeddingsControlIsCreatedWithThePartitionCountOfAnExistingEmbeddingsTopic() throws Exception {
        MisterConfig config = config().with(Map.of(MisterConfig.TOPICS_EMBEDDINGS, "cp-embeddings",
                MisterConfig.TOPICS_EMBEDDINGS_CONTROL, "cp-embeddings-control"));
        try (Admin admin = Admin.create(config.kafkaClientSettings())) {
            // Provisioned earlier by someone else, with another count than topics.partitions (2).
            admin.createTopics(List.of(new org.apache.kafka.clients.admin.NewTopic("cp-embeddings", 3, (short) 1)))
                    .all().get();
            new StageRunner(config).provisionTopics(List.of(new ControlReadingStage()));

            Map<String, org.apache.kafka.clients.admin.TopicDescription> topics = admin.describeTopics(
                    List.of("cp-embeddings-control", "cp-emotions")).allTopicNames().get();
            assertThat(topics.get("cp-embeddings-control").partitions()).as("co-partitioned").hasSize(3);
            assertThat(topics.get("cp-emotions").partitions()).hasSize(2);
        }
    }

    @Test
    void startPositionsResolveToOffsetsFromTheBeginningAnOffsetOrATimestamp() throws Exception {
        String topic = "positions";
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
            admin.createTopics(List.of(new org.apache.kafka.clients.admin.NewTopic(topic, 1, (short) 1))).all().get();
            try (KafkaProducer<String, String> producer = new KafkaProducer<>(
                    Map.of("bootstrap.servers", kafka.bootstrapServers()), new StringSerializer(), new StringSerializer())) {
                for (int i = 0; i < 5; i++) {
                    // Record i has timestamp 1000 * (i + 1).
                    producer.send(new ProducerRecord<>(topic, 0, 1000L * (i + 1), "k", "v" + i)).get();
                }
            }
            ApplicationReset reset = new ApplicationReset(admin);
            org.apache.kafka.common.TopicPartition tp = new org.apache.kafka.common.TopicPartition(topic, 0);
            assertThat(reset.startOffsets(List.of(topic), StartPosition.earliest())).containsEntry(tp, 0L);
            assertThat(reset.startOffsets(List.of(topic), new StartPosition.AtOffset(3))).containsEntry(tp, 3L);
            assertThat(reset.startOffsets(List.of(topic), new StartPosition.AtOffset(99))).containsEntry(tp, 5L);
            assertThat(reset.startOffsets(List.of(topic), new StartPosition.AtTimestamp(java.time.Instant.ofEpochMilli(2500))))
                    .containsEntry(tp, 2L);
            assertThat(reset.startOffsets(List.of(topic), new StartPosition.AtTimestamp(java.time.Instant.ofEpochMilli(99_000))))
                    .containsEntry(tp, 5L);
        }
    }

    @Test
    void uncaughtPolicyReplacesThreadsWithinBudgetThenShutsTheClientDown() {
        java.util.concurrent.atomic.AtomicLong now = new java.util.concurrent.atomic.AtomicLong(0);
        java.time.Clock clock = new java.time.Clock() {
            @Override public java.time.ZoneId getZone() { return java.time.ZoneOffset.UTC; }
            @Override public java.time.Clock withZone(java.time.ZoneId zone) { return this; }
            @Override public java.time.Instant instant() { return java.time.Instant.ofEpochMilli(now.get()); }
        };
        UncaughtExceptionPolicy policy = new UncaughtExceptionPolicy("s", UncaughtExceptionPolicy.Mode.REPLACE_THREAD,
                2, Duration.ofMinutes(10), clock);
        RuntimeException boom = new RuntimeException("boom");
        assertThat(policy.handle(boom).name()).isEqualTo("REPLACE_THREAD");
        assertThat(policy.handle(boom).name()).isEqualTo("REPLACE_THREAD");
        assertThat(policy.handle(boom).name()).isEqualTo("SHUTDOWN_CLIENT");
        now.set(Duration.ofMinutes(11).toMillis());
        assertThat(policy.handle(boom).name()).isEqualTo("REPLACE_THREAD");
        assertThat(UncaughtExceptionPolicy.parse("shutdown-application")).isEqualTo(UncaughtExceptionPolicy.Mode.SHUTDOWN_APPLICATION);
    }

    private static List<ConsumerRecord<String, String>> readCounts(int n) {
        return TopicReader.readUntil(kafka.bootstrapServers(), "counts", new StringDeserializer(), new StringDeserializer(),
                r -> r.size() >= n, Duration.ofSeconds(60));
    }

    private static void awaitTopicGone(String topic) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (admin.listTopics().names().get().contains(topic)) {
                assertThat(System.nanoTime()).as("topic %s deleted", topic).isLessThan(deadline);
                Thread.onSpinWait();
            }
        }
    }

    private static HttpResponse<String> get(int port, String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
