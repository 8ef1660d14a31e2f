package io.mister.encoder.speech;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.mister.encoder.audio.PcmAudio;
import io.mister.encoder.audio.Resampler;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PitchTrackerTest {

    private final PitchTracker tracker = new PitchTracker();
    private final Resampler to8k = new Resampler(PitchTracker.SAMPLE_RATE);

    @ParameterizedTest
    @ValueSource(doubles = {70, 110, 200, 330, 520})
    void findsTheFundamentalOfAPureToneWithinHalfAPercent(double hz) {
        float[] x = to8k.resample(Signals.tone(hz, 16000, 0.5, 0.5)).samples();

        tracker.analyse(x, 1000, false);

        assertThat(tracker.f0).isCloseTo(hz, within(0.005 * hz));
        assertThat(tracker.aperiodicity).isLessThan(0.05);
        assertThat(tracker.hnrDb).isGreaterThan(20);
    }

    @ParameterizedTest
    @ValueSource(doubles = {95, 200, 280})
    void findsTheFundamentalOfAHarmonicRichVoiceAndItsHarmonicLevels(double hz) {
        PcmAudio vowel = Signals.harmonicVowel(hz, 16000, 0.5, 0.5);
        float[] x = to8k.resample(vowel).samples();

        tracker.analyse(x, 1000, true);

        assertThat(tracker.f0).isCloseTo(hz, within(0.005 * hz));
        // second harmonic is 1/4 of the first in amplitude: 12 dB
        assertThat(tracker.h1h2Db).isCloseTo(12.0, within(1.5));
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3})
    void whiteNoiseIsAperiodic(long seed) {
        float[] x = to8k.resample(Signals.noise(16000, 0.5, 0.1, seed)).samples();

        tracker.analyse(x, 1000, false);

        assertThat(tracker.aperiodicity).isGreaterThan(PitchTracker.VOICING_THRESHOLD);
    }
}
