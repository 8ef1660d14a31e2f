package io.mister.encoder.stage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.mister.encoder.EncoderId;
import io.mister.encoder.audio.PcmAudio;
import io.mister.encoder.speech.ProsodySpeechEncoder;
import io.mister.encoder.stage.RecordingContextTextEncoder.Seen;
import io.mister.encoder.text.OnnxTextEncoder;
import io.mister.encoder.text.TextEncoder;
import io.mister.encoder.text.TextEncoders;
import io.mister.encoder.Encoder;
import io.mister.events.Utterance;
import io.mister.events.UtteranceEmbedding;
import io.mister.inference.SessionSettings;
import io.mister.serde.EventSerdes;
import io.mister.serde.SerdeSettings;
import io.mister.testing.SampleEvents;
import io.mister.topics.TopicNames;
import io.mister.topics.Topics;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A context-aware text encoder is given, with each turn, the transcripts of the turns before it in
 * its conversation, latest first (here it reads two).
 */
class PreviousTurnsTest {

  private static final Duration WAIT = Duration.ofMillis(200);
  private static final Instant START = Instant.ofEpochMilli(SampleEvents.T0);
  private static OnnxTextEncoder miniLm;

  private final Topics topics =
      new Topics(TopicNames.DEFAULTS, new EventSerdes(SerdeSettings.singleObject()));
  private final Encoder<PcmAudio> speech = new ProsodySpeechEncoder();
  private RecordingContextTextEncoder text;
  private TopologyTestDriver driver;
  private TestInputTopic<byte[], byte[]> utterances;
  private TestInputTopic<byte[], byte[]> control;
  private TestOutputTopic<String, UtteranceEmbedding> embeddings;

  @TempDir Path stateDir;

  @BeforeAll
  static void openTextEncoder() {
    miniLm = TextEncoders.open("all-minilm-l6-v2-q", SessionSettings.cpu(1));
  }

  @AfterAll
  static void closeTextEncoder() {
    miniLm.close();
  }

  @AfterEach
  void closeDriver() {
    if (driver != null) {
      driver.close();
    }
  }

  // ---------------------------------------------------------------- what each turn sees

  @Test
  void eachTurnSeesTheTwoTurnsBeforeItLatestFirst() {
    start(1);
    send("call-1", 0, "Hello.");
    send("call-1", 1, "I have a problem.");
    send("call-1", 2, "It broke again.");
    send("call-1", 3, "Third time this week.");

    assertThat(text.seen).containsExactly(
        new Seen("Hello.", List.of()),
        new Seen("I have a problem.", List.of("Hello.")),
        new Seen("It broke again.", List.of("I have a problem.", "Hello.")),
        new Seen("Third time this week.", List.of("It broke again.", "I have a problem.")));
  }

  @Test
  void twoInterleavedConversationsDoNotSeeEachOthersTurns() {
    start(1);
    send("call-A", 0, "A one.");
    send("call-B", 0, "B one.");
    send("call-A", 1, "A two.");
    send("call-B", 1, "B two.");
    send("call-A", 2, "A three.");

    assertThat(text.seen).containsExactly(
        new Seen("A one.", List.of()),
        new Seen("B one.", List.of()),
        new Seen("A two.", List.of("A one.")),
        new Seen("B two.", List.of("B one.")),
        new Seen("A three.", List.of("A two.", "A one.")));
  }

  @Test
  void turnsOfOneConversationInTheSameBatchSeeEachOtherAsIfFlushedOneByOne(@TempDir Path otherState) {
    List<String[]> turns = List.of(
        new String[] {"call-A", "A one."}, new String[] {"call-A", "A two."},
        new String[] {"call-B", "B one."}, new String[] {"call-A", "A three."},
        new String[] {"call-B", "B two."}, new String[] {"call-A", "A four."});

    start(new EncoderStageSettings(3, WAIT, 10_000), stateDir);
    sendAll(turns);
    List<Seen> batched = List.copyOf(text.seen);
    List<UtteranceEmbedding> batchedEmbeddings = embeddings.readValuesToList();
    driver.close();

    start(new EncoderStageSettings(1, WAIT, 10_000), otherState);
    sendAll(turns);

    assertThat(batched).as("two batches of three").hasSize(6)
        .contains(new Seen("A two.", List.of("A one.")))
        .contains(new Seen("A three.", List.of("A two.", "A one.")))
        .contains(new Seen("A four.", List.of("A three.", "A two.")))
        .contains(new Seen("B two.", List.of("B one.")));
    assertThat(batched).isEqualTo(text.seen);
    List<UtteranceEmbedding> oneByOne = embeddings.readValuesToList();
    assertThat(batchedEmbeddings).hasSameSizeAs(oneByOne);
    for (int i = 0; i < oneByOne.size(); i++) {
      assertThat(batchedEmbeddings.get(i).getUtteranceId()).isEqualTo(oneByOne.get(i).getUtteranceId());
      for (int d = 0; d < 384; d++) {
        assertThat(batchedEmbeddings.get(i).getTextEmbedding().get(d))
            .isCloseTo(oneByOne.get(i).getTextEmbedding().get(d), within(1e-5f));
      }
    }
  }

  @Test
  void aTurnWithoutTextIsEncodedWithoutATextEmbeddingAndLeftOutOfLaterTurnsContext() {
    start(4);
    send("call-1", 0, "Can you hear me?");
    utterances.pipeInput(key("call-1"), bytes(SampleEvents.utterance("call-1", 1, null, EncoderTopologyTest.pcm(0.5))));
    utterances.pipeInput(key("call-1"), bytes(SampleEvents.utterance("call-1", 2, "  ", EncoderTopologyTest.pcm(0.5))));
    send("call-1", 3, "Hello?");

    assertThat(embeddings.readValuesToList()).extracting(e -> e.getTextEmbedding() != null)
        .containsExactly(true, false, false, true);
    assertThat(text.seen).containsExactly(
        new Seen("Can you hear me?", List.of()),
        new Seen("Hello?", List.of("Can you hear me?")));
  }

  @Test
  void whenABatchFailsEachTurnIsEncodedAloneWithThePreviousTranscriptsTheBatchWouldHaveGiven() {
    RecordingContextTextEncoder recorder = new RecordingContextTextEncoder(miniLm, 2);
    TextEncoder failsOnBoom = new TextEncoder() {
      @Override
      public EncoderId id() {
        return miniLm.id();
      }

      @Override
      public int contextTurns() {
        return 2;
      }

      @Override
      public List<float[]> encode(List<String> texts, List<List<String>> previous) {
        if (texts.contains("BOOM")) {
          throw new IllegalStateException("inference failed on BOOM");
        }
        return recorder.encode(texts, previous);
      }

      @Override
      public List<float[]> encode(List<String> texts) {
        throw new AssertionError("not called by the stage");
      }

      @Override
      public void close() {}
    };
    start(failsOnBoom, new EncoderStageSettings(4, WAIT, 10_000), stateDir);
    send("call-1", 0, "One.");
    send("call-1", 1, "Two.");
    send("call-1", 2, "BOOM");
    send("call-1", 3, "Four.");

    assertThat(embeddings.readValuesToList()).extracting(UtteranceEmbedding::getSeq)
        .containsExactly(0L, 1L, 3L);
    assertThat(recorder.seen).as("the failed turn still counts as said: it was in the batch's context")
        .containsExactly(
            new Seen("One.", List.of()),
            new Seen("Two.", List.of("One.")),
            new Seen("Four.", List.of("BOOM", "Two.")));
  }

  // ---------------------------------------------------------------- lifecycle

  @Test
  void theContextSurvivesARestartOnTheSameStateDirectory(@TempDir Path snapshot) throws IOException {
    start(1);
    send("call-1", 0, "My order is late.");
    send("call-1", 1, "Again.");

    copy(stateDir, snapshot);
    driver.close();
    driver = null;
    copy(snapshot, stateDir);
    start(1);
    send("call-1", 2, "Where is it?");

    assertThat(text.seen).containsExactly(new Seen("Where is it?", List.of("Again.", "My order is late.")));
  }

  @Test
  void theContextIsDeletedWhenTheConversationsEndedIsForwarded() {
    start(16);
    send("call-1", 0, "Hello.");
    send("call-1", 1, "Goodbye.");
    send("call-2", 0, "Still here.");
    control.pipeInput(key("call-1"), bytes(SampleEvents.ended("call-1")), START.plusSeconds(1).toEpochMilli());
    driver.advanceWallClockTime(WAIT);
    assertThat(embeddings.readValuesToList()).hasSize(3);
    assertThat(storedConversations()).containsExactly("call-2");

    utterances.pipeInput(key("call-1"), bytes(SampleEvents.utterance("call-1", 0, "A new call.", null)),
        START.plusSeconds(2));
    driver.advanceWallClockTime(WAIT);

    assertThat(text.seen).last().isEqualTo(new Seen("A new call.", List.of()));
  }

  @Test
  void theContextOfAConversationIdleForTheRetentionIsPurged() {
    start(new EncoderStageSettings(16, WAIT, 10_000, Duration.ofMinutes(1), Duration.ofSeconds(30)), stateDir);
    send("call-1", 0, "Hello?");
    driver.advanceWallClockTime(WAIT);
    assertThat(storedConversations()).containsExactly("call-1");

    driver.advanceWallClockTime(Duration.ofMinutes(2));
    assertThat(storedConversations()).isEmpty();

    send("call-1", 1, "Anyone?");
    driver.advanceWallClockTime(WAIT);
    assertThat(text.seen).last().isEqualTo(new Seen("Anyone?", List.of()));
  }

  @Test
  void anEncoderThatReadsEachTurnAloneLeavesTheStoreEmpty() {
    CountingTextEncoder plain = new CountingTextEncoder(miniLm);
    start(plain, new EncoderStageSettings(2, WAIT, 10_000), stateDir);
    send("call-1", 0, "Hello.");
    send("call-1", 1, "Goodbye.");
    send("call-1", 2, "Really.");
    driver.advanceWallClockTime(WAIT);

    assertThat(embeddings.readValuesToList()).hasSize(3);
    assertThat(plain.batchSizes).containsExactly(2, 1);
    assertThat(storedConversations()).isEmpty();
  }

  // ---------------------------------------------------------------- helpers

  private void start(int maxBatchSize) {
    start(new EncoderStageSettings(maxBatchSize, WAIT, 10_000), stateDir);
  }

  private void start(EncoderStageSettings settings, Path state) {
    text = new RecordingContextTextEncoder(miniLm, 2);
    start(text, settings, state);
  }

  private void start(TextEncoder encoder, EncoderStageSettings settings, Path state) {
    EncoderStageDriver d = new EncoderStageDriver("encoder-previous-turns-test", topics, encoder, speech, settings, state);
    driver = d.driver;
    utterances = d.utterances;
    control = d.control;
    embeddings = d.embeddings;
  }

  private List<String> storedConversations() {
    KeyValueStore<String, byte[]> store = driver.getKeyValueStore(EncoderTopology.RECENT_TEXTS_STORE);
    List<String> keys = new ArrayList<>();
    try (KeyValueIterator<String, byte[]> all = store.all()) {
      all.forEachRemaining((KeyValue<String, byte[]> entry) -> keys.add(entry.key));
    }
    return keys;
  }

  private void sendAll(List<String[]> turns) {
    for (int seq = 0; seq < turns.size(); seq++) {
      send(turns.get(seq)[0], seq, turns.get(seq)[1]);
    }
  }

  private void send(String conversationId, long seq, String transcript) {
    utterances.pipeInput(key(conversationId), bytes(SampleEvents.utterance(conversationId, seq, transcript, null)));
  }

  private byte[] bytes(Utterance u) {
    return topics.utterances().valueSerde().serializer().serialize("utterances", u);
  }

  private byte[] bytes(io.mister.events.ConversationControl c) {
    return topics.control().valueSerde().serializer().serialize("conversation-control", c);
  }

  private static byte[] key(String conversationId) {
    return EncoderStageDriver.key(conversationId);
  }

  private static void copy(Path from, Path to) throws IOException {
    EncoderStageDriver.copy(from, to);
  }
}
