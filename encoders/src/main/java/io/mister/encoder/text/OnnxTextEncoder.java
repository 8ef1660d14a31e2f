package io.mister.encoder.text;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import io.mister.encoder.Encoder;
import io.mister.encoder.EncoderId;
import io.mister.inference.Device;
import io.mister.inference.OnnxModel;
import io.mister.inference.SessionSettings;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A BERT-style sentence encoder on ONNX Runtime: DJL's HuggingFace tokenizer, inference over all
 * texts of a call (per window, or padded to the longest window of each run, as the spec's
 * {@link Batching} says), pooling under the attention mask, L2 normalisation.
 *
 * <p>Numerically it follows LangChain4j's {@code OnnxBertBiEncoder}, the reference it is tested
 * against: same tokenizer settings (tokenizer.json's own truncation kept, its padding switched off),
 * windows of {@link TextEncoderSpec#maxLength()} tokens for texts still longer, averaged with their
 * lengths as weights, and the same single-precision normalisation. Blank or {@code null} texts are absent: their output is
 * {@code null}, never the embedding of an empty string.
 *
 * <p>Thread-safe: the ONNX session and the tokenizer may be shared by stream threads.
 */
public final class OnnxTextEncoder implements TextEncoder {

  private static final Logger LOG = LoggerFactory.getLogger(OnnxTextEncoder.class);

  /** Windows per ONNX run; sorting by length first keeps padding small within each run. */
  static final int MAX_WINDOWS_PER_RUN = 32;

  private final TextEncoderSpec spec;
  private final OnnxModel model;
  private final HuggingFaceTokenizer tokenizer;
  private final boolean needsTokenTypes;
  private final String outputName;
  /** Runs per-window inferences side by side; null when there is one thread. */
  private final ExecutorService windowRunners;
  private final int parallelRuns;

  private OnnxTextEncoder(
      TextEncoderSpec spec, OnnxModel model, HuggingFaceTokenizer tokenizer, int parallelRuns) {
    this.spec = spec;
    this.model = model;
    this.tokenizer = tokenizer;
    this.parallelRuns = parallelRuns;
    this.windowRunners = parallelRuns > 1 ? windowRunners(spec, parallelRuns) : null;
    OrtSession session = model.session();
    this.needsTokenTypes = session.getInputNames().contains("token_type_ids");
    this.outputName = session.getOutputNames().iterator().next();
    checkModelShape(session);
  }

  /**
   * Opens an encoder from its files. The ONNX model goes through {@link OnnxModel}, so CUDA is used
   * when the settings ask for it and it is available.
   */
  public static OnnxTextEncoder open(
      TextEncoderSpec spec, TextModelFiles files, SessionSettings settings) {
    // Per-window models run many tiny inferences: N of them side by side on one thread each use N
    // cores far better than one at a time on an N-thread pool (too little work to split).
    int parallelRuns = spec.batching() == Batching.PER_WINDOW ? settings.intraOpThreads() : 1;
    SessionSettings session =
        parallelRuns > 1
            ? new SessionSettings(settings.device(), 1, settings.cudaDeviceId())
            : settings;
    HuggingFaceTokenizer tokenizer = openTokenizer(files);
    OnnxModel model;
    try {
      model = OnnxModel.load(spec.id().tag(), files.onnx(), session);
    } catch (RuntimeException e) {
      tokenizer.close();
      throw e;
    }
    try {
      OnnxTextEncoder encoder = new OnnxTextEncoder(spec, model, tokenizer, parallelRuns);
      LOG.info(
          "Text encoder {} from {} on {} ({} threads, {} pooling, {} batching)",
          spec.id(),
          files.source(),
          model.activeDevice(),
          settings.intraOpThreads(),
          spec.pooling(),
          spec.batching());
      return encoder;
    } catch (RuntimeException e) {
      model.close();
      tokenizer.close();
      throw e;
    }
  }

  private static ExecutorService windowRunners(TextEncoderSpec spec, int threads) {
    AtomicInteger counter = new AtomicInteger();
    return Executors.newFixedThreadPool(threads, task -> {
      Thread thread = new Thread(task, "text-encoder-" + spec.id().id() + "-" + counter.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    });
  }

  private static HuggingFaceTokenizer openTokenizer(TextModelFiles files) {
    // Padding is ours (per batch); truncation is whatever tokenizer.json says, exactly as in
    // LangChain4j: MiniLM's truncates to 128 tokens, BGE's and E5's do not truncate at all (their
    // long texts are windowed at maxLength instead).
    Map<String, String> options = Map.of("padding", "false", "addSpecialTokens", "true");
    try {
      return HuggingFaceTokenizer.newInstance(
          new ByteArrayInputStream(files.tokenizerJson()), options);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read tokenizer.json of " + files.source(), e);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(
          "Not a HuggingFace tokenizer.json: " + files.source() + ": " + e.getMessage(), e);
    }
  }

  private void checkModelShape(OrtSession session) {
    try {
      NodeInfo output = session.getOutputInfo().get(outputName);
      if (output.getInfo() instanceof TensorInfo info) {
        long[] shape = info.getShape();
        long hidden = shape.length == 3 ? shape[2] : -1;
        if (shape.length != 3) {
          throw new IllegalArgumentException(
              spec.id().tag() + ": first output must be [batch, tokens, hidden], was "
                  + Arrays.toString(shape));
        }
        if (hidden > 0 && hidden != spec.id().dim()) {
          throw new IllegalArgumentException(
              spec.id().tag() + " declares dim " + spec.id().dim()
                  + " but the model's hidden size is " + hidden);
        }
      }
      if (!session.getInputNames().containsAll(List.of("input_ids", "attention_mask"))) {
        throw new IllegalArgumentException(
            spec.id().tag() + ": model inputs must include input_ids and attention_mask, were "
                + session.getInputNames());
      }
    } catch (OrtException e) {
      throw new IllegalArgumentException("Cannot inspect " + spec.id().tag(), e);
    }
  }

  @Override
  public EncoderId id() {
    return spec.id();
  }

  /** The spec this encoder was opened with. */
  public TextEncoderSpec spec() {
    return spec;
  }

  /** Where inference actually runs (CPU when CUDA was asked for as {@code auto} but is missing). */
  public Device activeDevice() {
    return model.activeDevice();
  }

  @Override
  public int contextTurns() {
    return spec.contextTurns();
  }

  @Override
  public List<float[]> encode(List<String> texts) {
    Objects.requireNonNull(texts, "texts");
    return encodeWindows(texts, null);
  }

  /**
   * With {@link TextEncoderSpec#contextTurns()} > 0 each window reads {@code [CLS] turn [SEP] previous
   * turns, latest first [SEP]} (the previous turns with token type 1, cut as the spec says) and is pooled
   * over its own segment only; otherwise {@code previous} is ignored.
   */
  @Override
  public List<float[]> encode(List<String> texts, List<List<String>> previous) {
    Objects.requireNonNull(texts, "texts");
    Objects.requireNonNull(previous, "previous");
    if (previous.size() != texts.size()) {
      throw new IllegalArgumentException(texts.size() + " texts but " + previous.size() + " contexts");
    }
    return encodeWindows(texts, spec.contextTurns() > 0 ? previous : null);
  }

  private List<float[]> encodeWindows(List<String> texts, List<List<String>> previous) {
    // 1. Tokenise and cut into windows; remember which text each window belongs to.
    List<PendingWindow> windows = new ArrayList<>();
    for (int i = 0; i < texts.size(); i++) {
      String text = texts.get(i);
      if (text == null || text.isBlank()) {
        continue; // absent: no embedding of an empty string
      }
      Encoding encoding = tokenizer.encode(spec.prefix() + text, true, false);
      long[] context = previous == null ? new long[0] : contextPieces(previous.get(i));
      for (TokenWindows.Window window :
          TokenWindows.split(encoding.getIds(), encoding.getTokens(), spec.maxLength())) {
        windows.add(new PendingWindow(i, window, context));
      }
    }
    // 2. Run the windows: one per run, or in length-sorted padded runs (see Batching).
    List<PendingWindow> byLength = new ArrayList<>(windows);
    byLength.sort(Comparator.comparingInt((PendingWindow w) -> w.ids.length));
    if (spec.batching() == Batching.PADDED) {
      for (int start = 0; start < byLength.size(); start += MAX_WINDOWS_PER_RUN) {
        run(byLength.subList(start, Math.min(byLength.size(), start + MAX_WINDOWS_PER_RUN)));
      }
    } else {
      runEachWindow(byLength);
    }
    // 3. Combine each text's windows (in text order) and normalise.
    List<float[]> out = new ArrayList<>(texts.size());
    for (int i = 0; i < texts.size(); i++) {
      out.add(null);
    }
    Map<Integer, List<PendingWindow>> perText = new HashMap<>();
    for (PendingWindow w : windows) {
      perText.computeIfAbsent(w.textIndex, k -> new ArrayList<>()).add(w);
    }
    perText.forEach((index, parts) -> out.set(index, normalize(weightedAverage(parts))));
    return out;
  }

  /**
   * The word pieces of the previous turns that follow a turn: latest first, each turn's pieces cut at
   * {@code contextTokens - 2}, all of them at {@code contextTokens - 1}; the closing [SEP] is added per window.
   * Blank previous texts are skipped, and only the first {@code contextTurns} are read.
   */
  private long[] contextPieces(List<String> previous) {
    if (previous == null || previous.isEmpty()) {
      return new long[0];
    }
    int budget = spec.contextTokens() - 1;
    long[] pieces = new long[budget];
    int used = 0;
    int turns = 0;
    for (String text : previous) {
      if (turns == spec.contextTurns() || used == budget) {
        break;
      }
      if (text == null || text.isBlank()) {
        continue;
      }
      turns++;
      long[] ids = tokenizer.encode(spec.prefix() + text, false, false).getIds();
      int take = Math.min(Math.min(ids.length, spec.contextTokens() - 2), budget - used);
      System.arraycopy(ids, 0, pieces, used, take);
      used += take;
    }
    return Arrays.copyOf(pieces, used);
  }

  /** One unpadded run per window, spread over the runner threads when there are several. */
  private void runEachWindow(List<PendingWindow> windows) {
    if (windowRunners == null || windows.size() < 2) {
      for (PendingWindow w : windows) {
        run(List.of(w));
      }
      return;
    }
    List<Callable<Void>> shares = new ArrayList<>(parallelRuns);
    for (int share = 0; share < parallelRuns; share++) {
      int first = share;
      shares.add(() -> {
        for (int i = first; i < windows.size(); i += parallelRuns) {
          run(List.of(windows.get(i)));
        }
        return null;
      });
    }
    try {
      for (Future<Void> done : windowRunners.invokeAll(shares)) {
        done.get();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while encoding with " + spec.id().tag(), e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException runtime) {
        throw runtime;
      }
      throw new IllegalStateException("Inference failed in " + spec.id().tag(), e.getCause());
    }
  }

  /** One ONNX run over a sub-batch; fills each window's pooled vector. */
  private void run(List<PendingWindow> batch) {
    int rows = batch.size();
    int length = 0;
    for (PendingWindow w : batch) {
      length = Math.max(length, w.ids.length);
    }
    long[] ids = new long[rows * length];
    long[] mask = new long[rows * length];
    long[] types = new long[rows * length];
    for (int r = 0; r < rows; r++) {
      PendingWindow w = batch.get(r);
      System.arraycopy(w.ids, 0, ids, r * length, w.ids.length);
      Arrays.fill(mask, r * length, r * length + w.ids.length, 1L);
      Arrays.fill(types, r * length + w.ownTokens, r * length + w.ids.length, 1L); // the previous turns
    }
    long[] shape = {rows, length};
    OrtEnvironment env = OnnxModel.environment();
    try (OnnxTensor idsTensor = OnnxTensor.createTensor(env, LongBuffer.wrap(ids), shape);
        OnnxTensor maskTensor = OnnxTensor.createTensor(env, LongBuffer.wrap(mask), shape);
        OnnxTensor typesTensor = OnnxTensor.createTensor(env, LongBuffer.wrap(types), shape)) {
      Map<String, OnnxTensor> inputs = new HashMap<>();
      inputs.put("input_ids", idsTensor);
      inputs.put("attention_mask", maskTensor);
      if (needsTokenTypes) {
        inputs.put("token_type_ids", typesTensor);
      }
      try (OrtSession.Result result = model.session().run(inputs, java.util.Set.of(outputName))) {
        OnnxTensor hiddenStates = (OnnxTensor) result.get(0);
        long[] outShape = hiddenStates.getInfo().getShape();
        int hidden = (int) outShape[2];
        if (hidden != spec.id().dim()) {
          throw new IllegalStateException(
              spec.id().tag() + " produced " + hidden + "-d vectors, declared " + spec.id().dim());
        }
        FloatBuffer states = hiddenStates.getFloatBuffer();
        for (int r = 0; r < rows; r++) {
          PendingWindow w = batch.get(r);
          w.pooled = pool(states, r, length, hidden, w.ownTokens);
        }
      }
    } catch (OrtException e) {
      throw new IllegalStateException("Inference failed in " + spec.id().tag(), e);
    }
  }

  /** Pools row {@code r} over its first {@code tokens} positions: the window's own segment. */
  private float[] pool(FloatBuffer states, int r, int length, int hidden, int tokens) {
    float[] vector = new float[hidden];
    int rowStart = r * length * hidden;
    if (spec.pooling() == Pooling.CLS) {
      states.get(rowStart, vector);
      return vector;
    }
    // Sum in token order, then divide: the same float arithmetic as the reference's mean pool.
    for (int t = 0; t < tokens; t++) {
      int base = rowStart + t * hidden;
      for (int h = 0; h < hidden; h++) {
        vector[h] += states.get(base + h);
      }
    }
    for (int h = 0; h < hidden; h++) {
      vector[h] /= tokens;
    }
    return vector;
  }

  private static float[] weightedAverage(List<PendingWindow> parts) {
    if (parts.size() == 1) {
      return parts.get(0).pooled;
    }
    int dim = parts.get(0).pooled.length;
    float[] sum = new float[dim];
    int totalWeight = 0;
    for (PendingWindow part : parts) {
      int weight = part.window.contentTokens();
      totalWeight += weight;
      for (int j = 0; j < dim; j++) {
        sum[j] += part.pooled[j] * weight;
      }
    }
    for (int j = 0; j < dim; j++) {
      sum[j] /= totalWeight;
    }
    return sum;
  }

  /** L2 normalisation with a single-precision sum of squares, as the reference computes it. */
  static float[] normalize(float[] vector) {
    float sumSquare = 0;
    for (float v : vector) {
      sumSquare += v * v;
    }
    float norm = (float) Math.sqrt(sumSquare);
    float[] normalized = new float[vector.length];
    for (int i = 0; i < vector.length; i++) {
      normalized[i] = vector[i] / norm;
    }
    return normalized;
  }

  @Override
  public void close() {
    if (windowRunners != null) {
      windowRunners.shutdownNow();
    }
    model.close();
    tokenizer.close();
  }

  /**
   * A window waiting for inference, and afterwards its pooled vector: its own tokens ([CLS] ... [SEP]),
   * followed, for a context-aware encoder, by the previous turns' pieces and a closing [SEP].
   */
  private static final class PendingWindow {
    final int textIndex;
    final TokenWindows.Window window;
    final long[] ids;
    final int ownTokens;
    float[] pooled;

    PendingWindow(int textIndex, TokenWindows.Window window, long[] context) {
      this.textIndex = textIndex;
      this.window = window;
      long[] own = window.ids();
      this.ownTokens = own.length;
      if (context.length == 0) {
        this.ids = own;
      } else {
        this.ids = Arrays.copyOf(own, own.length + context.length + 1);
        System.arraycopy(context, 0, ids, own.length, context.length);
        ids[ids.length - 1] = own[own.length - 1]; // [SEP]
      }
    }
  }
}
