package io.mister.encoder.stage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.mister.deadletter.DeadLetterHeaders;
import io.mister.deadletter.DeadLetterReason;
import io.mister.encoder.Encoder;
import io.mister.encoder.text.TextEncoder;
import io.mister.encoder.audio.AudioDecoder;
import io.mister.encoder.audio.PcmAudio;
import io.mister.encoder.speech.ProsodySpeechEncoder;
import io.mister.encoder.text.OnnxTextEncoder;
import io.mister.encoder.text.TextEncoders;
import io.mister.events.Audio;
import io.mister.events.ControlType;
import io.mister.events.ConversationControl;
import io.mister.events.Utterance;
import io.mister.events.UtteranceEmbedding;
import io.mister.inference.SessionSettings;
import io.mister.serde.EventSerdes;
import io.mister.serde.SerdeSettings;
import io.mister.testing.SampleEvents;
import io.mister.topics.TopicNames;
import io.mister.topics.Topics;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EncoderTopologyTest {

  private static final Duration WAIT = Duration.ofMillis(200);
  private static final Instant START = Instant.ofEpochMilli(SampleEvents.T0);
  private static OnnxTextEncoder miniLm;

  private final Topics topics =
      new Topics(TopicNames.DEFAULTS, new EventSerdes(SerdeSettings.singleObject()));
  private CountingTextEncoder text;
  private final Encoder<PcmAudio> speech = new ProsodySpeechEncoder();
  private TopologyTestDriver driver;
  private TestInputTopic<byte[], byte[]> utterances;
  private TestInputTopic<byte[], byte[]> control;
  private TestOutputTopic<String, UtteranceEmbedding> embeddings;
  private TestOutputTopic<String, ConversationControl> embeddingsControl;
  private TestOutputTopic<byte[], byte[]> deadLetters;

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

  private void start(int maxBatchSize) {
    start(maxBatchSize, stateDir);
  }

  private void start(int maxBatchSize, Path state) {
    start(new EncoderStageSettings(maxBatchSize, WAIT, 10_000), state);
  }

  private void start(EncoderStageSettings settings, Path state) {
    text = new CountingTextEncoder(miniLm);
    start(text, settings, state);
  }

  private void start(TextEncoder encoder, EncoderStageSettings settings, Path state) {
    EncoderStageDriver d = new EncoderStageDriver("encoder-stage-test", topics, encoder, speech, settings, state);
    driver = d.driver;
    utterances = d.utterances;
    control = d.control;
    embeddings = d.embeddings;
    embeddingsControl = d.embeddingsControl;
    deadLetters = d.deadLetters;
  }

  /**
   * Stops the driver and starts a new one on what it left in the state directory (the driver deletes
   * its state directory on close, so it is kept aside in {@code snapshot} and put back).
   */
  private void restartOnTheSameState(Path snapshot) throws IOException {
    copy(stateDir, snapshot);
    driver.close();
    driver = null;
    copy(snapshot, stateDir);
    start(16, stateDir);
  }

  // ---------------------------------------------------------------- dead letters

  @Test
  void everyKindOfPoisonGoesToTheDeadLetterTopicWithItsReasonAndTheStreamGoesOn() {
    start(1);
    Map<DeadLetterReason, byte[]> poison = new java.util.LinkedHashMap<>();
    poison.put(DeadLetterReason.UNDECODABLE, new byte[] {0x13, 0x37, 0x00, 0x42});
    poison.put(DeadLetterReason.EMPTY_CONVERSATION_ID, bytes(turn(" ", 0, "hi", null)));
    poison.put(DeadLetterReason.KEY_MISMATCH, bytes(turn("other-call", 0, "hi", null)));
    poison.put(DeadLetterReason.NEGATIVE_SEQ, bytes(turn("call-1", -1, "hi", null)));
    poison.put(DeadLetterReason.AUDIO_TOO_LONG, bytes(turn("call-1", 1, "hi", pcm(11.0))));
    poison.put(DeadLetterReason.UNSUPPORTED_ENCODING, bytes(turn("call-1", 1, "hi",
        Audio.newBuilder().setEncoding("OPUS").setSampleRate(16000).setChannels(1)
            .setBytes(ByteBuffer.wrap(new byte[] {1, 2, 3, 4})).build())));
    poison.put(DeadLetterReason.UNDECODABLE_AUDIO, bytes(turn("call-1", 1, "hi",
        Audio.newBuilder().setEncoding("PCM_S16LE").setSampleRate(16000).setChannels(1)
            .setBytes(ByteBuffer.wrap(new byte[] {1, 2, 3})).build())));
    poison.put(DeadLetterReason.NO_MODALITY, bytes(turn("call-1", 1, "   ", null)));

    for (byte[] value : poison.values()) {
      utterances.pipeInput(key("call-1"), value);
    }
    utterances.pipeInput(key("call-1"), bytes(turn("call-1", 1, "Still flowing.", null)));

    List<TestRecord<byte[], byte[]>> letters = deadLetters.readRecordsToList();
    assertThat(letters).hasSize(poison.size());
    int i = 0;
    for (Map.Entry<DeadLetterReason, byte[]> expected : poison.entrySet()) {
      TestRecord<byte[], byte[]> letter = letters.get(i++);
      assertThat(header(letter, DeadLetterHeaders.REASON)).isEqualTo(expected.getKey().name());
      assertThat(header(letter, DeadLetterHeaders.STAGE)).isEqualTo(EncoderTopology.STAGE);
      assertThat(header(letter, DeadLetterHeaders.SOURCE_TOPIC)).isEqualTo("utterances");
      assertThat(letter.value()).as("original bytes").isEqualTo(expected.getValue());
      assertThat(letter.key()).isEqualTo(key("call-1"));
    }
    assertThat(embeddings.readValuesToList()).extracting(UtteranceEmbedding::getText)
        .containsExactly("Still flowing.");
  }

  @Test
  void aTurnWithEmptyAudioAndNoTextHasNoModality() {
    start(1);
    utterances.pipeInput(key("call-1"), bytes(turn("call-1", 0, null, pcm(0.0))));

    assertThat(header(deadLetters.readRecord(), DeadLetterHeaders.REASON))
        .isEqualTo(DeadLetterReason.NO_MODALITY.name());
  }

  @Test
  void aTurnThatBreaksItsBatchIsDeadLetteredAloneAndTheOthersAreEncoded() {
    start(3);
    TextEncoder fragile = new TextEncoder() {
      @Override
      public io.mister.encoder.EncoderId id() {
        return miniLm.id();
      }

      @Override
      public List<float[]> encode(List<String> inputs) {
        if (inputs.contains("BOOM")) {
          throw new IllegalStateException("inference failed on BOOM");
        }
        return miniLm.encode(inputs);
      }

      @Override
      public void close() {}
    };
    driver.close();
    start(fragile, new EncoderStageSettings(3, WAIT, 10_000), stateDir);

    send(turn("call-1", 0, "Fine.", null));
    send(turn("call-1", 1, "BOOM", null));
    send(turn("call-1", 2, "Also fine.", null));

    assertThat(embeddings.readValuesToList()).extracting(UtteranceEmbedding::getSeq).containsExactly(0L, 2L);
    TestRecord<byte[], byte[]> letter = deadLetters.readRecord();
    assertThat(header(letter, DeadLetterHeaders.REASON)).isEqualTo(DeadLetterReason.PROCESSING_ERROR.name());
    assertThat(header(letter, DeadLetterHeaders.ERROR_MESSAGE)).isEqualTo("inference failed on BOOM");
    assertThat(topics.utterances().valueSerde().deserializer().deserialize("utterances", letter.value())
        .getText()).isEqualTo("BOOM");
  }

  // ---------------------------------------------------------------- ordering

  @Test
  void twoInterleavedConversationsKeepTheirOwnOrder() {
    start(4);
    for (int seq = 0; seq < 6; seq++) {
      send(turn("call-A", seq, "A says number " + seq, null));
      send(turn("call-B", seq, "B says number " + seq, null));
    }
    driver.advanceWallClockTime(WAIT.multipliedBy(2)); // the last 4 wait for the timer

    List<org.apache.kafka.streams.KeyValue<String, UtteranceEmbedding>> out =
        embeddings.readKeyValuesToList();
    assertThat(out).hasSize(12);
    assertThat(out).allSatisfy(kv -> assertThat(kv.key).isEqualTo(kv.value.getConversationId()));
    assertThat(out.stream().filter(kv -> kv.key.equals("call-A")).map(kv -> kv.value.getSeq()))
        .containsExactly(0L, 1L, 2L, 3L, 4L, 5L);
    assertThat(out.stream().filter(kv -> kv.key.equals("call-B")).map(kv -> kv.value.getSeq()))
        .containsExactly(0L, 1L, 2L, 3L, 4L, 5L);
    assertThat(text.batchSizes).containsExactly(4, 4, 4);
  }

  // ---------------------------------------------------------------- batching

  @Test
  void aFullBatchIsEncodedAtOnceInOneInferenceCall() {
    start(3);
    send(turn("call-1", 0, "One.", null));
    send(turn("call-1", 1, "Two.", null));
    assertThat(embeddings.isEmpty()).isTrue();

    send(turn("call-1", 2, "Three.", null));

    assertThat(embeddings.readValuesToList()).extracting(UtteranceEmbedding::getSeq)
        .containsExactly(0L, 1L, 2L);
    assertThat(text.batchSizes).containsExactly(3);
  }

  @Test
  void aPartialBatchIsEncodedWhenItsOldestTurnHasWaitedLongEnough() {
    start(16);
    send(turn("call-1", 0, "Anyone there?", null));
    driver.advanceWallClockTime(WAIT.dividedBy(2));
    send(turn("call-1", 1, "Hello?", null));
    assertThat(embeddings.isEmpty()).isTrue();

    driver.advanceWallClockTime(WAIT.dividedBy(2));

    assertThat(embeddings.readValuesToList()).extracting(UtteranceEmbedding::getSeq)
        .containsExactly(0L, 1L);
    assertThat(text.batchSizes).containsExactly(2);
  }

  // ---------------------------------------------------------------- control events

  @Test
  void anEndedWaitsForTheBatchThenFollowsTheFlushedTurnsOnEmbeddingsControl() {
    start(16);
    send(turn("call-1", 0, "I'm done with this.", null)); // timestamps START, START + 10, START + 20
    send(turn("call-2", 0, "Good morning.", null));
    send(turn("call-1", 1, "Goodbye.", null));
    long endedAt = START.toEpochMilli() + 1_000;

    control.pipeInput(key("call-1"), bytes(SampleEvents.ended("call-1")), endedAt);
    assertThat(embeddingsControl.isEmpty()).as("waits like a turn").isTrue();
    driver.advanceWallClockTime(WAIT);

    List<TestRecord<String, UtteranceEmbedding>> flushed = embeddings.readRecordsToList();
    assertThat(flushed).extracting(r -> r.value().getUtteranceId())
        .as("the whole buffer, in arrival order")
        .containsExactly("call-1-u0", "call-2-u0", "call-1-u1");
    TestRecord<String, ConversationControl> ended = embeddingsControl.readRecord();
    assertThat(ended.key()).isEqualTo("call-1");
    assertThat(ended.value()).as("with the number of embeddings written for call-1")
        .isEqualTo(withTurnCount(SampleEvents.ended("call-1"), 2));
    assertThat(ended.timestamp()).as("already after the turns: kept").isEqualTo(endedAt);
    assertThat(embeddingsControl.isEmpty()).isTrue();
  }

  @Test
  void aLastTurnProcessedJustAfterItsEndedInTheSameMillisecondStillGoesFirst() {
    start(16);
    send(turn("call-1", 0, "Hello.", null));
    long lastTurnAt = START.toEpochMilli() + 500;
    // Same timestamp on both input topics: Kafka Streams may take the ENDED first.
    control.pipeInput(key("call-1"), bytes(SampleEvents.ended("call-1")), lastTurnAt);
    utterances.pipeInput(key("call-1"), bytes(turn("call-1", 1, "Bye.", null)), lastTurnAt);
    driver.advanceWallClockTime(WAIT);

    assertThat(embeddings.readValuesToList()).extracting(UtteranceEmbedding::getSeq)
        .containsExactly(0L, 1L);
    assertThat(embeddingsControl.readRecord().timestamp())
        .as("strictly after the last turn, so the processor takes the turn first")
        .isEqualTo(lastTurnAt + 1);
  }

  @Test
  void aControlEventWaitsUntilALaterStampedTurnIsInOrTheTaskHasBeenIdleForAWholeWait() {
    start(16);
    long endedAt = START.toEpochMilli() + 500;
    send(turn("call-1", 0, "Hello.", null));
    control.pipeInput(key("call-1"), bytes(SampleEvents.ended("call-1")), endedAt);
    driver.advanceWallClockTime(WAIT.dividedBy(2));
    // Same timestamp as the ENDED: proves nothing about what is still to come.
    utterances.pipeInput(key("call-1"), bytes(turn("call-1", 1, "Bye.", null)), endedAt);
    driver.advanceWallClockTime(WAIT.dividedBy(2));
    assertThat(embeddingsControl.isEmpty()).as("waited, but the task is busy and nothing later is in").isTrue();

    // A later-stamped turn: Kafka Streams takes inputs in timestamp order, everything earlier is in.
    utterances.pipeInput(key("call-2"), bytes(turn("call-2", 0, "Hi.", null)), endedAt + 1);
    driver.advanceWallClockTime(WAIT.dividedBy(4));
    assertThat(embeddings.readValuesToList()).extracting(UtteranceEmbedding::getUtteranceId)
        .containsExactly("call-1-u0", "call-1-u1", "call-2-u0");
    assertThat(embeddingsControl.readRecord().timestamp()).isEqualTo(endedAt + 2);

    control.pipeInput(key("call-2"), bytes(SampleEvents.ended("call-2")), endedAt + 5);
    driver.advanceWallClockTime(WAIT.dividedBy(2));
    assertThat(embeddingsControl.isEmpty()).isTrue();
    driver.advanceWallClockTime(WAIT.dividedBy(2));
    assertThat(embeddingsControl.readValue().getConversationId()).as("idle for a whole wait").isEqualTo("call-2");
  }

  @Test
  void anEndedStampedBeforeItsTurnsIsStampedAfterThemSoTheProcessorTakesTheTurnsFirst() {
    start(16);
    send(turn("call-1", 0, "Hello.", null));
    send(turn("call-1", 1, "Bye.", null));
    // A producer whose clock lags behind the one that stamped the turns.
    control.pipeInput(key("call-1"), bytes(SampleEvents.ended("call-1")), START.toEpochMilli() - 5_000);
    driver.advanceWallClockTime(WAIT);

    long lastTurn = embeddings.readRecordsToList().stream()
        .mapToLong(TestRecord::timestamp).max().orElseThrow();
    assertThat(lastTurn).isEqualTo(START.toEpochMilli() + 10);
    assertThat(embeddingsControl.readRecord().timestamp()).isEqualTo(lastTurn + 1);
  }

  @Test
  void startedAndEndedPassThroughInOrderWithTheirTimestamps() {
    start(16);
    long startedAt = START.toEpochMilli() + 500;
    ConversationControl started = SampleEvents.ended("call-2");
    started.setType(ControlType.STARTED);

    control.pipeInput(key("call-2"), bytes(started), startedAt);
    control.pipeInput(key("call-3"), bytes(SampleEvents.ended("call-3")), startedAt + 1);
    driver.advanceWallClockTime(WAIT);

    assertThat(embeddings.isEmpty()).isTrue();
    assertThat(embeddingsControl.readRecordsToList())
        .extracting(TestRecord::key, r -> r.value().getType(), TestRecord::timestamp,
            r -> r.value().getTurnCount())
        .as("an ENDED carries the turns written (none here); a STARTED no count")
        .containsExactly(
            tuple("call-2", ControlType.STARTED, startedAt, null),
            tuple("call-3", ControlType.ENDED, startedAt + 1, 0L));
  }

  @Test
  void aWaitingControlEventSurvivesARestartOnTheSameStateDirectory(@TempDir Path snapshot)
      throws IOException {
    start(16);
    send(turn("call-1", 0, "Last words.", null));
    control.pipeInput(key("call-1"), bytes(SampleEvents.ended("call-1")), START.toEpochMilli() + 100);
    restartOnTheSameState(snapshot);
    driver.advanceWallClockTime(WAIT);

    assertThat(embeddings.readValuesToList()).extracting(UtteranceEmbedding::getSeq).containsExactly(0L);
    assertThat(embeddingsControl.readValuesToList()).containsExactly(withTurnCount(SampleEvents.ended("call-1"), 1));
  }

  @Test
  void theTurnCountAnEndedCarriesIncludesTurnsWrittenBeforeARestart(@TempDir Path snapshot)
      throws IOException {
    start(16);
    send(turn("call-1", 0, "Hello.", null));
    send(turn("call-1", 1, "I have a question.", null));
    driver.advanceWallClockTime(WAIT);
    assertThat(embeddings.readValuesToList()).hasSize(2);
    restartOnTheSameState(snapshot);
    utterances.pipeInput(key("call-1"), bytes(turn("call-1", 2, "Thanks.", null)), START.plusSeconds(1));
    control.pipeInput(key("call-1"), bytes(SampleEvents.ended("call-1")), START.plusSeconds(1).toEpochMilli());
    driver.advanceWallClockTime(WAIT.multipliedBy(2));

    assertThat(embeddingsControl.readValue().getTurnCount()).isEqualTo(3L);
  }

  @Test
  void aTurnCountIsDroppedWhenItsConversationHadNoTurnForTheRetentionAndNoEnded() {
    start(new EncoderStageSettings(16, WAIT, 10_000, Duration.ofMinutes(1), Duration.ofSeconds(30)), stateDir);
    send(turn("call-1", 0, "Hello?", null));
    driver.advanceWallClockTime(WAIT);
    assertThat(embeddings.readValuesToList()).hasSize(1);

    driver.advanceWallClockTime(Duration.ofMinutes(2));
    control.pipeInput(key("call-1"), bytes(SampleEvents.ended("call-1")), START.plusSeconds(200).toEpochMilli());
    driver.advanceWallClockTime(WAIT.multipliedBy(2));

    assertThat(embeddingsControl.readValue().getTurnCount()).as("forgotten: a fresh count").isZero();
  }

  @Test
  void anEndedThatAnnouncesItsTurnsIsHeldUntilTheyAreAllInHoweverLongTheTaskIsIdle() {
    start(16);
    send(turn("call-1", 0, "Hello.", null));
    // The producer sent 2 turns; the second has not been fetched yet (the race the heuristic loses).
    control.pipeInput(key("call-1"), bytes(withTurnCount(SampleEvents.ended("call-1"), 2)),
        START.toEpochMilli() + 500);
    driver.advanceWallClockTime(WAIT.multipliedBy(10)); // idle for ten whole waits
    assertThat(embeddings.readValuesToList()).extracting(UtteranceEmbedding::getSeq).containsExactly(0L);
    assertThat(embeddingsControl.isEmpty()).as("held: one announced turn is missing").isTrue();

    utterances.pipeInput(key("call-1"), bytes(turn("call-1", 1, "Bye.", null)), START.plusMillis(400));
    driver.advanceWallClockTime(WAIT);

    assertThat(embeddings.readValuesToList()).extracting(UtteranceEmbedding::getSeq).containsExactly(1L);
    assertThat(embeddingsControl.readValue().getTurnCount()).as("the embeddings written").isEqualTo(2L);
  }

  @Test
  void anAnnouncedTurnDeadLetteredAtTheGateStillCountsButIsNotForwarded() {
    start(16);
    send(turn("call-1", 0, "Hello.", null));
    utterances.pipeInput(key("call-1"), "not avro".getBytes(StandardCharsets.UTF_8), START.plusMillis(100));
    control.pipeInput(key("call-1"), bytes(withTurnCount(SampleEvents.ended("call-1"), 2)),
        START.toEpochMilli() + 500);
    driver.advanceWallClockTime(WAIT);

    assertThat(deadLetters.readValuesToList()).hasSize(1);
    assertThat(embeddingsControl.readValue().getTurnCount())
        .as("released at once; announces the one embedding the processor will receive").isEqualTo(1L);
  }

  @Test
  void anEndedWhoseAnnouncedTurnsNeverComeIsForwardedAfterTheEndWaitAndHoldsNoOtherConversation() {
    start(new EncoderStageSettings(16, WAIT, 10_000, Duration.ofDays(1), Duration.ofSeconds(5)), stateDir);
    send(turn("call-1", 0, "Hello.", null));
    control.pipeInput(key("call-1"), bytes(withTurnCount(SampleEvents.ended("call-1"), 3)),
        START.toEpochMilli() + 500);
    send(turn("call-2", 0, "Hi.", null));
    control.pipeInput(key("call-2"), bytes(withTurnCount(SampleEvents.ended("call-2"), 1)),
        START.toEpochMilli() + 600);
    driver.advanceWallClockTime(WAIT);
    assertThat(embeddingsControl.readValuesToList()).extracting(ConversationControl::getConversationId)
        .as("call-2 has all its turns; call-1 still waits").containsExactly("call-2");

    driver.advanceWallClockTime(Duration.ofSeconds(5));

    ConversationControl late = embeddingsControl.readValue();
    assertThat(late.getConversationId()).isEqualTo("call-1");
    assertThat(late.getTurnCount()).isEqualTo(1L);
  }

  private static ConversationControl withTurnCount(ConversationControl control, long turns) {
    return ConversationControl.newBuilder(control).setTurnCount(turns).build();
  }

  @Test
  void poisonControlEventsGoToTheDeadLetterTopicAndAreNotForwarded() {
    start(16);
    Map<DeadLetterReason, byte[]> poison = new java.util.LinkedHashMap<>();
    poison.put(DeadLetterReason.UNDECODABLE, new byte[] {9, 9, 9});
    poison.put(DeadLetterReason.KEY_MISMATCH, bytes(SampleEvents.ended("call-2")));
    poison.put(DeadLetterReason.EMPTY_CONVERSATION_ID, bytes(SampleEvents.ended(" ")));

    poison.values().forEach(value -> control.pipeInput(key("call-1"), value));
    driver.advanceWallClockTime(WAIT);

    List<TestRecord<byte[], byte[]>> letters = deadLetters.readRecordsToList();
    assertThat(letters).extracting(letter -> header(letter, DeadLetterHeaders.REASON))
        .containsExactlyElementsOf(poison.keySet().stream().map(Enum::name).toList());
    assertThat(letters).allSatisfy(letter -> {
      assertThat(header(letter, DeadLetterHeaders.STAGE)).isEqualTo(EncoderTopology.STAGE);
      assertThat(header(letter, DeadLetterHeaders.SOURCE_TOPIC)).isEqualTo("conversation-control");
    });
    assertThat(letters).extracting(TestRecord::value).containsExactlyElementsOf(poison.values());
    assertThat(embeddingsControl.isEmpty()).isTrue();

    control.pipeInput(key("call-1"), bytes(SampleEvents.ended("call-1")));
    driver.advanceWallClockTime(WAIT);
    assertThat(embeddingsControl.readValue().getType()).isEqualTo(ControlType.ENDED);
  }

  // ---------------------------------------------------------------- modalities

  @Test
  void aTextOnlyTurnHasATextEmbeddingAndNoSpeechEmbedding() {
    start(1);
    Utterance u = turn("call-1", 3, "Why would you do that?", null);
    u.setAttributes(Map.of("label", "anger", "channel", "chat"));
    send(u);

    UtteranceEmbedding e = embeddings.readValue();
    assertThat(e.getConversationId()).isEqualTo("call-1");
    assertThat(e.getUtteranceId()).isEqualTo("call-1-u3");
    assertThat(e.getSeq()).isEqualTo(3);
    assertThat(e.getSpeakerRole()).isEqualTo("customer");
    assertThat(e.getEventTime()).isEqualTo(u.getEventTime());
    assertThat(e.getText()).isEqualTo("Why would you do that?");
    assertThat(e.getTextEmbedding()).hasSize(384);
    assertThat(e.getSpeechEmbedding()).isNull();
    assertThat(e.getTextEncoder().getId()).isEqualTo("all-minilm-l6-v2-q");
    assertThat(e.getTextEncoder().getVersion()).isEqualTo("1");
    assertThat(e.getTextEncoder().getDim()).isEqualTo(384);
    assertThat(e.getSpeechEncoder().getId()).isEqualTo(speech.id().id());
    assertThat(e.getSpeechEncoder().getDim()).isEqualTo(speech.id().dim());
    assertThat(e.getLabel()).isEqualTo("anger");
    assertThat(e.getEncodedAt()).isNotNull();
    float[] expected = miniLm.encode(List.of("Why would you do that?")).get(0);
    for (int i = 0; i < 384; i++) {
      assertThat(e.getTextEmbedding().get(i)).isEqualTo(expected[i]);
    }
  }

  @Test
  void anAudioOnlyTurnHasASpeechEmbeddingAndNoTextEmbedding() {
    start(1);
    send(turn("call-1", 0, null, pcm(1.5)));

    UtteranceEmbedding e = embeddings.readValue();
    assertThat(e.getText()).isNull();
    assertThat(e.getTextEmbedding()).isNull();
    assertThat(e.getSpeechEmbedding()).hasSize(88);
    assertThat(e.getSpeechEncoder().getId()).isEqualTo("mister-prosody");
    assertThat(e.getSpeechEncoder().getDim()).isEqualTo(88);
    assertThat(e.getLabel()).isNull();
    assertThat(e.getTextEncoder().getDim()).as("named even when unused").isEqualTo(384);
  }

  @Test
  void aTurnWithBlankTextAndAudioIsAudioOnly() {
    start(1);
    send(turn("call-1", 0, " \n ", pcm(0.5)));

    UtteranceEmbedding e = embeddings.readValue();
    assertThat(e.getTextEmbedding()).isNull();
    assertThat(e.getSpeechEmbedding()).isNotNull();
  }

  @Test
  void aTurnWithBothModalitiesHasBothAndKeepsTheInputTimestamp() {
    start(1);
    utterances.pipeInput(key("call-1"), bytes(turn("call-1", 0, "Hello!", pcm(2.0))),
        Instant.ofEpochMilli(SampleEvents.T0 + 1234));

    TestRecord<String, UtteranceEmbedding> record = embeddings.readRecord();
    assertThat(record.value().getTextEmbedding()).hasSize(384);
    assertThat(record.value().getSpeechEmbedding()).hasSize(speech.id().dim());
    float[] expected = speech.encode(List.of(new AudioDecoder().decode(pcm(2.0)))).get(0);
    for (int i = 0; i < expected.length; i++) {
      assertThat(record.value().getSpeechEmbedding().get(i)).isEqualTo(expected[i]);
    }
    assertThat(record.timestamp()).isEqualTo(SampleEvents.T0 + 1234);
  }

  // ---------------------------------------------------------------- restart

  @Test
  void bufferedTurnsSurviveARestartOnTheSameStateDirectory(@TempDir Path snapshot)
      throws IOException {
    start(16);
    send(turn("call-1", 0, "Before the crash.", null));
    send(turn("call-1", 1, "Also before.", null));
    assertThat(embeddings.isEmpty()).isTrue();
    restartOnTheSameState(snapshot);
    send(turn("call-1", 2, "After the restart.", null));
    driver.advanceWallClockTime(WAIT);

    assertThat(embeddings.readValuesToList()).extracting(UtteranceEmbedding::getText)
        .containsExactly("Before the crash.", "Also before.", "After the restart.");
  }

  // ---------------------------------------------------------------- helpers

  private void send(Utterance utterance) {
    utterances.pipeInput(key(utterance.getConversationId()), bytes(utterance));
  }

  private static Utterance turn(String conversationId, long seq, String text, Audio audio) {
    return SampleEvents.utterance(conversationId, seq, text, audio);
  }

  private byte[] bytes(Utterance u) {
    return topics.utterances().valueSerde().serializer().serialize("utterances", u);
  }

  private byte[] bytes(ConversationControl c) {
    return topics.control().valueSerde().serializer().serialize("conversation-control", c);
  }

  private static byte[] key(String conversationId) {
    return EncoderStageDriver.key(conversationId);
  }

  /** A 220 Hz tone of the given length as 16 kHz PCM_S16LE. */
  static Audio pcm(double seconds) {
    int n = (int) Math.round(seconds * 16000);
    ByteBuffer bytes = ByteBuffer.allocate(n * 2).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < n; i++) {
      bytes.putShort((short) (8000 * Math.sin(2 * Math.PI * 220 * i / 16000.0)));
    }
    bytes.flip();
    return Audio.newBuilder().setEncoding("PCM_S16LE").setSampleRate(16000).setChannels(1)
        .setBytes(bytes).build();
  }

  private static String header(TestRecord<byte[], byte[]> record, String name) {
    return DeadLetterHeaders.read(record.headers(), name);
  }

  private static void copy(Path from, Path to) throws IOException {
    EncoderStageDriver.copy(from, to);
  }
}
