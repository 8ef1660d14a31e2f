package io.mister.app.pipeline;

import io.mister.app.UntrainedHead;
import static org.assertj.core.api.Assertions.assertThat;

import io.mister.app.cli.RescoreCommand;
import io.mister.app.config.ConfigLoader;
import io.mister.app.config.MisterConfig;
import io.mister.app.kafka.EmbeddedPipeline;
import io.mister.app.kafka.TopicReader;
import io.mister.app.runner.StartPosition;
import io.mister.deadletter.DeadLetterHeaders;
import io.mister.events.Audio;
import io.mister.events.ControlType;
import io.mister.events.ConversationControl;
import io.mister.events.EmotionEvent;
import io.mister.events.EncoderInfo;
import io.mister.events.Utterance;
import io.mister.events.UtteranceEmbedding;
import io.mister.testing.ApicurioRegistryExtension;
import io.mister.topics.Topics;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole pipeline as deployed, in one JVM: embedded broker, a real Apicurio Registry process
 * (registry serde mode), encoder and processor stages with exactly-once, the real encoders and an
 * ONNX head. Several conversations interleave, with audio (EmoDB speech) and without (chat), each
 * ENDED sent right behind its last turn, and one poison record of each kind is mixed in. Every valid turn gets exactly one final event
 * (read_committed), every poison record lands in its stage's DLQ with the reason, and a rescore
 * into a second topic reproduces the final labels.
 */
@ExtendWith(ApicurioRegistryExtension.class)
class PipelineIntegrationTest {

    private static final Path MODEL = Path.of(UntrainedHead.PATH);
    private static final Path EMODB = Path.of("../../shared/data/emodb/wav");
    private static final int TURNS = 5;
    private static final Duration TIMEOUT = Duration.ofMinutes(3);

    @TempDir
    Path dir;

    @Test
    void validTurnsGetExactlyOneFinalPoisonGoesToTheDlqsAndRescoreReproducesTheLabels() throws Exception {
        Map<String, String> settings = new HashMap<>(Map.of(
                MisterConfig.SERDE_MODE, "registry",
                MisterConfig.REGISTRY_URL, ApicurioRegistryExtension.coreApiUrl(),
                MisterConfig.STATE_DIR, dir.resolve("state").toString(),
                MisterConfig.TOPICS_PARTITIONS, "2",
                MisterConfig.APPLICATION_ID_PREFIX, "it",
                MisterConfig.MODEL_PATH, MODEL.toString(),
                MisterConfig.ENCODER_TEXT, UntrainedHead.TEXT_ENCODER,
                MisterConfig.INFERENCE_DEVICE, "cpu",
                MisterConfig.HTTP_PORT, "0",
                // EmoDB turns last under 10 s; a longer turn is poison of the AUDIO_TOO_LONG kind.
                MisterConfig.ENCODER_MAX_AUDIO, "10000"));
        // it-gap-5's ENDED announces a turn that never comes: it is finalised after this wait.
        settings.put(MisterConfig.PROCESSOR_END_WAIT, "3000");
        settings.put(MisterConfig.PROCESSOR_INACTIVITY_CHECK, "500");
        MisterConfig config = ConfigLoader.load(settings, null, Map.of(), Map.of());
        List<Path> wavs;
        try (var files = Files.list(EMODB)) {
            wavs = files.filter(f -> f.toString().endsWith(".wav")).sorted().limit(20).toList();
        }
        List<String> conversations = List.of("it-call-1", "it-chat-2", "it-call-3", "it-chat-4");
        Set<String> validTurns = new HashSet<>();
        try (EmbeddedPipeline pipeline = EmbeddedPipeline.start(config)) {
            Topics topics = pipeline.topics();
            try (KafkaProducer<String, byte[]> producer = producer(pipeline.bootstrapServers())) {
                // Poison for the processor stage: undecodable bytes, a wrong dimension, a NaN, a bad control event (on
                // the topic the encoder forwards control events to), an embedding from an encoder the model was not
                // trained on. Sent first: written straight to the processor's inputs with later timestamps in front of
                // the encoder's output, it would make a replay (timestamp order between partition heads) take an ENDED
                // before the turns behind it.
                send(producer, topics.names().embeddings(), "poison-4", new byte[] {0, 1, 2, 3});
                send(producer, topics.names().embeddings(), "poison-5", embedding(topics, "poison-5", new float[5], "all-minilm-l6-v2-q"));
                float[] nan = new float[384];
                nan[7] = Float.NaN;
                send(producer, topics.names().embeddings(), "poison-6", embedding(topics, "poison-6", nan, "all-minilm-l6-v2-q"));
                send(producer, topics.names().embeddingsControl(), "poison-13", "garbage".getBytes(StandardCharsets.UTF_8));
                send(producer, topics.names().embeddings(), "poison-12", embedding(topics, "poison-12", new float[384], "other-encoder"));
                // A conversation whose second turn was lost between the stages (or lies before a replay's start):
                // its ENDED announces 2 embeddings, 1 arrives. Finalised with that one after processor.end-wait.ms,
                // live and in the rescore below, which must not stop before it.
                float[] gap = new float[384];
                Arrays.fill(gap, 0.05f);
                send(producer, topics.names().embeddings(), "it-gap-5", embedding(topics, "it-gap-5", gap, UntrainedHead.TEXT_ENCODER));
                send(producer, topics.names().embeddingsControl(), "it-gap-5", topics.embeddingsControl().valueSerde().serializer()
                        .serialize(topics.names().embeddingsControl(), new ConversationControl("it-gap-5", ControlType.ENDED, Instant.now(), 2L)));
                validTurns.add("it-gap-5#0");
                // Interleaved: turn t of every conversation before turn t+1 of any.
                for (int t = 0; t < TURNS; t++) {
                    for (int c = 0; c < conversations.size(); c++) {
                        String id = conversations.get(c);
                        boolean voice = id.contains("call");
                        byte[] wav = voice ? Files.readAllBytes(wavs.get(c * TURNS + t)) : null;
                        Utterance u = Utterance.newBuilder().setConversationId(id).setUtteranceId(id + "-" + t).setSeq(t)
                                .setSpeakerRole(t % 2 == 0 ? "customer" : "agent").setEventTime(Instant.now())
                                .setText("turn " + t + " of " + id + (t % 2 == 0 ? ", this is not acceptable!" : ", I can help with that."))
                                .setAudio(wav == null ? null : new Audio("WAV", 16_000, 1, ByteBuffer.wrap(wav))).build();
                        send(producer, topics.names().utterances(), id, topics.utterances().valueSerde().serializer()
                                .serialize(topics.names().utterances(), u));
                        validTurns.add(id + "#" + t);
                        if (t == TURNS - 1) {
                            // ENDED right behind the last turn, as a producer really sends it.
                            send(producer, topics.names().control(), id, topics.control().valueSerde().serializer()
                                    .serialize(topics.names().control(), new ConversationControl(id, ControlType.ENDED, Instant.now(), (long) TURNS)));
                        }
                    }
                }
                // Poison for the encoder stage: bytes that are no event, a negative seq, an unknown audio encoding.
                send(producer, topics.names().utterances(), "poison-1", "not avro at all".getBytes(StandardCharsets.UTF_8));
                send(producer, topics.names().utterances(), "poison-2", topics.utterances().valueSerde().serializer()
                        .serialize(topics.names().utterances(), Utterance.newBuilder().setConversationId("poison-2")
                                .setUtteranceId("x").setSeq(-1).setEventTime(Instant.now()).setText("negative").build()));
                send(producer, topics.names().utterances(), "poison-3", topics.utterances().valueSerde().serializer()
                        .serialize(topics.names().utterances(), Utterance.newBuilder().setConversationId("poison-3")
                                .setUtteranceId("x").setSeq(0).setEventTime(Instant.now()).setText("mp3?")
                                .setAudio(new Audio("MP3", 16_000, 1, ByteBuffer.wrap(new byte[64]))).build()));
                send(producer, topics.names().utterances(), "poison-8", utterance(topics, Utterance.newBuilder()
                        .setConversationId("poison-8").setUtteranceId("x").setSeq(0).setEventTime(Instant.now()).build()));
                send(producer, topics.names().utterances(), "poison-9", utterance(topics, Utterance.newBuilder()
                        .setConversationId("poison-9").setUtteranceId("x").setSeq(0).setEventTime(Instant.now())
                        .setAudio(new Audio("WAV", 16_000, 1, ByteBuffer.wrap("RIFF but not really".getBytes(StandardCharsets.UTF_8))))
                        .build()));
                send(producer, topics.names().utterances(), "poison-10", utterance(topics, Utterance.newBuilder()
                        .setConversationId("poison-10").setUtteranceId("x").setSeq(0).setEventTime(Instant.now())
                        .setAudio(new Audio("PCM_S16LE", 16_000, 1, ByteBuffer.wrap(new byte[16_000 * 2 * 11]))).build()));
                send(producer, topics.names().utterances(), "poison-11", utterance(topics, Utterance.newBuilder()
                        .setConversationId("").setUtteranceId("x").setSeq(0).setEventTime(Instant.now()).setText("who?").build()));
                send(producer, topics.names().control(), "poison-7", "garbage".getBytes(StandardCharsets.UTF_8));
                producer.flush();
            }

            Map<String, List<EmotionEvent>> finals = readFinals(pipeline, topics, topics.names().emotions(), validTurns.size());
            assertThat(finals.keySet()).isEqualTo(validTurns);
            finals.forEach((turn, events) -> assertThat(events).as(turn).hasSize(1));
            finals.forEach((turn, events) -> {
                EmotionEvent e = events.get(0);
                assertThat(e.getSpeechPresent()).as(turn).isEqualTo(turn.contains("call"));
                if (!e.getSpeechPresent()) {
                    assertThat(e.getExpertWeights().getSpeech()).isZero();
                }
            });

            Map<String, String> encoderReasons = dlqReasons(pipeline, topics.names().utterancesDlq(), 8);
            assertThat(encoderReasons).containsEntry("poison-1", "UNDECODABLE").containsEntry("poison-2", "NEGATIVE_SEQ")
                    .containsEntry("poison-3", "UNSUPPORTED_ENCODING").containsEntry("poison-8", "NO_MODALITY")
                    .containsEntry("poison-9", "UNDECODABLE_AUDIO").containsEntry("poison-10", "AUDIO_TOO_LONG")
                    .containsEntry("poison-11", "EMPTY_CONVERSATION_ID").containsEntry("poison-7", "UNDECODABLE");
            Map<String, String> processorReasons = dlqReasons(pipeline, topics.names().embeddingsDlq(), 5);
            assertThat(processorReasons).containsEntry("poison-4", "UNDECODABLE").containsEntry("poison-5", "DIMENSION_MISMATCH")
                    .containsEntry("poison-6", "NON_FINITE").containsEntry("poison-13", "UNDECODABLE")
                    .containsEntry("poison-12", "ENCODER_MISMATCH");

            // Rescore with the same model into a second topic, as its own application: same final labels.
            StringWriter log = new StringWriter();
            int exit = RescoreCommand.rescore(pipeline.config(), MODEL, "emotions-v2", "it-rescore-v2", StartPosition.earliest(),
                    false, TIMEOUT, new PrintWriter(log));
            assertThat(exit).as(log.toString()).isZero();
            Map<String, List<EmotionEvent>> rescored = readFinals(pipeline, topics, "emotions-v2", validTurns.size());
            assertThat(labels(rescored)).isEqualTo(labels(finals));
        }
    }

    private static Map<String, String> labels(Map<String, List<EmotionEvent>> finals) {
        return finals.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().get(0).getLabel()));
    }

    private static byte[] utterance(Topics topics, Utterance utterance) {
        return topics.utterances().valueSerde().serializer().serialize(topics.names().utterances(), utterance);
    }

    private static byte[] embedding(Topics topics, String id, float[] text, String textEncoder) {
        List<Float> values = new ArrayList<>();
        for (float v : text) {
            values.add(v);
        }
        UtteranceEmbedding e = UtteranceEmbedding.newBuilder().setConversationId(id).setUtteranceId(id + "-0").setSeq(0)
                .setEventTime(Instant.now()).setTextEmbedding(values).setSpeechEmbedding(null)
                .setTextEncoder(new EncoderInfo(textEncoder, "1", 384))
                .setSpeechEncoder(new EncoderInfo("mister-prosody", "1", 88)).setEncodedAt(Instant.now()).build();
        return topics.embeddings().valueSerde().serializer().serialize(topics.names().embeddings(), e);
    }

    private static Map<String, List<EmotionEvent>> readFinals(EmbeddedPipeline pipeline, Topics topics, String topic, int turns) {
        List<ConsumerRecord<String, EmotionEvent>> records = TopicReader.readUntil(pipeline.bootstrapServers(), topic,
                new StringDeserializer(), topics.emotions().valueSerde().deserializer(),
                r -> r.stream().filter(x -> x.value().getFinal$()).count() >= turns, TIMEOUT);
        Map<String, List<EmotionEvent>> finals = new HashMap<>();
        for (ConsumerRecord<String, EmotionEvent> r : records) {
            if (r.value().getFinal$()) {
                finals.computeIfAbsent(r.value().getConversationId() + "#" + r.value().getSeq(), k -> new ArrayList<>()).add(r.value());
            }
        }
        return finals;
    }

    private static Map<String, String> dlqReasons(EmbeddedPipeline pipeline, String topic, int expected) {
        Map<String, String> reasons = new HashMap<>();
        for (ConsumerRecord<String, byte[]> r : TopicReader.readUntil(pipeline.bootstrapServers(), topic, new StringDeserializer(),
                new ByteArrayDeserializer(), r -> r.size() >= expected, TIMEOUT)) {
            reasons.put(r.key(), DeadLetterHeaders.read(r.headers(), DeadLetterHeaders.REASON));
            assertThat(DeadLetterHeaders.read(r.headers(), DeadLetterHeaders.ERROR_MESSAGE)).isNotBlank();
        }
        return Collections.unmodifiableMap(reasons);
    }

    private static KafkaProducer<String, byte[]> producer(String bootstrap) {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true, ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 8 * 1024 * 1024),
                new StringSerializer(), new ByteArraySerializer());
    }

    private static void send(KafkaProducer<String, byte[]> producer, String topic, String key, byte[] value) {
        producer.send(new ProducerRecord<>(topic, key, value));
    }
}
