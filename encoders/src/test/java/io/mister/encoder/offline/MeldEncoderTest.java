package io.mister.encoder.offline;

import static org.assertj.core.api.Assertions.assertThat;

import io.mister.encoder.speech.ProsodySpeechEncoder;
import io.mister.encoder.text.OnnxTextEncoder;
import io.mister.encoder.text.TextEncoder;
import io.mister.encoder.text.TextEncoders;
import io.mister.events.UtteranceEmbedding;
import io.mister.inference.SessionSettings;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.avro.file.DataFileReader;
import org.apache.avro.specific.SpecificDatumReader;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MeldEncoderTest {

  private static final Set<String> MELD_LABELS =
      Set.of("neutral", "joy", "surprise", "anger", "sadness", "disgust", "fear");

  private static OnnxTextEncoder text;
  private static ProsodySpeechEncoder speech;

  @TempDir Path dir;

  @BeforeAll
  static void open() {
    text = TextEncoders.open("all-minilm-l6-v2-q", SessionSettings.cpu(1));
    speech = new ProsodySpeechEncoder();
  }

  @AfterAll
  static void close() {
    text.close();
    speech.close();
  }

  @Test
  void encodesTheWholeMeldDevSplitInConversationOrder() throws IOException {
    Path out = dir.resolve("meld-dev.avro");
    List<int[]> progress = new ArrayList<>();

    MeldEncodingSummary summary = new MeldEncoder(text, speech, MeldEncodingOptions.DEFAULTS)
        .encode(MeldCsvReaderTest.MeldFiles.DEV, out, (done, total) -> progress.add(new int[] {done, total}));

    assertThat(summary.dialogues()).isEqualTo(114);
    assertThat(summary.utterances()).isEqualTo(1109);
    assertThat(summary.withText()).isEqualTo(1109);
    assertThat(summary.withAudio()).isZero();
    assertThat(progress.get(0)).containsExactly(0, 1109);
    assertThat(progress.get(progress.size() - 1)).containsExactly(1109, 1109);
    assertThat(progress).extracting(p -> p[0]).isSorted();

    List<UtteranceEmbedding> records = read(out);
    assertThat(records).hasSize(1109);
    UtteranceEmbedding first = records.get(0);
    assertThat(first.getConversationId()).isEqualTo("dia0");
    assertThat(first.getUtteranceId()).isEqualTo("dia0_utt0");
    assertThat(first.getSeq()).isZero();
    assertThat(first.getText()).isEqualTo("Oh my God, he’s lost it. He’s totally lost it.");
    assertThat(first.getLabel()).isEqualTo("sadness");
    assertThat(first.getSpeakerRole()).isEqualTo("Phoebe");
    assertThat(first.getEventTime().toEpochMilli()).isEqualTo(((20 * 60) + 57) * 1000 + 256);
    assertThat(first.getTextEncoder().getId()).isEqualTo("all-minilm-l6-v2-q");
    assertThat(first.getSpeechEncoder().getId()).isEqualTo("mister-prosody");
    assertThat(records).allSatisfy(r -> {
      assertThat(r.getTextEmbedding()).hasSize(384);
      assertThat(r.getSpeechEmbedding()).isNull();
      assertThat(MELD_LABELS).contains(r.getLabel());
    });
    // Conversation order: dialogues ascending, each one's seq 0..n-1 contiguous.
    String previous = null;
    long expectedSeq = 0;
    int previousDialogue = -1;
    for (UtteranceEmbedding r : records) {
      if (!r.getConversationId().equals(previous)) {
        int dialogue = Integer.parseInt(r.getConversationId().substring(3));
        assertThat(dialogue).isGreaterThan(previousDialogue);
        previousDialogue = dialogue;
        previous = r.getConversationId();
        expectedSeq = 0;
      }
      assertThat(r.getSeq()).isEqualTo(expectedSeq++);
      assertThat(r.getUtteranceId()).startsWith(r.getConversationId() + "_utt");
    }
    float[] expected = text.encode(List.of(first.getText())).get(0);
    for (int i = 0; i < expected.length; i++) {
      assertThat(first.getTextEmbedding().get(i)).isEqualTo(expected[i]);
    }
  }

  @Test
  void takesAudioFromTheAudioDirectoryWhenAWavIsThere() throws IOException {
    Path audioDir = Files.createDirectories(dir.resolve("wav"));
    Files.write(audioDir.resolve("dia7_utt3.wav"), toneWav(1.2, 22050));
    Files.write(audioDir.resolve("dia2_utt0.wav"), new byte[] {'R', 'I', 'F', 'F', 1, 2});
    Path out = dir.resolve("quirky.avro");
    List<MeldDialogue> dialogues = MeldCsvReader.read(
        new BufferedReader(new StringReader(MeldCsvReaderTest.QUIRKY)), "quirky.csv");

    MeldEncodingSummary summary =
        new MeldEncoder(text, speech, MeldEncodingOptions.DEFAULTS.withAudioDir(audioDir)
            .withConversationPrefix("meld-"))
            .encode(dialogues, out, EncodingProgress.NONE);

    assertThat(summary.withAudio()).isEqualTo(1);
    assertThat(summary.audioRejected()).isEqualTo(1);
    List<UtteranceEmbedding> records = read(out);
    assertThat(records).extracting(UtteranceEmbedding::getUtteranceId)
        .containsExactly("dia2_utt0", "dia2_utt1", "dia7_utt0", "dia7_utt1", "dia7_utt3");
    assertThat(records).extracting(UtteranceEmbedding::getConversationId)
        .containsExactly("meld-2", "meld-2", "meld-7", "meld-7", "meld-7");
    assertThat(records).extracting(UtteranceEmbedding::getSeq).containsExactly(0L, 1L, 0L, 1L, 2L);
    assertThat(records).extracting(UtteranceEmbedding::getLabel)
        .containsExactly("joy", "neutral", "sadness", "surprise", "anger");
    assertThat(records.get(4).getSpeechEmbedding()).hasSize(88);
    assertThat(records.get(0).getSpeechEmbedding()).as("corrupt wav: text-only").isNull();
    assertThat(records.get(0).getTextEmbedding()).hasSize(384);
  }

  private static List<UtteranceEmbedding> read(Path file) throws IOException {
    List<UtteranceEmbedding> records = new ArrayList<>();
    try (DataFileReader<UtteranceEmbedding> reader =
        new DataFileReader<>(file.toFile(), new SpecificDatumReader<>(UtteranceEmbedding.class))) {
      reader.forEach(records::add);
    }
    return records;
  }

  /** A mono 16-bit WAV of a 180 Hz tone with a slow vibrato. */
  static byte[] toneWav(double seconds, int rate) {
    int n = (int) (seconds * rate);
    ByteBuffer b = ByteBuffer.allocate(44 + 2 * n).order(ByteOrder.LITTLE_ENDIAN);
    b.put("RIFF".getBytes()).putInt(36 + 2 * n).put("WAVE".getBytes());
    b.put("fmt ".getBytes()).putInt(16).putShort((short) 1).putShort((short) 1).putInt(rate)
        .putInt(rate * 2).putShort((short) 2).putShort((short) 16);
    b.put("data".getBytes()).putInt(2 * n);
    double phase = 0;
    for (int i = 0; i < n; i++) {
      double f = 180 + 20 * Math.sin(2 * Math.PI * 3 * i / rate);
      phase += 2 * Math.PI * f / rate;
      b.putShort((short) (9000 * Math.sin(phase)));
    }
    return b.array();
  }

  @Test
  void aContextAwareEncoderReadsEachTurnWithTheTextsBeforeItInItsDialogue() throws IOException {
    List<String> seen = new ArrayList<>();
    TextEncoder recording = new TextEncoder() {
      @Override
      public io.mister.encoder.EncoderId id() {
        return text.id();
      }

      @Override
      public int contextTurns() {
        return 2;
      }

      @Override
      public List<float[]> encode(List<String> texts) {
        return text.encode(texts);
      }

      @Override
      public List<float[]> encode(List<String> texts, List<List<String>> previous) {
        for (int i = 0; i < texts.size(); i++) {
          seen.add(texts.get(i) + " <- " + previous.get(i));
        }
        return text.encode(texts);
      }

      @Override
      public void close() {}
    };
    List<MeldDialogue> dialogues = List.of(
        new MeldDialogue(1, List.of(turn(1, 0, "Hi."), turn(1, 1, ""), turn(1, 2, "How are you?"), turn(1, 3, "Fine."))),
        new MeldDialogue(2, List.of(turn(2, 0, "Next."))));

    new MeldEncoder(recording, speech, new MeldEncodingOptions(null, MeldEncodingOptions.DEFAULTS.conversationPrefix(), 2))
        .encode(dialogues, dir.resolve("context.avro"), (done, total) -> {});

    // Latest first, at most two, turns without text skipped, nothing across dialogues, whatever the batches.
    assertThat(seen).containsExactly("Hi. <- []", " <- [Hi.]", "How are you? <- [Hi.]", "Fine. <- [How are you?, Hi.]",
        "Next. <- []");
  }

  private static MeldTurn turn(int dialogue, int utterance, String text) {
    return new MeldTurn(dialogue, utterance, text, "A", "neutral", "00:00:01,000", utterance + 2);
  }
}
