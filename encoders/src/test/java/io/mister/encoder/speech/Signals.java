package io.mister.encoder.speech;

import io.mister.encoder.audio.PcmAudio;
import java.util.Random;

/** Test signals whose answers are known. */
final class Signals {

    private Signals() {
    }

    static PcmAudio tone(double hz, int rate, double seconds, double amplitude) {
        float[] x = new float[(int) Math.round(rate * seconds)];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (amplitude * Math.sin(2 * Math.PI * hz * i / rate));
        }
        return new PcmAudio(x, rate);
    }

    /** A glottal-pulse-like periodic signal: harmonics falling at 12 dB/octave, like a voiced vowel. */
    static PcmAudio harmonicVowel(double hz, int rate, double seconds, double amplitude) {
        float[] x = new float[(int) Math.round(rate * seconds)];
        for (int i = 0; i < x.length; i++) {
            double v = 0;
            for (int h = 1; h * hz < rate / 2.0 && h <= 30; h++) {
                v += Math.sin(2 * Math.PI * h * hz * i / rate) / (h * h);
            }
            x[i] = (float) (amplitude * v / 1.65);
        }
        return new PcmAudio(x, rate);
    }

    static PcmAudio noise(int rate, double seconds, double amplitude, long seed) {
        Random random = new Random(seed);
        float[] x = new float[(int) Math.round(rate * seconds)];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (amplitude * random.nextGaussian());
        }
        return new PcmAudio(x, rate);
    }

    static PcmAudio silence(int rate, double seconds) {
        return new PcmAudio(new float[(int) Math.round(rate * seconds)], rate);
    }

    /** Isolated full-scale clicks every 200 ms over faint noise. */
    static PcmAudio clicks(int rate, double seconds) {
        PcmAudio base = noise(rate, seconds, 1e-4, 7);
        float[] x = base.samples();
        for (int i = 0; i < x.length; i += rate / 5) {
            x[i] = 1f;
        }
        return base;
    }

    static double semitonesToHz(double semitones) {
        return 27.5 * Math.pow(2, semitones / 12);
    }
}
