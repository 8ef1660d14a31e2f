package io.mister.encoder.bench;

import io.mister.encoder.Encoder;
import io.mister.encoder.audio.AudioDecoder;
import io.mister.encoder.audio.PcmAudio;
import io.mister.encoder.offline.MeldCsvReader;
import io.mister.encoder.offline.MeldDialogue;
import io.mister.encoder.offline.MeldTurn;
import io.mister.encoder.speech.ProsodySpeechEncoder;
import io.mister.encoder.text.OnnxTextEncoder;
import io.mister.encoder.text.TextEncoders;
import io.mister.events.Audio;
import io.mister.inference.Device;
import io.mister.inference.SessionSettings;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Measures the encoders: text utterances per second at batch 1 and batched, per-utterance latency
 * percentiles; speech utterances per second on 3-second turns and the real-time factor. The app
 * wires it as {@code mister bench encoders}; {@link #main} runs it directly.
 */
public final class EncoderBenchmark {

  /** How much work to measure. */
  public record Settings(int textBatchSize, int warmupCalls, int maxSentences, int speechUtterances, double speechSeconds) {
    public static final Settings DEFAULTS = new Settings(32, 50, 1109, 200, 3.0);
  }

  private final Settings settings;

  public EncoderBenchmark(Settings settings) {
    this.settings = settings;
  }

  /**
   * Turn texts in dialogue order, each with the texts before it in its dialogue (latest first), as the
   * encoder stage gives them to a context-aware encoder; an encoder that reads turns alone ignores them.
   */
  public record TextTurns(List<String> texts, List<List<String>> previous) {

    public TextTurns {
      if (texts.size() != previous.size()) {
        throw new IllegalArgumentException(texts.size() + " texts but " + previous.size() + " contexts");
      }
    }

    TextTurns first(int count) {
      int n = Math.min(count, texts.size());
      return new TextTurns(texts.subList(0, n), previous.subList(0, n));
    }
  }

  public EncoderBenchmarkResult run(
      OnnxTextEncoder text, Encoder<PcmAudio> speech, TextTurns turns, List<PcmAudio> audio,
      int threads) {
    TextTurns measured = turns.first(settings.maxSentences());
    List<String> texts = measured.texts();
    List<List<String>> previous = measured.previous();
    // Warm up: ONNX Runtime plans and allocates on the first calls.
    for (int i = 0; i < settings.warmupCalls(); i++) {
      int k = i % texts.size();
      text.encode(List.of(texts.get(k)), List.of(previous.get(k)));
    }
    double[] textLatencies = new double[texts.size()];
    long t0 = System.nanoTime();
    for (int i = 0; i < texts.size(); i++) {
      long s = System.nanoTime();
      text.encode(List.of(texts.get(i)), List.of(previous.get(i)));
      textLatencies[i] = (System.nanoTime() - s) / 1e6;
    }
    double batch1Seconds = (System.nanoTime() - t0) / 1e9;
    long t1 = System.nanoTime();
    for (int from = 0; from < texts.size(); from += settings.textBatchSize()) {
      int to = Math.min(texts.size(), from + settings.textBatchSize());
      text.encode(texts.subList(from, to), previous.subList(from, to));
    }
    double batchedSeconds = (System.nanoTime() - t1) / 1e9;

    for (int i = 0; i < Math.min(10, audio.size()); i++) {
      speech.encode(List.of(audio.get(i)));
    }
    double[] speechLatencies = new double[audio.size()];
    long t2 = System.nanoTime();
    for (int i = 0; i < audio.size(); i++) {
      long s = System.nanoTime();
      speech.encode(List.of(audio.get(i)));
      speechLatencies[i] = (System.nanoTime() - s) / 1e6;
    }
    double speechSeconds = (System.nanoTime() - t2) / 1e9;
    double audioSeconds = audio.stream().mapToDouble(PcmAudio::durationSeconds).sum();

    return new EncoderBenchmarkResult(
        texts.size(), settings.textBatchSize(),
        texts.size() / batch1Seconds, texts.size() / batchedSeconds,
        percentile(textLatencies, 50), percentile(textLatencies, 99),
        audio.size(), settings.speechSeconds(),
        audio.size() / speechSeconds,
        percentile(speechLatencies, 50), percentile(speechLatencies, 99),
        speechSeconds / audioSeconds,
        text.id().tag(), speech.id().tag(), text.activeDevice().name().toLowerCase(Locale.ROOT),
        threads);
  }

  static double percentile(double[] values, double p) {
    if (values.length == 0) {
      return 0;
    }
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
  }

  /** Every utterance text of a MELD CSV, in file order of dialogues, with the texts before it. */
  public static TextTurns meldSentences(Path csv) throws IOException {
    List<String> texts = new ArrayList<>();
    List<List<String>> previous = new ArrayList<>();
    for (MeldDialogue d : MeldCsvReader.read(csv)) {
      List<String> earlier = new ArrayList<>();
      for (MeldTurn t : d.turns()) {
        texts.add(t.text());
        List<String> before = new ArrayList<>(earlier);
        Collections.reverse(before);
        previous.add(List.copyOf(before.subList(0, Math.min(before.size(), MAX_PREVIOUS))));
        if (!t.text().isBlank()) {
          earlier.add(t.text());
        }
      }
    }
    return new TextTurns(texts, previous);
  }

  /** Previous turns kept per benchmark turn: more than any context-aware encoder here reads. */
  private static final int MAX_PREVIOUS = 4;

  /**
   * {@code count} utterances of exactly {@code seconds} at 16 kHz, cut from (or looped over) the
   * wav files of a directory in name order: real speech, fixed length, so the figure is per turn of
   * known duration.
   */
  public static List<PcmAudio> fixedLengthUtterances(Path wavDir, int count, double seconds)
      throws IOException {
    AudioDecoder decoder = new AudioDecoder();
    List<Path> wavs;
    try (Stream<Path> files = Files.list(wavDir)) {
      wavs = files.filter(p -> p.toString().endsWith(".wav")).sorted().toList();
    }
    if (wavs.isEmpty()) {
      throw new IllegalArgumentException("No .wav files in " + wavDir);
    }
    int length = (int) Math.round(seconds * AudioDecoder.DEFAULT_TARGET_RATE);
    List<PcmAudio> out = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      Audio audio = Audio.newBuilder().setEncoding(AudioDecoder.WAV).setSampleRate(0).setChannels(1)
          .setBytes(ByteBuffer.wrap(Files.readAllBytes(wavs.get(i % wavs.size())))).build();
      float[] source = decoder.decode(audio).samples();
      float[] samples = new float[length];
      for (int j = 0; j < length; j++) {
        samples[j] = source[j % source.length];
      }
      out.add(new PcmAudio(samples, AudioDecoder.DEFAULT_TARGET_RATE));
    }
    return out;
  }

  /**
   * Runs the benchmark: {@code [meld.csv] [wav-dir] [output.json] [threads] [text-encoder]}; the
   * defaults are the shared data relative to the repository root.
   */
  public static void main(String[] args) throws IOException {
    Path csv = Path.of(args.length > 0 ? args[0] : "../shared/data/meld/dev_sent_emo.csv");
    Path wavDir = Path.of(args.length > 1 ? args[1] : "../shared/data/emodb/wav");
    Path json = args.length > 2 ? Path.of(args[2]) : null;
    int threads = args.length > 3 ? Integer.parseInt(args[3]) : 1;
    String textName = args.length > 4 ? args[4] : "all-minilm-l6-v2-q";
    Settings settings = Settings.DEFAULTS;
    TextTurns sentences = meldSentences(csv);
    List<PcmAudio> audio = fixedLengthUtterances(wavDir, settings.speechUtterances(), settings.speechSeconds());
    try (OnnxTextEncoder text = TextEncoders.open(textName, new SessionSettings(Device.AUTO, threads, 0));
        ProsodySpeechEncoder speech = new ProsodySpeechEncoder()) {
      EncoderBenchmarkResult result = new EncoderBenchmark(settings).run(text, speech, sentences, audio, threads);
      System.out.print(result.toJson());
      if (json != null) {
        Files.writeString(json, result.toJson(), StandardCharsets.UTF_8);
      }
    }
  }
}
