package io.mister.encoder.speech;

import static io.mister.encoder.speech.ProsodyFeature.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.mister.encoder.audio.AudioDecoder;
import io.mister.encoder.audio.PcmAudio;
import io.mister.events.Audio;
import java.io.File;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProsodySpeechEncoderTest {

    private static final ProsodySpeechEncoder ENCODER = new ProsodySpeechEncoder();

    @AfterAll
    static void close() {
        ENCODER.close();
    }

    @Test
    void identifiesItselfAsMisterProsodyVersion1With88Dimensions() {
        assertThat(ENCODER.id().tag()).isEqualTo("mister-prosody@1");
        assertThat(ENCODER.id().dim()).isEqualTo(88).isEqualTo(ProsodyFeature.COUNT);
    }

    @Test
    void aToneOf200HzHasAnF0Of200HzWithin2Percent() {
        double[] raw = ENCODER.rawFeatures(Signals.tone(200, 16000, 1.0, 0.3));

        assertThat(Signals.semitonesToHz(raw[F0_P50.ordinal()])).isCloseTo(200, within(4.0));
        assertThat(Signals.semitonesToHz(raw[F0_MEAN.ordinal()])).isCloseTo(200, within(4.0));
        assertThat(raw[F0_STD.ordinal()]).isLessThan(0.05);
        assertThat(raw[VOICED_RATIO.ordinal()]).isGreaterThan(0.95);
    }

    @Test
    void resamplingPreservesATonesF0() {
        for (int rate : new int[] {8000, 22050, 44100}) {
            double[] raw = ENCODER.rawFeatures(Signals.tone(200, rate, 1.0, 0.3));
            assertThat(Signals.semitonesToHz(raw[F0_P50.ordinal()])).as("at %d Hz", rate).isCloseTo(200, within(2.0));
        }
    }

    @Test
    void aHarmonicRichVoiceHasItsF0AndLowJitter() {
        double[] raw = ENCODER.rawFeatures(Signals.harmonicVowel(120, 16000, 1.0, 0.5));

        assertThat(Signals.semitonesToHz(raw[F0_P50.ordinal()])).isCloseTo(120, within(1.2));
        assertThat(raw[JITTER_LOCAL.ordinal()]).isLessThan(0.005);
        assertThat(raw[SHIMMER_LOCAL_DB.ordinal()]).isLessThan(0.1);
        assertThat(raw[H1_H2_MEAN.ordinal()]).isCloseTo(12, within(1.5));
    }

    @Test
    void silenceHasNoVoicedFramesAndNoEnergy() {
        for (PcmAudio silent : List.of(Signals.silence(16000, 2.0), Signals.noise(16000, 2.0, 1e-5, 3))) {
            double[] raw = ENCODER.rawFeatures(silent);

            assertThat(raw[ACTIVE_RATIO.ordinal()]).isZero();
            assertThat(raw[VOICED_RATIO.ordinal()]).isZero();
            assertThat(raw[VOICED_RUNS_PER_SECOND.ordinal()]).isZero();
            assertThat(raw[F0_MEAN.ordinal()]).isNaN();      // undefined, not zero Hz
            assertThat(raw[LOUDNESS_MEAN.ordinal()]).isNaN(); // no active frame to measure
        }
    }

    @Test
    void trailingDigitalSilenceDoesNotChangeTheEmbedding() {
        PcmAudio voice = Signals.harmonicVowel(150, 16000, 0.8, 0.4);
        float[] padded = Arrays.copyOf(voice.samples(), 32000);
        float[] leading = new float[40000];
        System.arraycopy(voice.samples(), 0, leading, 8000, voice.length());

        float[] plain = ENCODER.encode(voice);

        assertThat(ENCODER.encode(new PcmAudio(padded, 16000))).containsExactly(plain);
        assertThat(ENCODER.encode(new PcmAudio(leading, 16000))).containsExactly(plain);
    }

    @Test
    void theEmbeddingHasTheDeclaredDimensionAndIsFiniteForAnyInput() {
        float[] nan = new float[1600];
        Arrays.fill(nan, Float.NaN);
        float[] loud = new float[1600];
        Arrays.fill(loud, 5f);
        List<PcmAudio> odd = List.of(
                new PcmAudio(new float[0], 16000),
                Signals.silence(16000, 1.0),
                Signals.tone(300, 16000, 0.010, 0.5),   // 10 ms
                Signals.tone(300, 16000, 0.001, 0.5),   // one millisecond
                new PcmAudio(new float[] {1f}, 16000),  // one sample
                Signals.clicks(16000, 1.0),
                Signals.noise(16000, 1.0, 0.3, 1),
                Signals.tone(7000, 16000, 0.5, 1.0),
                new PcmAudio(nan, 16000),
                new PcmAudio(loud, 16000),
                Signals.tone(200, 8000, 0.3, 0.5));

        List<float[]> embeddings = ENCODER.encode(odd);

        assertThat(embeddings).hasSize(odd.size());
        for (float[] e : embeddings) {
            assertThat(e).hasSize(ENCODER.id().dim());
            for (float v : e) {
                assertThat(Float.isFinite(v)).isTrue();
                assertThat(Math.abs(v)).isLessThanOrEqualTo((float) Standardization.CLIP);
            }
        }
    }

    @Test
    void absentAudioGivesAnAbsentEmbedding() {
        List<PcmAudio> inputs = new ArrayList<>();
        inputs.add(null);
        inputs.add(Signals.tone(200, 16000, 0.5, 0.3));

        List<float[]> out = ENCODER.encode(inputs);

        assertThat(out.get(0)).isNull();
        assertThat(out.get(1)).hasSize(88);
    }

    @Test
    void isDeterministicAcrossCallsAndThreads() throws Exception {
        List<PcmAudio> inputs = List.of(Signals.harmonicVowel(180, 22050, 1.2, 0.4), Signals.noise(16000, 0.7, 0.2, 9));
        List<float[]> first = ENCODER.encode(inputs);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<List<float[]>>> others = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                others.add(pool.submit(() -> ENCODER.encode(inputs)));
            }
            for (Future<List<float[]>> f : others) {
                List<float[]> again = f.get();
                for (int i = 0; i < inputs.size(); i++) {
                    assertThat(again.get(i)).containsExactly(first.get(i));
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void anEspeakSentenceHasAPlausibleVoiceAndVoicing(@TempDir Path dir) throws Exception {
        assumeTrue(new File("/usr/bin/espeak-ng").canExecute() || onPath("espeak-ng"), "espeak-ng is not installed");
        Path wav = dir.resolve("sentence.wav");
        Process p = new ProcessBuilder("espeak-ng", "-v", "en", "-w", wav.toString(),
                "The quick brown fox jumps over the lazy dog, and then it runs away.")
                .redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        assertThat(p.waitFor()).isZero();
        Audio audio = Audio.newBuilder().setEncoding("WAV").setSampleRate(0).setChannels(1)
                .setBytes(ByteBuffer.wrap(Files.readAllBytes(wav))).build();

        double[] raw = ENCODER.rawFeatures(new AudioDecoder().decode(audio));

        assertThat(Signals.semitonesToHz(raw[F0_P50.ordinal()])).isBetween(70.0, 300.0);
        assertThat(raw[F0_RANGE_P20_P80.ordinal()]).isBetween(0.5, 12.0);  // intonation, not a monotone
        assertThat(raw[VOICED_RATIO.ordinal()]).isBetween(0.3, 0.95);
        assertThat(raw[VOICED_RUNS_PER_SECOND.ordinal()]).isBetween(1.0, 8.0);
        assertThat(raw[HNR_MEAN.ordinal()]).isGreaterThan(5.0);
    }

    private static boolean onPath(String program) {
        String path = System.getenv("PATH");
        return path != null && Arrays.stream(path.split(File.pathSeparator))
                .anyMatch(d -> new File(d, program).canExecute());
    }

    @Test
    void encodesAtLeast100ThreeSecondUtterancesPerCpuSecond() {
        List<PcmAudio> batch = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            float[] x = Signals.harmonicVowel(100 + 10 * i, 16000, 3.0, 0.3).samples();
            float[] n = Signals.noise(16000, 3.0, 0.02, i).samples();
            for (int k = 0; k < x.length; k++) {
                x[k] += n[k] * (k / 8000 % 2);  // alternate voiced and noisy stretches
            }
            batch.add(new PcmAudio(x, 16000));
        }
        for (int warm = 0; warm < 5; warm++) {
            ENCODER.encode(batch);
        }
        // CPU time of this thread, so other processes on a shared machine do not count against us
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long start = threads.getCurrentThreadCpuTime();
        int rounds = 5;
        for (int r = 0; r < rounds; r++) {
            ENCODER.encode(batch);
        }
        double perSecond = rounds * batch.size() / ((threads.getCurrentThreadCpuTime() - start) / 1e9);
        System.out.printf("mister-prosody: %.0f three-second utterances per CPU-second%n", perSecond);
        assertThat(perSecond).isGreaterThan(100);
    }
}
