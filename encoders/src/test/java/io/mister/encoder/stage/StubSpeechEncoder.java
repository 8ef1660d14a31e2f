package io.mister.encoder.stage;

import io.mister.encoder.Encoder;
import io.mister.encoder.EncoderId;
import io.mister.encoder.audio.PcmAudio;
import java.util.ArrayList;
import java.util.List;

/**
 * A speech encoder double for topology tests in which audio content does not matter: the
 * "embedding" is the duration in seconds and the RMS level, which is enough to see that the right
 * audio reached the right turn.
 */
final class StubSpeechEncoder implements Encoder<PcmAudio> {

  static final EncoderId ID = new EncoderId("stub-speech", "0", 2);

  final List<Integer> batchSizes = new ArrayList<>();

  @Override
  public EncoderId id() {
    return ID;
  }

  @Override
  public synchronized List<float[]> encode(List<PcmAudio> inputs) {
    batchSizes.add(inputs.size());
    List<float[]> out = new ArrayList<>();
    for (PcmAudio audio : inputs) {
      double sum = 0;
      for (float s : audio.samples()) {
        sum += s * s;
      }
      out.add(new float[] {(float) audio.durationSeconds(),
          (float) Math.sqrt(sum / Math.max(1, audio.length()))});
    }
    return out;
  }

  @Override
  public void close() {}
}
