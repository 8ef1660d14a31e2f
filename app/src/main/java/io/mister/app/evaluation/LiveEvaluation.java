package io.mister.app.evaluation;

import io.mister.events.Audio;
import io.mister.events.ControlType;
import io.mister.events.ConversationControl;
import io.mister.events.EmotionEvent;
import io.mister.events.Utterance;
import io.mister.events.UtteranceEmbedding;
import io.mister.topics.Topics;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
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
 * Evaluates the running pipeline as a client sees it: produces labelled conversations to
 * utterances (each conversation's ENDED right behind its last turn), consumes emotions (read_committed) until every turn has its
 * final event, and scores the final and the provisional (revision 0) labels against the gold ones.
 * Conversation ids carry a per-run prefix, so runs never mix. Optionally captures the embeddings
 * the encoder stage produced (with the gold labels attached) for {@code evaluate --offline}.
 */
public final class LiveEvaluation {

    /** Where the pipeline is and how to feed it. */
    public record Settings(Map<String, Object> clientSettings, Topics topics, Path audioDir, Duration timeout,
                           Path saveEmbeddings) {}

    private final Settings settings;
    private final String runId = "eval-" + UUID.randomUUID().toString().substring(0, 8);

    public LiveEvaluation(Settings settings) {
        this.settings = settings;
    }

    public EvaluationResult run(List<MeldCsv.Conversation> conversations) throws IOException, InterruptedException {
        Map<String, String> gold = new LinkedHashMap<>();
        long publishedAt = System.currentTimeMillis();
        // Each conversation's ENDED right behind its last turn, as a contact centre sends it: the
        // encoder stage orders it behind the turns (docs/operations.md, "ENDED ordering").
        int withAudio = publish(conversations, gold);
        Map<String, EmotionEvent> provisional = new HashMap<>();
        Map<String, EmotionEvent> finals = new HashMap<>();
        long finalEvents = consume(gold.keySet(), provisional, finals);
        if (settings.saveEmbeddings() != null) {
            EmbeddingFile.write(settings.saveEmbeddings(), readEmbeddings(gold).values());
        }
        List<String> labels = finals.values().stream().findFirst().map(EmotionEvent::getLabels)
                .or(() -> provisional.values().stream().findFirst().map(EmotionEvent::getLabels))
                .orElseThrow(() -> new IllegalStateException("No emotion events arrived within " + settings.timeout()));
        List<String> goldLabels = new ArrayList<>();
        List<String> finalLabels = new ArrayList<>();
        List<String> provisionalLabels = new ArrayList<>();
        List<Long> latency = new ArrayList<>();
        List<Long> finalLatency = new ArrayList<>();
        gold.forEach((turn, label) -> {
            goldLabels.add(label);
            EmotionEvent f = finals.get(turn);
            EmotionEvent p = provisional.get(turn);
            finalLabels.add(f == null ? null : f.getLabel());
            provisionalLabels.add(p == null ? null : p.getLabel());
            if (p != null) {
                latency.add(p.getLatencyMs());
            }
            if (f != null) {
                finalLatency.add(f.getLatencyMs());
            }
        });
        LatencySummary e2e = new LatencySummary(latency);
        LatencySummary toFinal = new LatencySummary(finalLatency);
        String modelVersion = finals.values().stream().findFirst().map(EmotionEvent::getModelVersion).orElse("?");
        Map<String, Object> extra = new LinkedHashMap<>();
        extra.put("conversations", conversations.size());
        extra.put("turns_with_audio", withAudio);
        extra.put("final_events", finalEvents);
        extra.put("turns_with_final", finals.size());
        extra.put("e2e_p50_ms", e2e.percentile(50));
        extra.put("e2e_p99_ms", e2e.percentile(99));
        extra.put("final_p50_ms", toFinal.percentile(50));
        extra.put("final_p99_ms", toFinal.percentile(99));
        extra.put("wall_clock_ms", System.currentTimeMillis() - publishedAt);
        return new EvaluationResult("live", modelVersion, ClassificationReport.of(labels, goldLabels, finalLabels),
                ClassificationReport.of(labels, goldLabels, provisionalLabels), extra);
    }

    private String conversationId(MeldCsv.Conversation c) {
        return runId + "-dia" + c.dialogueId();
    }

    private static String turnKey(String conversationId, long seq) {
        return conversationId + "#" + seq;
    }

    private KafkaProducer<String, byte[]> producer() {
        Map<String, Object> props = new HashMap<>(settings.clientSettings());
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 8 * 1024 * 1024);
        return new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
    }

    /** Every conversation's turns, each conversation's ENDED immediately after its last turn. */
    private int publish(List<MeldCsv.Conversation> conversations, Map<String, String> gold) throws IOException {
        Topics topics = settings.topics();
        int withAudio = 0;
        try (KafkaProducer<String, byte[]> producer = producer()) {
            for (MeldCsv.Conversation c : conversations) {
                String id = conversationId(c);
                for (int seq = 0; seq < c.turns().size(); seq++) {
                    MeldCsv.Turn turn = c.turns().get(seq);
                    byte[] wav = audio(c.dialogueId(), turn.utteranceId());
                    withAudio += wav == null ? 0 : 1;
                    Utterance utterance = Utterance.newBuilder()
                            .setConversationId(id).setUtteranceId(id + "-utt" + turn.utteranceId()).setSeq(seq)
                            .setSpeakerRole("unknown").setEventTime(Instant.now()).setText(turn.text())
                            .setAudio(wav == null ? null : new Audio("WAV", 16_000, 1, ByteBuffer.wrap(wav)))
                            .setAttributes(Map.of("source", "mister-evaluate", "meld_speaker", turn.speaker()))
                            .build();
                    producer.send(new ProducerRecord<>(topics.names().utterances(), id,
                            topics.utterances().valueSerde().serializer().serialize(topics.names().utterances(), utterance)));
                    gold.put(turnKey(id, seq), turn.emotion());
                }
                // Announcing the turns sent: the pipeline then waits for every one (docs/operations.md, "ENDED ordering").
                ConversationControl ended = new ConversationControl(id, ControlType.ENDED, Instant.now(), (long) c.turns().size());
                producer.send(new ProducerRecord<>(topics.names().control(), id,
                        topics.control().valueSerde().serializer().serialize(topics.names().control(), ended)));
            }
            producer.flush();
        }
        return withAudio;
    }

    private byte[] audio(int dialogue, int utterance) throws IOException {
        if (settings.audioDir() == null) {
            return null;
        }
        // MELD's own file naming: dia<D>_utt<U>.wav
        Path wav = settings.audioDir().resolve("dia" + dialogue + "_utt" + utterance + ".wav");
        return Files.isRegularFile(wav) ? Files.readAllBytes(wav) : null;
    }

    private long consume(Set<String> expected, Map<String, EmotionEvent> provisional, Map<String, EmotionEvent> finals) {
        Map<String, Object> props = new HashMap<>(settings.clientSettings());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, runId + "-reader");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        long finalEvents = 0;
        long deadline = System.nanoTime() + settings.timeout().toNanos();
        Topics topics = settings.topics();
        try (KafkaConsumer<String, EmotionEvent> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
                topics.emotions().valueSerde().deserializer())) {
            consumer.subscribe(Set.of(topics.names().emotions()));
            while (finals.size() < expected.size() && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, EmotionEvent> record : consumer.poll(Duration.ofMillis(200))) {
                    EmotionEvent e = record.value();
                    String key = turnKey(e.getConversationId(), e.getSeq());
                    if (!expected.contains(key)) {
                        continue;
                    }
                    if (e.getRevision() == 0) {
                        provisional.putIfAbsent(key, e);
                    }
                    if (e.getFinal$()) {
                        finalEvents++;
                        finals.putIfAbsent(key, e);
                    }
                }
            }
        }
        return finalEvents;
    }

    /** The embeddings of this run's turns, with the gold labels attached (all are published once every final is). */
    private Map<String, UtteranceEmbedding> readEmbeddings(Map<String, String> gold) {
        Map<String, Object> props = new HashMap<>(settings.clientSettings());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, runId + "-embeddings");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        Topics topics = settings.topics();
        Map<String, UtteranceEmbedding> found = new LinkedHashMap<>();
        long deadline = System.nanoTime() + settings.timeout().toNanos();
        try (KafkaConsumer<String, UtteranceEmbedding> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
                topics.embeddings().valueSerde().deserializer())) {
            consumer.subscribe(Set.of(topics.names().embeddings()));
            while (found.size() < gold.size() && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, UtteranceEmbedding> record : consumer.poll(Duration.ofMillis(200))) {
                    UtteranceEmbedding e = record.value();
                    String key = turnKey(e.getConversationId(), e.getSeq());
                    if (gold.containsKey(key)) {
                        e.setLabel(gold.get(key));
                        found.putIfAbsent(key, e);
                    }
                }
            }
        }
        return found;
    }
}
