package io.mister.app.bench;

import io.mister.app.config.MisterConfig;
import io.mister.app.kafka.EmbeddedKafka;
import io.mister.app.runner.RunningStage;
import io.mister.app.runner.StageRunner;
import io.mister.app.stages.PipelineStages;
import io.mister.app.stages.ProcessorStage;
import io.mister.events.ControlType;
import io.mister.events.ConversationControl;
import io.mister.events.EmotionEvent;
import io.mister.events.UtteranceEmbedding;
import io.mister.processor.ProcessorMetrics;
import io.mister.processor.bench.ProcessorBenchmark;
import io.mister.processor.inference.HeadSpec;
import io.mister.processor.inference.InputExpectations;
import io.mister.topics.Topics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
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
 */
public final class BrokerProcessorBench {

    private BrokerProcessorBench() {}

    /**
     * {@link #run} {@code rounds} times, each on a fresh broker (a broker run lasts seconds, so one round
     * is at the mercy of whatever else the host does); returns the median round's figures plus every
     * round's {@code broker_turns_per_s}. With more than one round, a first, discarded round warms up the
     * broker and client code paths, as the other paths of the benchmark are warmed up.
     */
    public static Map<String, Object> runRounds(MisterConfig base, Path model, int conversations, int turns, int rounds)
            throws Exception {
        if (rounds > 1) {
            run(base, model, conversations, turns);
        }
        List<Map<String, Object>> results = new ArrayList<>(rounds);
        for (int round = 0; round < rounds; round++) {
            results.add(run(base, model, conversations, turns));
        }
        List<Double> rates = results.stream().map(r -> ((Number) r.get("broker_turns_per_s")).doubleValue()).toList();
        List<Map<String, Object>> byRate = new ArrayList<>(results);
        byRate.sort(Comparator.comparingDouble(r -> ((Number) r.get("broker_turns_per_s")).doubleValue()));
        Map<String, Object> median = new LinkedHashMap<>(byRate.get(byRate.size() / 2));
        median.put("broker_rounds", rates);
        return median;
    }

    public static Map<String, Object> run(MisterConfig base, Path model, int conversations, int turns) throws Exception {
        Path state = Files.createTempDirectory("mister-bench-state-");
        try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
            MisterConfig config = base.with(Map.of(MisterConfig.BOOTSTRAP_SERVERS, kafka.bootstrapServers(),
                    MisterConfig.SERDE_MODE, "single-object", MisterConfig.STATE_DIR, state.toString(),
                    MisterConfig.TOPICS_CREATE, "true", MisterConfig.TOPICS_PARTITIONS, "2",
                    MisterConfig.APPLICATION_ID_PREFIX, "mister-bench", MisterConfig.HTTP_ENABLED, "false"));
            PipelineStages pipeline = new PipelineStages(config);
            try (ProcessorStage stage = pipeline.processor(model, InputExpectations.fromModel());
                 StageRunner runner = new StageRunner(config)) {
                runner.provisionTopics(List.of(stage));
                HeadSpec spec = stage.model().currentSpec();
                Topics topics = pipeline.topics();
                List<UtteranceEmbedding> feed = ProcessorBenchmark.feed(spec, conversations, turns);
                produce(kafka.bootstrapServers(), topics, feed);
                long start = System.nanoTime();
                RunningStage running = runner.start(stage);
                Emitted emitted = awaitFinals(kafka.bootstrapServers(), topics, feed.size());
                double withStartup = (System.nanoTime() - start) / 1e9;
                Map<String, Object> result = new LinkedHashMap<>();
                result.put("model_version", spec.modelVersion());
                result.put("conversations", conversations);
                result.put("turns", feed.size());
                result.put("final_events", emitted.finals());
                result.put("broker_turns_per_s", round(feed.size() / emitted.seconds()));
                result.put("broker_turns_per_s_with_startup", round(feed.size() / withStartup));
                result.put("batch_size_avg", round(batchSizeAverage(running)));
                result.put("processing_guarantee", config.processingGuarantee());
                return result;
            }
        }
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

    private static Emitted awaitFinals(String bootstrap, Topics topics, int expected) {
        Map<String, Object> props = new HashMap<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG, "mister-bench-reader", ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"));
        int finals = 0;
        long firstEmitted = Long.MAX_VALUE;
        long lastFinalEmitted = Long.MIN_VALUE;
        long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
        try (KafkaConsumer<String, EmotionEvent> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
                topics.emotions().valueSerde().deserializer())) {
            consumer.subscribe(Set.of(topics.names().emotions()));
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
