package io.mister.encoder.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.mister.encoder.audio.PcmAudio;
import io.mister.encoder.speech.ProsodySpeechEncoder;
import io.mister.encoder.text.OnnxTextEncoder;
import io.mister.encoder.text.TextEncoders;
import io.mister.inference.SessionSettings;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class EncoderBenchmarkTest {

  @Test
  void measuresBothEncodersAndReportsTheAgreedJsonKeys() throws Exception {
    EncoderBenchmark.TextTurns sentences =
        EncoderBenchmark.meldSentences(Path.of("../../shared/data/meld/dev_sent_emo.csv"));
    List<PcmAudio> audio =
        EncoderBenchmark.fixedLengthUtterances(Path.of("../../shared/data/emodb/wav"), 4, 3.0);
    assertThat(sentences.texts()).hasSize(1109);
    // Each turn comes with the turns before it in its dialogue, latest first (dia0 has two turns).
    assertThat(sentences.previous().get(0)).isEmpty();
    assertThat(sentences.previous().get(1)).containsExactly(sentences.texts().get(0));
    assertThat(sentences.previous().get(2)).isEmpty();
    assertThat(sentences.previous().get(4)).containsExactly(sentences.texts().get(3), sentences.texts().get(2));
    assertThat(audio).allSatisfy(a -> assertThat(a.durationSeconds()).isEqualTo(3.0));

    EncoderBenchmarkResult result;
    try (OnnxTextEncoder text = TextEncoders.open("all-minilm-l6-v2-q", SessionSettings.cpu(1));
        ProsodySpeechEncoder speech = new ProsodySpeechEncoder()) {
      result = new EncoderBenchmark(new EncoderBenchmark.Settings(8, 2, 40, 4, 3.0))
          .run(text, speech, sentences, audio, 1);
    }

    assertThat(result.textUtterances()).isEqualTo(40);
    assertThat(result.textUttPerSecBatch1()).isPositive();
    assertThat(result.textP99Ms()).isGreaterThanOrEqualTo(result.textP50Ms()).isPositive();
    assertThat(result.speechRealTimeFactor()).isPositive();
    assertThat(result.toJson())
        .contains("\"text_utt_per_s\": ", "\"text_p99_ms\": ", "\"speech_utt_per_s\": ",
            "\"speech_p99_ms\": ", "\"text_encoder\": \"all-minilm-l6-v2-q@1\"");
  }

  @Test
  void percentilesUseTheNearestRank() {
    double[] values = {5, 1, 4, 2, 3, 6, 7, 8, 9, 10};
    assertThat(EncoderBenchmark.percentile(values, 50)).isEqualTo(5);
    assertThat(EncoderBenchmark.percentile(values, 99)).isEqualTo(10);
    assertThat(EncoderBenchmark.percentile(values, 10)).isEqualTo(1);
  }
}
