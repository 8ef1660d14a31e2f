package io.mister.encoder.audio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ResamplerTest {

    @Test
    void audioAlreadyAtTheTargetRateIsReturnedAsIs() {
        PcmAudio a = new PcmAudio(new float[] {0.1f, 0.2f}, 16000);

        assertThat(new Resampler(16000).resample(a)).isSameAs(a);
    }

    @ParameterizedTest
    @CsvSource({"8000,16000", "22050,16000", "44100,16000", "16000,8000", "44101,16000"})
    void keepsAConstantSignalConstantAwayFromTheEdges(int from, int to) {
        float[] x = new float[from];
        Arrays.fill(x, 0.5f);

        float[] y = new Resampler(to).resample(new PcmAudio(x, from)).samples();

        assertThat(y).hasSize(to);
        for (int i = to / 10; i < to - to / 10; i++) {
            assertThat((double) y[i]).isCloseTo(0.5, within(1e-3));
        }
    }

    @Test
    void isDeterministicAndThreadSafeAcrossRates() throws Exception {
        Resampler r = new Resampler(16000);
        float[] x = TestWavs.tone(440, 22050, 0.5, 0.5);
        float[] first = r.resample(new PcmAudio(x, 22050)).samples();
        Thread[] threads = new Thread[4];
        float[][] results = new float[threads.length][];
        for (int t = 0; t < threads.length; t++) {
            int k = t;
            threads[t] = new Thread(() -> results[k] = new Resampler(16000).resample(new PcmAudio(x, 22050)).samples());
            threads[t].start();
        }
        for (Thread t : threads) {
            t.join();
        }
        for (float[] y : results) {
            assertThat(y).containsExactly(first);
        }
    }

    @Test
    void refusesNonsenseSettings() {
        assertThatThrownBy(() -> new Resampler(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Resampler(16000, 1)).hasMessageContaining("zeroCrossings");
    }
}
