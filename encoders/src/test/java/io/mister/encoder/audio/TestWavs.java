package io.mister.encoder.audio;

import io.mister.events.Audio;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Builds audio for tests: tones, WAV files of every supported sample format, Avro Audio records. */
final class TestWavs {

    private TestWavs() {
    }

    static float[] tone(double frequency, int sampleRate, double seconds, double amplitude) {
        float[] s = new float[(int) Math.round(seconds * sampleRate)];
        for (int i = 0; i < s.length; i++) {
            s[i] = (float) (amplitude * Math.sin(2 * Math.PI * frequency * i / sampleRate));
        }
        return s;
    }

    /** A canonical WAV. formatTag 1 = integer PCM, 3 = IEEE float; channels are given planar. */
    static byte[] wav(float[][] channels, int sampleRate, int bits, int formatTag) {
        int frames = channels[0].length;
        int bytesPerSample = bits / 8;
        int blockAlign = channels.length * bytesPerSample;
        ByteBuffer data = ByteBuffer.allocate(frames * blockAlign).order(ByteOrder.LITTLE_ENDIAN);
        for (int f = 0; f < frames; f++) {
            for (float[] channel : channels) {
                double v = channel[f];
                if (formatTag == 3) {
                    data.putFloat((float) v);
                } else {
                    switch (bits) {
                        case 8 -> data.put((byte) (Math.round(v * 127) + 128));
                        case 16 -> data.putShort((short) Math.round(v * 32767));
                        case 24 -> {
                            int x = (int) Math.round(v * 8388607);
                            data.put((byte) x).put((byte) (x >> 8)).put((byte) (x >> 16));
                        }
                        case 32 -> data.putInt((int) Math.round(v * 2147483647.0));
                        default -> throw new IllegalArgumentException("bits " + bits);
                    }
                }
            }
        }
        ByteBuffer header = ByteBuffer.allocate(44).order(ByteOrder.LITTLE_ENDIAN);
        header.put("RIFF".getBytes()).putInt(36 + data.capacity()).put("WAVE".getBytes());
        header.put("fmt ".getBytes()).putInt(16).putShort((short) formatTag).putShort((short) channels.length)
                .putInt(sampleRate).putInt(sampleRate * blockAlign).putShort((short) blockAlign).putShort((short) bits);
        header.put("data".getBytes()).putInt(data.capacity());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(header.array());
        out.writeBytes(data.array());
        return out.toByteArray();
    }

    static byte[] pcm16(float[] mono) {
        ByteBuffer b = ByteBuffer.allocate(2 * mono.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : mono) {
            b.putShort((short) Math.round(v * 32767));
        }
        return b.array();
    }

    static Audio audio(String encoding, int sampleRate, int channels, byte[] bytes) {
        return Audio.newBuilder().setEncoding(encoding).setSampleRate(sampleRate).setChannels(channels)
                .setBytes(ByteBuffer.wrap(bytes)).build();
    }

    /** Frequency of the strongest component: a coarse Goertzel scan of the Hann-windowed signal, refined by ternary search. */
    static double dominantFrequency(float[] x, int sampleRate, double fromHz, double toHz) {
        double[] w = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            w[i] = x[i] * (0.5 - 0.5 * Math.cos(2 * Math.PI * i / (x.length - 1)));
        }
        double best = -1;
        double bestF = fromHz;
        double step = 5.0;
        for (double f = fromHz; f <= toHz; f += step) {
            double p = power(w, sampleRate, f);
            if (p > best) {
                best = p;
                bestF = f;
            }
        }
        double lo = bestF - step;
        double hi = bestF + step;
        for (int i = 0; i < 60; i++) {
            double m1 = lo + (hi - lo) / 3;
            double m2 = hi - (hi - lo) / 3;
            if (power(w, sampleRate, m1) < power(w, sampleRate, m2)) {
                lo = m1;
            } else {
                hi = m2;
            }
        }
        return (lo + hi) / 2;
    }

    /** Goertzel power of an (already windowed) signal at one frequency. */
    private static double power(double[] x, int sampleRate, double f) {
        double coeff = 2 * Math.cos(2 * Math.PI * f / sampleRate);
        double s1 = 0;
        double s2 = 0;
        for (double v : x) {
            double s0 = v + coeff * s1 - s2;
            s2 = s1;
            s1 = s0;
        }
        return s1 * s1 + s2 * s2 - coeff * s1 * s2;
    }
}
