package io.mister.app.bench;

import io.mister.app.config.MisterConfig;
import io.mister.app.evaluation.LatencySummary;
import io.mister.app.kafka.EmbeddedKafka;
import io.mister.app.runner.RunningStage;
import io.mister.app.runner.StageRunner;
import io.mister.app.stages.PipelineStages;
import io.mister.app.stages.ProcessorStage;
import io.mister.events.ControlType;
import io.mister.events.ConversationControl;
import io.mister.events.EmotionEvent;
import io.mister.events.EncoderInfo;
import io.mister.events.UtteranceEmbedding;
import io.mister.processor.inference.HeadSpec;
import io.mister.processor.inference.InputExpectations;
import io.mister.topics.Topics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
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
 * The processor stage on a real (embedded) broker with exactly-once: synthetic embeddings of the
 * model's dimensions for N conversations of T turns are produced, then ENDED; measured are the
 * turns per second from the first record to the last final event (read_committed) and the
 * provisional latency the events report. What TopologyTestDriver cannot show: commits,
 * transactions, the broker round trips.
 */
public final class BrokerProcessorBench {

    private BrokerProcessorBench() {}

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
                RunningStage running = runner.start(stage);
                if (!running.awaitRunning(Duration.ofSeconds(120))) {
                    throw new IllegalStateException("processor did not start: " + running.state());
                }
                HeadSpec spec = stage.model().currentSpec();
                Topics topics = pipeline.topics();
                long start = System.nanoTime();
                produce(kafka.bootstrapServers(), topics, spec, conversations, turns);
                List<Long> provisional = new ArrayList<>();
                int finals = awaitFinals(kafka.bootstrapServers(), topics, conversations * turns, provisional);
                double seconds = (System.nanoTime() - start) / 1e9;
                LatencySummary latency = new LatencySummary(provisional);
                Map<String, Object> result = new LinkedHashMap<>();
                result.put("model_version", spec.modelVersion());
                result.put("conversations", conversations);
                result.put("turns", conversations * turns);
                result.put("final_events", finals);
                result.put("broker_turns_per_s", Math.round(conversations * turns / seconds * 10) / 10.0);
                result.put("provisional_p50_ms", latency.percentile(50));
                result.put("provisional_p99_ms", latency.percentile(99));
                result.put("processing_guarantee", config.processingGuarantee());
                return result;
            }
        }
    }

    private static void produce(String bootstrap, Topics topics, HeadSpec spec, int conversations, int turns) {
        Map<String, Object> props = Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true, ProducerConfig.LINGER_MS_CONFIG, 5);
        Random random = new Random(42);
        String[] text = spec.textEncoder().split("@", 2);
        String[] speech = spec.speechEncoder().split("@", 2);
        EncoderInfo textInfo = new EncoderInfo(text[0], text.length > 1 ? text[1] : "", spec.textDim());
        EncoderInfo speechInfo = new EncoderInfo(speech[0], speech.length > 1 ? speech[1] : "", spec.speechDim());
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer())) {
            for (int t = 0; t < turns; t++) {
                for (int c = 0; c < conversations; c++) {
                    String id = "bench-" + c;
                    Instant now = Instant.now();
                    UtteranceEmbedding e = UtteranceEmbedding.newBuilder()
                            .setConversationId(id).setUtteranceId(id + "-" + t).setSeq(t).setEventTime(now)
                            .setTextEmbedding(vector(random, spec.textDim()))
                            .setSpeechEmbedding(t % 3 == 2 ? null : vector(random, spec.speechDim()))
                            .setTextEncoder(textInfo).setSpeechEncoder(speechInfo).setEncodedAt(now).build();
                    producer.send(new ProducerRecord<>(topics.names().embeddings(), id,
                            topics.embeddings().valueSerde().serializer().serialize(topics.names().embeddings(), e)));
                }
            }
            producer.flush();
            // ENDED where the encoder stage would forward it, after the embeddings (the processor reads only that topic).
            for (int c = 0; c < conversations; c++) {
                String id = "bench-" + c;
                producer.send(new ProducerRecord<>(topics.names().embeddingsControl(), id, topics.embeddingsControl().valueSerde()
                        .serializer().serialize(topics.names().embeddingsControl(),
                                new ConversationControl(id, ControlType.ENDED, Instant.now()))));
            }
            producer.flush();
        }
    }

    private static List<Float> vector(Random random, int dim) {
        List<Float> v = new ArrayList<>(dim);
        for (int i = 0; i < dim; i++) {
            v.add((float) random.nextGaussian() * 0.1f);
        }
        return v;
    }

    private static int awaitFinals(String bootstrap, Topics topics, int expected, List<Long> provisional) {
        Map<String, Object> props = new HashMap<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG, "mister-bench-reader", ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"));
        int finals = 0;
        long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
        try (KafkaConsumer<String, EmotionEvent> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
                topics.emotions().valueSerde().deserializer())) {
            consumer.subscribe(Set.of(topics.names().emotions()));
            while (finals < expected && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, EmotionEvent> r : consumer.poll(Duration.ofMillis(200))) {
                    if (r.value().getRevision() == 0) {
                        provisional.add(r.value().getLatencyMs());
                    }
                    if (r.value().getFinal$()) {
                        finals++;
                    }
                }
            }
        }
        return finals;
    }
}
