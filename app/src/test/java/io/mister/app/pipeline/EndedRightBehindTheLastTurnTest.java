package io.mister.app.pipeline;

import io.mister.app.UntrainedHead;
import static org.assertj.core.api.Assertions.assertThat;

import io.mister.app.config.ConfigLoader;
import io.mister.app.config.MisterConfig;
import io.mister.app.kafka.EmbeddedPipeline;
import io.mister.app.kafka.TopicReader;
import io.mister.events.ControlType;
import io.mister.events.ConversationControl;
import io.mister.events.EmotionEvent;
import io.mister.events.Utterance;
import io.mister.topics.Topics;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A producer sends each conversation's ENDED the moment it has sent the last turn (often in the same
 * millisecond), while the encoder stage still holds the turns in its micro-batch buffer (the batch
 * wait is far longer than sending takes). The ENDED must still reach the processor behind the turns: every
 * turn gets exactly one final event, nothing is dead-lettered as CONVERSATION_ENDED, and each
 * forwarded ENDED on embeddings-control is stamped after its conversation's embeddings.
 */
class EndedRightBehindTheLastTurnTest {

    private static final Path MODEL = Path.of(UntrainedHead.PATH);
    private static final int CONVERSATIONS = 6;
    private static final int TURNS = 4;
    /** Far longer than sending takes: every turn is still buffered when its ENDED arrives. */
    private static final Duration BATCH_WAIT = Duration.ofSeconds(2);
    private static final Duration TIMEOUT = Duration.ofMinutes(2);

    @TempDir
    Path dir;

    @Test
    void everyTurnGetsExactlyOneFinalEventWhenEndedFollowsTheLastTurnImmediately() throws Exception {
        MisterConfig config = ConfigLoader.load(Map.of(
                MisterConfig.SERDE_MODE, "single-object",
                MisterConfig.STATE_DIR, dir.resolve("state").toString(),
                MisterConfig.TOPICS_PARTITIONS, "2",
                MisterConfig.APPLICATION_ID_PREFIX, "ended-it",
                MisterConfig.MODEL_PATH, MODEL.toString(),
                MisterConfig.ENCODER_TEXT, UntrainedHead.TEXT_ENCODER,
                MisterConfig.INFERENCE_DEVICE, "cpu",
                MisterConfig.HTTP_PORT, "0",
                MisterConfig.ENCODER_BATCH_SIZE, "1000",
                MisterConfig.ENCODER_BATCH_WAIT, String.valueOf(BATCH_WAIT.toMillis())), null, Map.of(), Map.of());
        Set<String> turns = new HashSet<>();
        try (EmbeddedPipeline pipeline = EmbeddedPipeline.start(config)) {
            Topics topics = pipeline.topics();
            try (KafkaProducer<String, byte[]> producer = producer(pipeline.bootstrapServers())) {
                // Staggered: conversation c starts in round c, so ENDEDs arrive while others have turns buffered.
                for (int round = 0; round < CONVERSATIONS + TURNS - 1; round++) {
                    for (int c = 0; c < CONVERSATIONS; c++) {
                        int seq = round - c;
                        if (seq < 0 || seq >= TURNS) {
                            continue;
                        }
                        String id = "ended-" + c;
                        Utterance u = Utterance.newBuilder().setConversationId(id).setUtteranceId(id + "-" + seq)
                                .setSeq(seq).setSpeakerRole(seq % 2 == 0 ? "customer" : "agent")
                                .setEventTime(Instant.now()).setText("turn " + seq + " of " + id + ", thanks a lot.").build();
                        producer.send(new ProducerRecord<>(topics.names().utterances(), id,
                                topics.utterances().valueSerde().serializer().serialize(topics.names().utterances(), u)));
                        turns.add(id + "#" + seq);
                        if (seq == TURNS - 1) {
                            ConversationControl ended = new ConversationControl(id, ControlType.ENDED, Instant.now(), (long) TURNS);
                            producer.send(new ProducerRecord<>(topics.names().control(), id,
                                    topics.control().valueSerde().serializer().serialize(topics.names().control(), ended)));
                        }
                    }
                }
                producer.flush();
            }

            List<ConsumerRecord<String, EmotionEvent>> emotions = TopicReader.readUntil(pipeline.bootstrapServers(),
                    topics.names().emotions(), new StringDeserializer(), topics.emotions().valueSerde().deserializer(),
                    r -> r.stream().filter(x -> x.value().getFinal$()).count() >= turns.size(), TIMEOUT);
            Map<String, Integer> finals = new HashMap<>();
            emotions.stream().map(ConsumerRecord::value).filter(EmotionEvent::getFinal$)
                    .forEach(e -> finals.merge(e.getConversationId() + "#" + e.getSeq(), 1, Integer::sum));
            assertThat(finals.keySet()).isEqualTo(turns);
            assertThat(finals.values()).as("one final event per turn").containsOnly(1);

            assertThat(TopicReader.readToEnd(pipeline.bootstrapServers(), topics.names().embeddingsDlq(),
                    new StringDeserializer(), new ByteArrayDeserializer(), TIMEOUT))
                    .as("no turn overtaken by its ENDED (CONVERSATION_ENDED)").isEmpty();

            Map<String, Long> lastTurnStamp = new HashMap<>();
            Map<String, Long> embeddingsWritten = new HashMap<>();
            TopicReader.readToEnd(pipeline.bootstrapServers(), topics.names().embeddings(), new StringDeserializer(),
                    new ByteArrayDeserializer(), TIMEOUT)
                    .forEach(r -> {
                        lastTurnStamp.merge(r.key(), r.timestamp(), Math::max);
                        embeddingsWritten.merge(r.key(), 1L, Long::sum);
                    });
            List<ConsumerRecord<String, ConversationControl>> forwarded = new ArrayList<>(TopicReader.readToEnd(
                    pipeline.bootstrapServers(), topics.names().embeddingsControl(), new StringDeserializer(),
                    topics.embeddingsControl().valueSerde().deserializer(), TIMEOUT));
            assertThat(forwarded).hasSize(CONVERSATIONS);
            assertThat(forwarded).allSatisfy(r -> {
                assertThat(r.value().getType()).isEqualTo(ControlType.ENDED);
                assertThat(r.timestamp()).as(r.key()).isGreaterThan(lastTurnStamp.get(r.key()));
                assertThat(r.value().getTurnCount()).as("the ENDED announces the embeddings written for " + r.key())
                        .isEqualTo(embeddingsWritten.get(r.key()));
            });
        }
    }

    private static KafkaProducer<String, byte[]> producer(String bootstrap) {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true, ProducerConfig.LINGER_MS_CONFIG, 0),
                new StringSerializer(), new ByteArraySerializer());
    }
}
