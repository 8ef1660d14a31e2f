package io.mister.app.bench;

import io.mister.app.config.MisterConfig;
import io.mister.app.kafka.EmbeddedKafka;
import io.mister.app.runner.RunningStage;
import io.mister.app.runner.StageRunner;
import io.mister.app.runner.ThrowAwayStateDir;
import io.mister.app.stages.PipelineStages;
import io.mister.app.stages.ProcessorStage;
import io.mister.events.ControlType;
import io.mister.events.ConversationControl;
import io.mister.events.EmotionEvent;
import io.mister.events.UtteranceEmbedding;
import io.mister.processor.ProcessorMetrics;
import io.mister.processor.bench.ProcessorBenchmark;
import io.mister.processor.inference.InputExpectations;
import io.mister.topics.Topics;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The processor stage on a real (embedded) broker with exactly-once, fed the same turns as
 * {@link ProcessorBenchmark} ({@link ProcessorBenchmark#feed}), then ENDED per conversation. All input
 * is produced before the stage starts, so neither producing it nor the stage's start-up competes with
 * or is counted as processing: {@code broker_turns_per_s} is turns / (first event emitted to last final
 * emitted), by the events' {@code emitted_at} (one JVM, one clock); {@code broker_turns_per_s_with_startup}
 * also counts the start-up (stage start to the last final read, read_committed). With a backlog, an
 * event's latency is queueing time, so no per-turn latency is reported here (see docs/processor.md).
 * What TopologyTestDriver cannot show: commits, transactions, the broker round trips.
 *
 * <p>Rounds share one broker and the produced input; each round is a new application (its own
 * application id, consumer group, changelogs and state directory) that reads the input from the start,
 * as a fresh deployment or a rescore does. Warm-up rounds come first and are not counted: the JIT keeps
 * compiling the broker and client code for tens of seconds, which a long-running instance is past.
 */
public final class BrokerProcessorBench {

    private BrokerProcessorBench() {}

    /**
     * {@code warmups} discarded rounds, then {@code rounds} measured ones; returns the median round's figures
     * plus every measured round's {@code broker_turns_per_s} ({@code broker_rounds}).
     */
    public static Map<String, Object> runRounds(MisterConfig base, Path model, int conversations, int turns, int warmups,
                                                int rounds) throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
            MisterConfig shared = base.with(Map.of(MisterConfig.BOOTSTRAP_SERVERS, kafka.bootstrapServers(),
                    MisterConfig.SERDE_MODE, "single-object", MisterConfig.TOPICS_CREATE, "true",
                    MisterConfig.TOPICS_PARTITIONS, "2", MisterConfig.HTTP_ENABLED, "false"));
            List<UtteranceEmbedding> feed = null;
            List<Map<String, Object>> results = new ArrayList<>(rounds);
            for (int round = 0; round < warmups + rounds; round++) {
                try (ThrowAwayStateDir state = ThrowAwayStateDir.create("mister-bench-state-")) {
                    MisterConfig config = shared.with(Map.of(MisterConfig.APPLICATION_ID_PREFIX, "mister-bench-" + round,
                            MisterConfig.STATE_DIR, state.path().toString()));
                    PipelineStages pipeline = new PipelineStages(config);
                    try (ProcessorStage stage = pipeline.processor(model, InputExpectations.fromModel());
                         StageRunner runner = new StageRunner(config)) {
                        if (feed == null) { // the input, once: every round replays it
                            runner.provisionTopics(List.of(stage));
                            feed = ProcessorBenchmark.feed(stage.model().currentSpec(), conversations, turns);
                            produce(kafka.bootstrapServers(), pipeline.topics(), feed);
                        }
                        Map<String, Object> result = round(kafka.bootstrapServers(), runner, stage, pipeline.topics(), feed, config);
                        if (round >= warmups) {
                            results.add(result);
                        }
                    }
                }
            }
            List<Double> rates = results.stream().map(r -> ((Number) r.get("broker_turns_per_s")).doubleValue()).toList();
            List<Map<String, Object>> byRate = new ArrayList<>(results);
            byRate.sort(Comparator.comparingDouble(r -> ((Number) r.get("broker_turns_per_s")).doubleValue()));
            Map<String, Object> median = new LinkedHashMap<>(byRate.get(byRate.size() / 2));
            median.put("warmup_rounds", warmups);
            median.put("broker_rounds", rates);
            return median;
        }
    }

    /** One application processing the whole input; the reader starts where the emotions topic ended before it. */
    private static Map<String, Object> round(String bootstrap, StageRunner runner, ProcessorStage stage, Topics topics,
                                             List<UtteranceEmbedding> feed, MisterConfig config) throws Exception {
        Map<TopicPartition, Long> before = endOffsets(bootstrap, topics.names().emotions());
        long start = System.nanoTime();
        RunningStage running = runner.start(stage);
        Emitted emitted = awaitFinals(bootstrap, topics, before, feed.size());
        double withStartup = (System.nanoTime() - start) / 1e9;
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("model_version", stage.model().currentSpec().modelVersion());
        result.put("conversations", feed.stream().map(UtteranceEmbedding::getConversationId).distinct().count());
        result.put("turns", feed.size());
        result.put("final_events", emitted.finals());
        result.put("broker_turns_per_s", round(feed.size() / emitted.seconds()));
        result.put("broker_turns_per_s_with_startup", round(feed.size() / withStartup));
        result.put("batch_size_avg", round(batchSizeAverage(running)));
        result.put("processing_guarantee", config.processingGuarantee());
        result.put("scoring_threads", config.scoringThreads());
        return result;
    }

    private static void produce(String bootstrap, Topics topics, List<UtteranceEmbedding> feed) {
        Map<String, Object> props = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true, ProducerConfig.LINGER_MS_CONFIG, 5);
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer())) {
            for (UtteranceEmbedding e : feed) {
                producer.send(new ProducerRecord<>(topics.names().embeddings(), e.getConversationId(),
                        topics.embeddings().valueSerde().serializer().serialize(topics.names().embeddings(), e)));
            }
            producer.flush(); // every turn is before the ENDEDs (each ENDED carries a later timestamp)
            // ENDED where the encoder stage would forward it, after the embeddings (the processor reads only that topic).
            // Each with its turn count, as the encoder stage sets it.
            Map<String, Long> turnCounts = feed.stream().collect(Collectors.groupingBy(
                    e -> e.getConversationId(), LinkedHashMap::new, Collectors.counting()));
            turnCounts.forEach((id, count) -> producer.send(new ProducerRecord<>(topics.names().embeddingsControl(), id,
                    topics.embeddingsControl().valueSerde().serializer().serialize(topics.names().embeddingsControl(),
                            new ConversationControl(id, ControlType.ENDED, Instant.now(), count)))));
            producer.flush();
        }
    }

    /** Finals read and the span from the first event emitted to the last final emitted. */
    private record Emitted(int finals, double seconds) {}

    private static double round(double value) {
        return Math.round(value * 10) / 10.0;
    }

    /** Windows per head call, averaged over the tasks (provisional batches and the finals' calls). */
    private static double batchSizeAverage(RunningStage running) {
        return running.streams().metrics().entrySet().stream()
                .filter(m -> m.getKey().group().equals(ProcessorMetrics.GROUP) && m.getKey().name().equals("batch-size-avg"))
                .mapToDouble(m -> ((Number) m.getValue().metricValue()).doubleValue())
                .filter(Double::isFinite).average().orElse(Double.NaN);
    }

    /** The emotions topic's committed end per partition (read_committed: the last stable offsets). */
    private static Map<TopicPartition, Long> endOffsets(String bootstrap, String topic) {
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(readerProps(bootstrap), new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            return consumer.endOffsets(partitions);
        }
    }

    private static Map<String, Object> readerProps(String bootstrap) {
        return Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    }

    private static Emitted awaitFinals(String bootstrap, Topics topics, Map<TopicPartition, Long> from, int expected) {
        int finals = 0;
        long firstEmitted = Long.MAX_VALUE;
        long lastFinalEmitted = Long.MIN_VALUE;
        long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
        try (KafkaConsumer<String, EmotionEvent> consumer = new KafkaConsumer<>(readerProps(bootstrap), new StringDeserializer(),
                topics.emotions().valueSerde().deserializer())) {
            consumer.assign(from.keySet());
            from.forEach(consumer::seek);
            while (finals < expected && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, EmotionEvent> r : consumer.poll(Duration.ofMillis(200))) {
                    long emitted = r.value().getEmittedAt().toEpochMilli();
                    firstEmitted = Math.min(firstEmitted, emitted);
                    if (r.value().getFinal$()) {
                        finals++;
                        lastFinalEmitted = Math.max(lastFinalEmitted, emitted);
                    }
                }
            }
        }
        return new Emitted(finals, Math.max(1, lastFinalEmitted - firstEmitted) / 1000.0);
    }
}
