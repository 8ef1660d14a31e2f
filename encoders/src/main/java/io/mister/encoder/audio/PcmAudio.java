package io.mister.encoder.audio;

import java.util.Arrays;
import java.util.Objects;

/**
 * Decoded audio of one turn: mono samples in [-1, 1] at a known sample rate. The common currency
 * between the decoder and the speech encoders.
 *
 * @param samples    mono samples, nominally in [-1, 1]; the record does not copy the array, so
 *                   treat it as read-only
 * @param sampleRate samples per second (positive)
 */
public record PcmAudio(float[] samples, int sampleRate) {

    public PcmAudio {
        Objects.requireNonNull(samples, "samples");
        if (sampleRate <= 0) {
            throw new IllegalArgumentException("sampleRate must be positive, got " + sampleRate);
        }
    }

    /** Number of samples. */
    public int length() {
        return samples.length;
    }

    /** Duration in seconds. */
    public double durationSeconds() {
        return samples.length / (double) sampleRate;
    }

    /** Duration in whole milliseconds, rounded down (what a {@code maxDurationMs} limit compares to). */
    public long durationMs() {
        return samples.length * 1000L / sampleRate;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PcmAudio other
                && sampleRate == other.sampleRate
                && Arrays.equals(samples, other.samples);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(samples) + sampleRate;
    }

    @Override
    public String toString() {
        return "PcmAudio[" + samples.length + " samples @ " + sampleRate + " Hz, " + durationMs() + " ms]";
    }
}
