package io.mister.encoder.audio;

import static io.mister.encoder.audio.TestWavs.audio;
import static io.mister.encoder.audio.TestWavs.tone;
import static io.mister.encoder.audio.TestWavs.wav;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.mister.deadletter.DeadLetterReason;
import io.mister.deadletter.RejectedRecordException;
import io.mister.events.Audio;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class AudioDecoderTest {

    private final AudioDecoder decoder = new AudioDecoder();

    private static Path emodb(String name) {
        // tests run with the module as working directory; the data sits beside the repository root
        Path p = Path.of("..").resolve("..").resolve("shared/data/emodb/wav").resolve(name);
        return p;
    }

    @Test
    void decodesARealEmoDbWavTo16kHzMono() throws IOException {
        byte[] bytes = Files.readAllBytes(emodb("03a01Fa.wav"));

        PcmAudio nativeRate = decoder.decodeNative(audio("WAV", 0, 0, bytes));
        PcmAudio decoded = decoder.decode(audio("WAV", 0, 0, bytes));

        assertThat(nativeRate.sampleRate()).isEqualTo(22050);
        assertThat(nativeRate.length()).isEqualTo(44100);
        // the first samples are the file's 16-bit values scaled to [-1, 1]
        ByteBuffer raw = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < 100; i++) {
            assertThat(nativeRate.samples()[i]).isEqualTo(raw.getShort(44 + 2 * i) / 32768f);
        }
        assertThat(decoded.sampleRate()).isEqualTo(16000);
        assertThat(decoded.length()).isEqualTo(32000);
        assertThat(decoded.durationMs()).isEqualTo(2000);
        assertThat(rms(decoded.samples())).isCloseTo(rms(nativeRate.samples()), within(0.1 * rms(nativeRate.samples())));
    }

    @Test
    void decodesEveryEmoDbFile() throws IOException {
        try (var files = Files.list(emodb(""))) {
            long decoded = files.filter(p -> p.toString().endsWith(".wav")).peek(p -> {
                try {
                    PcmAudio a = decoder.decode(audio("WAV", 0, 0, Files.readAllBytes(p)));
                    assertThat(a.durationMs()).isEqualTo(2000);
                } catch (IOException e) {
                    throw new AssertionError(e);
                }
            }).count();
            assertThat(decoded).isEqualTo(339);
        }
    }

    @Test
    void decodesRawPcm16AtItsDeclaredRate() {
        float[] x = tone(300, 16000, 0.5, 0.5);
        PcmAudio a = decoder.decode(audio("PCM_S16LE", 16000, 1, TestWavs.pcm16(x)));

        assertThat(a.sampleRate()).isEqualTo(16000);
        assertThat(a.length()).isEqualTo(x.length);
        for (int i = 0; i < x.length; i++) {
            assertThat(a.samples()[i]).isCloseTo(x[i], within(1e-4f));
        }
    }

    @Test
    void mixesStereoDownToMono() {
        float[] left = tone(200, 16000, 0.2, 0.4);
        float[] right = new float[left.length];
        byte[] interleaved = new byte[4 * left.length];
        ByteBuffer b = ByteBuffer.wrap(interleaved).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < left.length; i++) {
            b.putShort((short) Math.round(left[i] * 32767)).putShort((short) 0);
        }

        PcmAudio pcm = decoder.decode(audio("PCM_S16LE", 16000, 2, interleaved));
        PcmAudio fromWav = decoder.decode(audio("WAV", 0, 0, wav(new float[][] {left, right}, 16000, 16, 1)));

        assertThat(pcm.length()).isEqualTo(left.length);
        for (int i = 0; i < left.length; i++) {
            assertThat(pcm.samples()[i]).isCloseTo(left[i] / 2, within(1e-4f));
        }
        assertThat(fromWav).isEqualTo(pcm);
    }

    @ParameterizedTest
    @CsvSource({"8,1", "16,1", "24,1", "32,1", "32,3"})
    void decodesIntegerAndFloatWavs(int bits, int formatTag) {
        float[] x = tone(440, 16000, 0.1, 0.7);
        PcmAudio a = decoder.decode(audio("wav", 0, 0, wav(new float[][] {x}, 16000, bits, formatTag)));

        double tolerance = bits == 8 ? 0.01 : 1e-4;
        assertThat(a.length()).isEqualTo(x.length);
        for (int i = 0; i < x.length; i++) {
            assertThat((double) a.samples()[i]).isCloseTo(x[i], within(tolerance));
        }
    }

    @Test
    void readsExtensibleFormatsSkipsUnknownOddSizedChunksAndAcceptsStreamingSizes() {
        float[] x = tone(440, 16000, 0.05, 0.5);
        byte[] plain = wav(new float[][] {x}, 16000, 24, 1);
        PcmAudio expected = decoder.decode(audio("WAV", 0, 0, plain));

        // WAVE_FORMAT_EXTENSIBLE: 40-byte fmt chunk whose sub-format GUID starts with the PCM tag
        ByteBuffer ext = ByteBuffer.allocate(plain.length + 24 + 10).order(ByteOrder.LITTLE_ENDIAN);
        ext.put(plain, 0, 12).put("fmt ".getBytes()).putInt(40).putShort((short) 0xFFFE)
                .put(plain, 22, 14)                             // channels .. bits
                .putShort((short) 22).putShort((short) 24).putInt(0x4)   // cbSize, valid bits, channel mask
                .putShort((short) 1).put(new byte[14])          // sub-format GUID: PCM
                .put("LIST".getBytes()).putInt(1).put((byte) 'x').put((byte) 0) // odd chunk + pad byte
                .put(plain, 36, plain.length - 36);             // data chunk
        assertThat(decoder.decode(audio("WAV", 0, 0, Arrays.copyOf(ext.array(), ext.position())))).isEqualTo(expected);

        byte[] streaming = plain.clone();
        ByteBuffer.wrap(streaming).order(ByteOrder.LITTLE_ENDIAN).putInt(40, -1); // data size 0xFFFFFFFF
        assertThat(decoder.decode(audio("WAV", 0, 0, streaming))).isEqualTo(expected);
    }

    @Test
    void exposesTheDurationForTheStagesLengthLimit() {
        PcmAudio a = decoder.decode(audio("PCM_S16LE", 8000, 1, new byte[2 * 8000 * 3 + 2 * 4]));

        assertThat(a.durationMs()).isEqualTo(3000);
        assertThat(a.durationSeconds()).isCloseTo(3.0005, within(1e-9));
    }

    @ParameterizedTest
    @ValueSource(ints = {8000, 11025, 22050, 44100, 44101, 48000, 96000})
    void resamplingPreservesAToneFrequency(int rate) {
        float[] x = tone(1000, rate, 1.0, 0.5);
        PcmAudio a = decoder.decode(audio("WAV", 0, 0, wav(new float[][] {x}, rate, 16, 1)));

        assertThat(a.sampleRate()).isEqualTo(16000);
        assertThat(a.length()).isEqualTo(16000);
        double measured = TestWavs.dominantFrequency(Arrays.copyOfRange(a.samples(), 1000, 15000), 16000, 50, 7900);
        assertThat(measured).isCloseTo(1000, within(1.0));
        // amplitude is preserved in the pass band (no gain or loss beyond a fraction of a dB)
        assertThat(rms(Arrays.copyOfRange(a.samples(), 1000, 15000))).isCloseTo(0.5 / Math.sqrt(2), within(0.01));
    }

    @Test
    void downsamplingRemovesContentAboveTheNewNyquistInsteadOfAliasingIt() {
        // 11 kHz at 44.1 kHz would alias to 5 kHz at 16 kHz without a low-pass filter
        float[] x = tone(11000, 44100, 1.0, 0.5);
        PcmAudio a = decoder.decode(audio("WAV", 0, 0, wav(new float[][] {x}, 44100, 16, 1)));

        double residual = rms(Arrays.copyOfRange(a.samples(), 1000, 15000));
        assertThat(20 * Math.log10(residual / (0.5 / Math.sqrt(2)))).isLessThan(-60);
    }

    @Test
    void emptyAudioDecodesToNoSamples() {
        assertThat(decoder.decode(audio("PCM_S16LE", 16000, 1, new byte[0])).length()).isZero();
        assertThat(decoder.decode(audio("WAV", 0, 0, wav(new float[][] {new float[0]}, 22050, 16, 1))).length()).isZero();
    }

    @Test
    void rejectsAnUnknownEncoding() {
        assertRejected(audio("MP3", 16000, 1, new byte[10]), DeadLetterReason.UNSUPPORTED_ENCODING, "MP3");
    }

    @Test
    void rejectsACompressedWav() {
        byte[] bytes = wav(new float[][] {new float[100]}, 8000, 8, 1);
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putShort(20, (short) 7); // mu-law
        assertRejected(audio("WAV", 8000, 1, bytes), DeadLetterReason.UNSUPPORTED_ENCODING, "format tag 0x7");
    }

    @Test
    void rejectsPcmWithAnOddByteCount() {
        assertRejected(audio("PCM_S16LE", 16000, 1, new byte[101]), DeadLetterReason.UNDECODABLE_AUDIO, "101 bytes");
        assertRejected(audio("PCM_S16LE", 16000, 2, new byte[102]), DeadLetterReason.UNDECODABLE_AUDIO, "2-channel");
    }

    @Test
    void rejectsZeroChannelsAndAbsurdSampleRates() {
        assertRejected(audio("PCM_S16LE", 16000, 0, new byte[100]), DeadLetterReason.UNDECODABLE_AUDIO, "channel count 0");
        assertRejected(audio("PCM_S16LE", 0, 1, new byte[100]), DeadLetterReason.UNDECODABLE_AUDIO, "sample rate 0");
        assertRejected(audio("PCM_S16LE", 10_000_000, 1, new byte[100]), DeadLetterReason.UNDECODABLE_AUDIO, "sample rate");
        byte[] bytes = wav(new float[][] {new float[100]}, 16000, 16, 1);
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putShort(22, (short) 0);
        assertRejected(audio("WAV", 16000, 1, bytes), DeadLetterReason.UNDECODABLE_AUDIO, "channel count 0");
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putShort(22, (short) 1).putInt(24, -1);
        assertRejected(audio("WAV", 16000, 1, bytes), DeadLetterReason.UNDECODABLE_AUDIO, "sample rate");
    }

    @Test
    void rejectsTruncatedAndForeignFiles() {
        byte[] bytes = wav(new float[][] {new float[100]}, 16000, 16, 1);
        assertRejected(audio("WAV", 16000, 1, Arrays.copyOf(bytes, 8)), DeadLetterReason.UNDECODABLE_AUDIO, "shorter than a RIFF header");
        assertRejected(audio("WAV", 16000, 1, Arrays.copyOf(bytes, 30)), DeadLetterReason.UNDECODABLE_AUDIO, "fmt chunk is truncated");
        assertRejected(audio("WAV", 16000, 1, Arrays.copyOf(bytes, 40)), DeadLetterReason.UNDECODABLE_AUDIO, "no data chunk");
        assertRejected(audio("WAV", 16000, 1, Arrays.copyOf(bytes, 100)), DeadLetterReason.UNDECODABLE_AUDIO, "data chunk is truncated");
        assertRejected(audio("WAV", 16000, 1, "ID3 not a wav file at all".getBytes()), DeadLetterReason.UNDECODABLE_AUDIO, "not a RIFF/WAVE");
    }

    @Test
    void anyTruncationOrCorruptionOfARealFileIsRejectedOrDecodedNeverAnotherException() throws IOException {
        byte[] original = Files.readAllBytes(emodb("08a01Wa.wav"));
        Random random = new Random(42);
        int rejected = 0;
        for (int trial = 0; trial < 400; trial++) {
            byte[] bytes = Arrays.copyOf(original, random.nextInt(original.length)); // strictly shorter
            if (trial % 2 == 0) {
                // also flip a few header bytes
                for (int k = 0; k < 3; k++) {
                    bytes = bytes.length == 0 ? bytes : flip(bytes, random.nextInt(Math.min(bytes.length, 64)), random);
                }
            }
            try {
                decoder.decode(audio(trial % 3 == 0 ? "PCM_S16LE" : "WAV", 22050, 1 + random.nextInt(3), bytes));
            } catch (RejectedRecordException e) {
                rejected++;
                assertThat(e.reason()).isIn(DeadLetterReason.UNDECODABLE_AUDIO, DeadLetterReason.UNSUPPORTED_ENCODING);
                assertThat(e.getMessage()).isNotBlank();
            }
        }
        assertThat(rejected).isGreaterThan(200);
        // an intact header with a truncated body is always rejected
        for (int trial = 0; trial < 100; trial++) {
            byte[] bytes = Arrays.copyOf(original, random.nextInt(original.length));
            assertThatThrownBy(() -> decoder.decode(audio("WAV", 22050, 1, bytes)))
                    .isInstanceOf(RejectedRecordException.class);
        }
    }

    private static byte[] flip(byte[] bytes, int at, Random random) {
        bytes[at] = (byte) random.nextInt(256);
        return bytes;
    }

    private void assertRejected(Audio audio, DeadLetterReason reason, String messagePart) {
        assertThatThrownBy(() -> decoder.decode(audio))
                .isInstanceOfSatisfying(RejectedRecordException.class, e -> assertThat(e.reason()).isEqualTo(reason))
                .hasMessageContaining(messagePart);
    }

    private static double rms(float[] x) {
        double s = 0;
        for (float v : x) {
            s += v * v;
        }
        return Math.sqrt(s / Math.max(1, x.length));
    }
}
