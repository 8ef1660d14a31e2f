package io.mister.app.cli;

import io.mister.app.config.MisterConfig;
import io.mister.encoder.offline.EncodingProgress;
import io.mister.encoder.offline.MeldEncoder;
import io.mister.encoder.offline.MeldEncodingOptions;
import io.mister.encoder.offline.MeldEncodingSummary;
import io.mister.encoder.speech.ProsodySpeechEncoder;
import io.mister.encoder.text.OnnxTextEncoder;
import io.mister.encoder.text.TextEncoders;
import io.mister.inference.Device;
import io.mister.inference.SessionSettings;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code mister encode}: encodes a MELD-format CSV (and optionally its wav files) into an Avro
 * container file of UtteranceEmbedding records, offline, for training and evaluation.
 */
@Command(
    name = "encode",
    mixinStandardHelpOptions = true,
    description = {
      "Encode a MELD-format CSV into an Avro file of utterance embeddings (offline).",
      "Turns are written in conversation order with their gold label; audio is read from",
      "--audio-dir/dia{D}_utt{U}.wav when that file exists, else the turn is text-only."
    })
public final class EncodeCommand implements Callable<Integer> {

  static final int OK = 0;
  static final int FAILURE = 1;
  static final int USAGE = 2;

  @Spec CommandSpec spec;

  @Option(names = "--input", required = true, paramLabel = "CSV", description = "MELD-format CSV file.")
  Path input;

  @Option(names = "--audio-dir", paramLabel = "DIR", description = "Directory of dia{D}_utt{U}.wav files.")
  Path audioDir;

  @Option(names = "--output", required = true, paramLabel = "F.avro", description = "Avro container file to write.")
  Path output;

  @Option(
      names = "--text-encoder",
      defaultValue = MisterConfig.DEFAULT_TEXT_ENCODER,
      paramLabel = "NAME",
      description = "Built-in name (all-minilm-l6-v2-q, bge-small-en-v15-q, e5-small-v2-q) or a"
          + " directory with model.onnx, tokenizer.json and encoder.json. Default: ${DEFAULT-VALUE}"
          + " (the shipped encoder, as the pipeline's encoder.text).")
  String textEncoder;

  @Option(
      names = "--device",
      defaultValue = "auto",
      paramLabel = "auto|cpu|cuda",
      description = "Where ONNX models run; auto uses CUDA when it loads. Default: ${DEFAULT-VALUE}.")
  String device;

  @Option(names = "--threads", defaultValue = "1", paramLabel = "N",
      description = "Intra-op threads for inference. Default: ${DEFAULT-VALUE}.")
  int threads;

  @Option(names = "--conversation-prefix", defaultValue = "dia", paramLabel = "PREFIX",
      description = "conversation_id = PREFIX + Dialogue_ID. Default: ${DEFAULT-VALUE}.")
  String conversationPrefix;

  @Option(names = "--batch-size", defaultValue = "64", paramLabel = "N",
      description = "Utterances per inference batch. Default: ${DEFAULT-VALUE}.")
  int batchSize;

  @Override
  public Integer call() throws Exception {
    PrintWriter err = spec.commandLine().getErr();
    PrintWriter out = spec.commandLine().getOut();
    if (!Files.isRegularFile(input)) {
      err.println("Input CSV not found: " + input);
      return USAGE;
    }
    if (audioDir != null && !Files.isDirectory(audioDir)) {
      err.println("Audio directory not found: " + audioDir);
      return USAGE;
    }
    SessionSettings settings;
    try {
      settings = new SessionSettings(Device.valueOf(device.trim().toUpperCase(Locale.ROOT)), threads, 0);
    } catch (IllegalArgumentException e) {
      err.println("Bad --device or --threads: " + e.getMessage());
      return USAGE;
    }
    MeldEncodingOptions options =
        new MeldEncodingOptions(audioDir, conversationPrefix, batchSize);
    try (OnnxTextEncoder text = TextEncoders.open(MisterConfig.resolveTextEncoder(textEncoder), settings);
        ProsodySpeechEncoder speech = new ProsodySpeechEncoder()) {
      ProgressBar bar = new ProgressBar(err);
      MeldEncodingSummary summary = new MeldEncoder(text, speech, options).encode(input, output, bar);
      bar.finish();
      out.printf(Locale.ROOT,
          "Wrote %d utterances of %d dialogues to %s (%d with text, %d with audio, %d wav files"
              + " rejected) in %.1f s, %.0f utterances/s; text %s on %s, speech %s%n",
          summary.utterances(), summary.dialogues(), output, summary.withText(),
          summary.withAudio(), summary.audioRejected(), summary.elapsed().toMillis() / 1000.0,
          summary.utterancesPerSecond(), text.id().tag(), text.activeDevice(), speech.id().tag());
      out.flush();
      return OK;
    } catch (IllegalArgumentException e) {
      err.println(e.getMessage());
      return FAILURE;
    }
  }

  /** A one-line text progress bar redrawn in place on stderr. */
  static final class ProgressBar implements EncodingProgress {
    private static final int WIDTH = 40;
    private final PrintWriter err;
    private int lastPercent = -1;

    ProgressBar(PrintWriter err) {
      this.err = err;
    }

    @Override
    public void advanced(int done, int total) {
      int percent = total == 0 ? 100 : (int) (100L * done / total);
      if (percent == lastPercent) {
        return;
      }
      lastPercent = percent;
      int filled = WIDTH * percent / 100;
      err.print("\r[" + "#".repeat(filled) + ".".repeat(WIDTH - filled) + "] "
          + done + "/" + total + " (" + percent + "%)");
      err.flush();
    }

    void finish() {
      err.println();
      err.flush();
    }
  }
}
