package io.mister.encoder.bench;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Figures of one encoder benchmark run. Latencies are per {@code encode} call of one utterance
 * (batch 1), the latency a lone turn sees; throughput is reported for batch 1 and for batches.
 *
 * @param textUtterances sentences encoded per measurement
 * @param textBatchSize batch size of the batched text measurement
 * @param textUttPerSecBatch1 text utterances per second, one per call
 * @param textUttPerSecBatched text utterances per second, {@code textBatchSize} per call
 * @param textP50Ms median text latency at batch 1
 * @param textP99Ms 99th percentile text latency at batch 1
 * @param speechUtterances audio turns encoded
 * @param speechSeconds length of each audio turn
 * @param speechUttPerSec audio turns per second (batched through the encoder's batch call)
 * @param speechP50Ms median speech latency at batch 1
 * @param speechP99Ms 99th percentile speech latency at batch 1
 * @param speechRealTimeFactor processing time divided by audio duration (lower is faster)
 * @param textEncoder text encoder tag
 * @param speechEncoder speech encoder tag
 * @param device where the text encoder ran
 * @param threads intra-op threads
 */
public record EncoderBenchmarkResult(
    int textUtterances,
    int textBatchSize,
    double textUttPerSecBatch1,
    double textUttPerSecBatched,
    double textP50Ms,
    double textP99Ms,
    int speechUtterances,
    double speechSeconds,
    double speechUttPerSec,
    double speechP50Ms,
    double speechP99Ms,
    double speechRealTimeFactor,
    String textEncoder,
    String speechEncoder,
    String device,
    int threads) {

  /** The figures by JSON key; the first four are the keys CI and the docs quote. */
  public Map<String, Object> asMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("text_utt_per_s", round(textUttPerSecBatched));
    m.put("text_p99_ms", round(textP99Ms));
    m.put("speech_utt_per_s", round(speechUttPerSec));
    m.put("speech_p99_ms", round(speechP99Ms));
    m.put("text_utt_per_s_batch1", round(textUttPerSecBatch1));
    m.put("text_utt_per_s_batched", round(textUttPerSecBatched));
    m.put("text_batch_size", textBatchSize);
    m.put("text_p50_ms", round(textP50Ms));
    m.put("text_utterances", textUtterances);
    m.put("speech_p50_ms", round(speechP50Ms));
    m.put("speech_real_time_factor", round(speechRealTimeFactor));
    m.put("speech_seconds_per_utterance", round(speechSeconds));
    m.put("speech_utterances", speechUtterances);
    m.put("text_encoder", textEncoder);
    m.put("speech_encoder", speechEncoder);
    m.put("device", device);
    m.put("threads", threads);
    return m;
  }

  /** A flat JSON object of {@link #asMap()}. */
  public String toJson() {
    return asMap().entrySet().stream()
        .map(e -> "  \"" + e.getKey() + "\": " + (e.getValue() instanceof String s ? "\"" + s + "\"" : e.getValue()))
        .collect(Collectors.joining(",\n", "{\n", "\n}\n"));
  }

  private static double round(double v) {
    return Double.parseDouble(String.format(Locale.ROOT, "%.3f", v));
  }
}
