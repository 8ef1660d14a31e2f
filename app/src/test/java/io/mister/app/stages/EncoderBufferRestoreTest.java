package io.mister.app.stages;

import static org.assertj.core.api.Assertions.assertThat;

import io.mister.app.kafka.EmbeddedKafka;
import io.mister.app.kafka.TopicReader;
import io.mister.encoder.speech.ProsodySpeechEncoder;
import io.mister.encoder.stage.EncoderStageSettings;
import io.mister.encoder.stage.EncoderTopology;
import io.mister.encoder.text.OnnxTextEncoder;
import io.mister.encoder.text.TextEncoders;
import io.mister.events.Utterance;
import io.mister.events.UtteranceEmbedding;
import io.mister.inference.SessionSettings;
import io.mister.serde.EventSerdes;
import io.mister.serde.SerdeSettings;
import io.mister.testing.SampleEvents;
import io.mister.topics.TopicNames;
import io.mister.topics.Topics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.LongDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What only a broker shows: under exactly-once, turns that sit in the encoder stage's batch buffer
 * when an instance goes away are neither lost nor duplicated. The first instance buffers two turns
 * (its batches never fill and its wait is ten minutes) and commits; it then stops and its local
 * state is thrown away. A second instance, with an empty state directory, restores the buffer from
 * the changelog and encodes the two turns, then a third one, exactly once each and in order.
 */
class EncoderBufferRestoreTest {

  private static final String APP_ID = "encoder-restore-test";
  private static EmbeddedKafka kafka;
  private static OnnxTextEncoder text;
  private static ProsodySpeechEncoder speech;

  private final Topics topics =
      new Topics(TopicNames.DEFAULTS, new EventSerdes(SerdeSettings.singleObject()));

  @BeforeAll
  static void start() throws Exception {
    kafka = EmbeddedKafka.start();
    text = TextEncoders.open("all-minilm-l6-v2-q", SessionSettings.cpu(1));
    speech = new ProsodySpeechEncoder();
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
      admin.createTopics(List.of(
          new NewTopic("utterances", 1, (short) 1),
          new NewTopic("conversation-control", 1, (short) 1),
          new NewTopic("utterance-embeddings", 1, (short) 1),
          new NewTopic("utterances-dlq", 1, (short) 1))).all().get();
    }
  }

  @AfterAll
  static void stop() {
    text.close();
    speech.close();
    kafka.close();
  }

  @Test
  void bufferedTurnsAreRestoredFromTheChangelogAndEncodedExactlyOnce(
      @TempDir Path firstState, @TempDir Path secondState) throws Exception {
    KafkaStreams first = streams(Duration.ofMinutes(10), firstState);
    send(SampleEvents.utterance("call-9", 0, "I have been waiting for an hour.", null));
    send(SampleEvents.utterance("call-9", 1, "Nobody is helping me.", null));
    // Both turns are committed into the buffer's changelog, and nothing was published.
    TopicReader.readUntil(kafka.bootstrapServers(), APP_ID + "-" + EncoderTopology.BUFFER_STORE + "-changelog",
        new LongDeserializer(), new ByteArrayDeserializer(), r -> r.size() >= 2, Duration.ofSeconds(60));
    first.close(Duration.ofSeconds(30));
    assertThat(readAllFor(Duration.ofSeconds(3))).as("nothing published yet").isEmpty();

    KafkaStreams second = streams(Duration.ofMillis(100), secondState);
    send(SampleEvents.utterance("call-9", 2, "Finally, thank you.", null));
    List<ConsumerRecord<String, UtteranceEmbedding>> out =
        readEmbeddings(r -> r.size() >= 3, Duration.ofSeconds(90));
    second.close(Duration.ofSeconds(30));

    assertThat(out).extracting(r -> r.value().getSeq()).containsExactly(0L, 1L, 2L);
    assertThat(out).allSatisfy(r -> {
      assertThat(r.key()).isEqualTo("call-9");
      assertThat(r.value().getTextEmbedding()).hasSize(384);
    });
    assertThat(readAllFor(Duration.ofSeconds(3))).as("no duplicates").hasSize(3);
  }

  private KafkaStreams streams(Duration maxWait, Path stateDir) throws InterruptedException {
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, APP_ID);
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
    props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
    props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100);
    props.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, 1);
    props.put(StreamsConfig.consumerPrefix("auto.offset.reset"), "earliest");
    KafkaStreams streams = new KafkaStreams(
        EncoderTopology.buildTopology(topics, text, speech, new EncoderStageSettings(100, maxWait, 60_000)),
        props);
    CountDownLatch running = new CountDownLatch(1);
    streams.setStateListener((now, before) -> {
      if (now == KafkaStreams.State.RUNNING) {
        running.countDown();
      }
    });
    streams.start();
    assertThat(running.await(60, TimeUnit.SECONDS)).as("streams running").isTrue();
    return streams;
  }

  private void send(Utterance u) throws Exception {
    try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(
        Map.of("bootstrap.servers", kafka.bootstrapServers()), new StringSerializer(),
        new org.apache.kafka.common.serialization.ByteArraySerializer())) {
      producer.send(new ProducerRecord<>("utterances", u.getConversationId(),
          topics.utterances().valueSerde().serializer().serialize("utterances", u))).get();
    }
  }

  private List<ConsumerRecord<String, UtteranceEmbedding>> readEmbeddings(
      java.util.function.Predicate<List<ConsumerRecord<String, UtteranceEmbedding>>> done,
      Duration timeout) {
    return TopicReader.readUntil(kafka.bootstrapServers(), "utterance-embeddings",
        new StringDeserializer(), topics.embeddings().valueSerde().deserializer(), done, timeout);
  }

  /** Everything committed on the embeddings topic, polling for the whole given time. */
  private List<ConsumerRecord<String, UtteranceEmbedding>> readAllFor(Duration time) {
    List<ConsumerRecord<String, UtteranceEmbedding>> records = new java.util.ArrayList<>();
    Map<String, Object> props = Map.of(
        "bootstrap.servers", kafka.bootstrapServers(),
        "group.id", "restore-check-" + System.nanoTime(),
        "auto.offset.reset", "earliest",
        "isolation.level", "read_committed");
    try (org.apache.kafka.clients.consumer.KafkaConsumer<String, UtteranceEmbedding> consumer =
        new org.apache.kafka.clients.consumer.KafkaConsumer<>(props, new StringDeserializer(),
            topics.embeddings().valueSerde().deserializer())) {
      consumer.subscribe(List.of("utterance-embeddings"));
      long end = System.nanoTime() + time.toNanos();
      while (System.nanoTime() < end) {
        consumer.poll(Duration.ofMillis(200)).forEach(records::add);
      }
    }
    return records;
  }
}
