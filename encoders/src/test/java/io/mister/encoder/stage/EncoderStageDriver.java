package io.mister.encoder.stage;

import io.mister.encoder.Encoder;
import io.mister.encoder.audio.PcmAudio;
import io.mister.encoder.text.TextEncoder;
import io.mister.events.ConversationControl;
import io.mister.events.UtteranceEmbedding;
import io.mister.testing.SampleEvents;
import io.mister.topics.Topics;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.Properties;
import java.util.stream.Stream;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;

/**
 * The production encoder topology in a TopologyTestDriver under exactly-once, with real stores in a given
 * state directory, and its topics as bytes in (as producers write them) and decoded events out.
 */
final class EncoderStageDriver implements AutoCloseable {

  static final Instant START = Instant.ofEpochMilli(SampleEvents.T0);

  final Topics topics;
  final TopologyTestDriver driver;
  /** Utterances, auto-stamped from {@link #START} in steps of 10 ms. */
  final TestInputTopic<byte[], byte[]> utterances;
  final TestInputTopic<byte[], byte[]> control;
  final TestOutputTopic<String, UtteranceEmbedding> embeddings;
  final TestOutputTopic<String, ConversationControl> embeddingsControl;
  final TestOutputTopic<byte[], byte[]> deadLetters;

  EncoderStageDriver(String applicationId, Topics topics, TextEncoder text, Encoder<PcmAudio> speech,
                     EncoderStageSettings settings, Path state) {
    this.topics = topics;
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    props.put(StreamsConfig.STATE_DIR_CONFIG, state.toString());
    props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
    driver = new TopologyTestDriver(EncoderTopology.buildTopology(topics, text, speech, settings), props, START);
    utterances = driver.createInputTopic(
        "utterances", new ByteArraySerializer(), new ByteArraySerializer(), START, Duration.ofMillis(10));
    control = driver.createInputTopic("conversation-control", new ByteArraySerializer(), new ByteArraySerializer());
    embeddings = driver.createOutputTopic(
        "utterance-embeddings", new StringDeserializer(), topics.embeddings().valueSerde().deserializer());
    embeddingsControl = driver.createOutputTopic(
        "embeddings-control", new StringDeserializer(), topics.control().valueSerde().deserializer());
    deadLetters = driver.createOutputTopic("utterances-dlq", new ByteArrayDeserializer(), new ByteArrayDeserializer());
  }

  static byte[] key(String conversationId) {
    return conversationId.getBytes(StandardCharsets.UTF_8);
  }

  /**
   * Copies a state directory: the driver deletes its own on close, so a restart on the same state keeps it
   * aside and puts it back.
   */
  static void copy(Path from, Path to) throws IOException {
    try (Stream<Path> paths = Files.walk(from)) {
      for (Path source : (Iterable<Path>) paths::iterator) {
        Path target = to.resolve(from.relativize(source).toString());
        if (Files.isDirectory(source)) {
          Files.createDirectories(target);
        } else {
          Files.copy(source, target, StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }
  }

  @Override
  public void close() {
    driver.close();
  }
}
