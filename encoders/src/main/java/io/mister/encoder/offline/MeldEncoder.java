package io.mister.encoder.offline;

import io.mister.deadletter.RejectedRecordException;
import io.mister.encoder.EmbeddingVectors;
import io.mister.encoder.Encoder;
import io.mister.encoder.audio.AudioDecoder;
import io.mister.encoder.audio.PcmAudio;
import io.mister.encoder.text.TextEncoder;
import io.mister.events.Audio;
import io.mister.events.EncoderInfo;
import io.mister.events.UtteranceEmbedding;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.avro.file.CodecFactory;
import org.apache.avro.file.DataFileWriter;
import org.apache.avro.specific.SpecificDatumWriter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Encodes a MELD-format corpus offline into an Avro container file of {@link UtteranceEmbedding}
 * records, the same records the encoder stage publishes, for training and evaluation of the
 * emotion head. Per turn: {@code conversation_id = prefix + Dialogue_ID}, {@code seq} = position in
 * the dialogue (Utterance_ID order), {@code utterance_id = dia{D}_utt{U}}, {@code speaker_role} =
 * the speaker's name, {@code label} = the lowercased emotion, and audio from
 * {@code audioDir/dia{D}_utt{U}.wav} when that file exists (otherwise the turn is text-only).
 * {@code event_time} is the turn's StartTime within its episode (epoch + offset), so that the file
 * is the same on every run except for {@code encoded_at}. Records are written in conversation order.
 */
public final class MeldEncoder {

  private static final Logger LOG = LoggerFactory.getLogger(MeldEncoder.class);

  private final TextEncoder text;
  private final Encoder<PcmAudio> speech;
  private final AudioDecoder audioDecoder = new AudioDecoder();
  private final MeldEncodingOptions options;

  public MeldEncoder(TextEncoder text, Encoder<PcmAudio> speech, MeldEncodingOptions options) {
    this.text = text;
    this.speech = speech;
    this.options = options;
  }

  /** Reads {@code csv} and writes {@code output}. */
  public MeldEncodingSummary encode(Path csv, Path output, EncodingProgress progress)
      throws IOException {
    return encode(MeldCsvReader.read(csv), output, progress);
  }

  public MeldEncodingSummary encode(
      List<MeldDialogue> dialogues, Path output, EncodingProgress progress) throws IOException {
    long start = System.nanoTime();
    List<Slot> slots = new ArrayList<>();
    for (MeldDialogue dialogue : dialogues) {
      // A context-aware text encoder reads each turn with the texts of the turns before it, latest
      // first, exactly as the encoder stage gives them (turns without text are not part of it).
      List<String> earlier = new ArrayList<>();
      for (int seq = 0; seq < dialogue.turns().size(); seq++) {
        MeldTurn turn = dialogue.turns().get(seq);
        List<String> previous = new ArrayList<>();
        for (int k = earlier.size() - 1; k >= 0 && previous.size() < text.contextTurns(); k--) {
          previous.add(earlier.get(k));
        }
        slots.add(new Slot(turn, seq, List.copyOf(previous)));
        if (turn.text() != null && !turn.text().isBlank()) {
          earlier.add(turn.text());
        }
      }
    }
    int total = slots.size();
    Counts counts = new Counts();
    Path parent = output.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    try (DataFileWriter<UtteranceEmbedding> writer =
        new DataFileWriter<>(new SpecificDatumWriter<>(UtteranceEmbedding.class))) {
      writer.setCodec(CodecFactory.deflateCodec(6));
      writer.setMeta("mister.text_encoder", text.id().tag());
      writer.setMeta("mister.speech_encoder", speech.id().tag());
      writer.create(UtteranceEmbedding.getClassSchema(), output.toFile());
      progress.advanced(0, total);
      for (int from = 0; from < total; from += options.batchSize()) {
        List<Slot> batch = slots.subList(from, Math.min(total, from + options.batchSize()));
        for (UtteranceEmbedding record : encodeBatch(batch, counts)) {
          writer.append(record);
        }
        progress.advanced(from + batch.size(), total);
      }
    }
    return new MeldEncodingSummary(
        dialogues.size(), total, counts.withText, counts.withAudio, counts.audioRejected,
        Duration.ofNanos(System.nanoTime() - start));
  }

  private List<UtteranceEmbedding> encodeBatch(List<Slot> batch, Counts counts)
      throws IOException {
    List<String> texts = new ArrayList<>(batch.size());
    List<List<String>> previous = new ArrayList<>(batch.size());
    List<PcmAudio> audios = new ArrayList<>();
    List<Integer> audioOwners = new ArrayList<>();
    for (int i = 0; i < batch.size(); i++) {
      MeldTurn turn = batch.get(i).turn;
      texts.add(turn.text());
      previous.add(batch.get(i).previous);
      PcmAudio audio = loadAudio(turn, counts);
      if (audio != null) {
        audios.add(audio);
        audioOwners.add(i);
      }
    }
    List<float[]> textVectors = text.encode(texts, previous);
    List<float[]> speechVectors = audios.isEmpty() ? List.of() : speech.encode(audios);
    float[][] speechByTurn = new float[batch.size()][];
    for (int k = 0; k < audioOwners.size(); k++) {
      speechByTurn[audioOwners.get(k)] = speechVectors.get(k);
    }
    EncoderInfo textInfo = text.id().toEncoderInfo();
    EncoderInfo speechInfo = speech.id().toEncoderInfo();
    Instant encodedAt = Instant.now();
    List<UtteranceEmbedding> out = new ArrayList<>(batch.size());
    for (int i = 0; i < batch.size(); i++) {
      Slot slot = batch.get(i);
      MeldTurn turn = slot.turn;
      if (textVectors.get(i) != null) {
        counts.withText++;
      }
      if (speechByTurn[i] != null) {
        counts.withAudio++;
      }
      out.add(
          UtteranceEmbedding.newBuilder()
              .setConversationId(options.conversationPrefix() + turn.dialogueId())
              .setUtteranceId(turn.mediaName())
              .setSeq(slot.seq)
              .setSpeakerRole(turn.speaker().isBlank() ? null : turn.speaker())
              .setEventTime(Instant.ofEpochMilli(startMillis(turn.startTime())))
              .setText(turn.text())
              .setTextEmbedding(EmbeddingVectors.toAvro(textVectors.get(i)))
              .setSpeechEmbedding(EmbeddingVectors.toAvro(speechByTurn[i]))
              .setTextEncoder(textInfo)
              .setSpeechEncoder(speechInfo)
              .setLabel(turn.emotion().isBlank() ? null : turn.emotion().trim().toLowerCase(Locale.ROOT))
              .setEncodedAt(encodedAt)
              .build());
    }
    return out;
  }

  private PcmAudio loadAudio(MeldTurn turn, Counts counts) throws IOException {
    if (options.audioDir() == null) {
      return null;
    }
    Path wav = options.audioDir().resolve(turn.mediaName() + ".wav");
    if (!Files.isRegularFile(wav)) {
      return null;
    }
    Audio audio =
        Audio.newBuilder()
            .setEncoding(AudioDecoder.WAV)
            .setSampleRate(0) // the WAV header wins
            .setChannels(1)
            .setBytes(ByteBuffer.wrap(Files.readAllBytes(wav)))
            .build();
    try {
      PcmAudio pcm = audioDecoder.decode(audio);
      return pcm.length() == 0 ? null : pcm;
    } catch (RejectedRecordException e) {
      counts.audioRejected++;
      LOG.warn("{}: {} ({}); turn written text-only", wav, e.getMessage(), e.reason());
      return null;
    }
  }

  /** {@code hh:mm:ss,mmm} to milliseconds; 0 when absent or malformed (it is informational). */
  static long startMillis(String time) {
    String[] parts = time.trim().replace('.', ',').split("[:,]");
    if (parts.length != 4) {
      return 0;
    }
    try {
      return ((Long.parseLong(parts[0]) * 60 + Long.parseLong(parts[1])) * 60
              + Long.parseLong(parts[2])) * 1000
          + Long.parseLong(parts[3]);
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  /** A turn to encode, its seq in the dialogue and the texts before it (latest first). */
  private record Slot(MeldTurn turn, int seq, List<String> previous) {}

  private static final class Counts {
    int withText;
    int withAudio;
    int audioRejected;
  }
}
