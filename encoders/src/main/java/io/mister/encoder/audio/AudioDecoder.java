package io.mister.encoder.audio;

import io.mister.deadletter.DeadLetterReason;
import io.mister.deadletter.RejectedRecordException;
import io.mister.events.Audio;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Locale;

/**
 * Turns the {@link Audio} of a turn into mono {@link PcmAudio} at the encoders' sample rate.
 *
 * <p>Encodings: {@code PCM_S16LE} (raw little-endian 16-bit samples, interleaved channels; rate and
 * channels from the record) and {@code WAV} (RIFF/WAVE with integer PCM of 8, 16, 24 or 32 bits or
 * IEEE float of 32 or 64 bits, also in WAVE_FORMAT_EXTENSIBLE; rate and channels from the file
 * header). Channels are averaged to mono, then the audio is resampled with a band-limited
 * {@link Resampler}.
 *
 * <p>Anything else is final-bad input and throws {@link RejectedRecordException}: an unknown
 * encoding with {@link DeadLetterReason#UNSUPPORTED_ENCODING} (also a WAV holding compressed
 * audio such as mu-law or ADPCM), bytes that cannot be decoded with
 * {@link DeadLetterReason#UNDECODABLE_AUDIO}. No other exception escapes for any byte content.
 * Empty audio (no sample frames) decodes to an empty {@link PcmAudio}. Thread-safe.
 */
public final class AudioDecoder {

    /** Encoding name for raw little-endian signed 16-bit PCM. */
    public static final String PCM_S16LE = "PCM_S16LE";
    /** Encoding name for a RIFF/WAVE file. */
    public static final String WAV = "WAV";
    /** The rate the speech encoders work at. */
    public static final int DEFAULT_TARGET_RATE = 16_000;
    /** Lowest and highest sample rates taken as real audio; anything outside is a corrupt header. */
    public static final int MIN_SAMPLE_RATE = 1_000;
    public static final int MAX_SAMPLE_RATE = 384_000;
    /** Channel counts above this are a corrupt header rather than audio. */
    public static final int MAX_CHANNELS = 32;

    private static final int FORMAT_PCM = 0x0001;
    private static final int FORMAT_IEEE_FLOAT = 0x0003;
    private static final int FORMAT_EXTENSIBLE = 0xFFFE;
    /** A data-chunk size that streaming writers put when they do not know the length. */
    private static final long STREAMING_SIZE = 0xFFFFFFFFL;

    private final Resampler resampler;

    /** A decoder that resamples to 16 kHz. */
    public AudioDecoder() {
        this(DEFAULT_TARGET_RATE);
    }

    /** @param targetRate the sample rate of every decoded {@link PcmAudio} */
    public AudioDecoder(int targetRate) {
        this.resampler = new Resampler(targetRate);
    }

    public int targetRate() {
        return resampler.targetRate();
    }

    /**
     * Decodes and resamples one turn's audio.
     *
     * @throws RejectedRecordException when the encoding is unsupported or the bytes are not audio
     */
    public PcmAudio decode(Audio audio) {
        if (audio == null) {
            throw undecodable("audio is null");
        }
        return resampler.resample(decodeNative(audio));
    }

    /** Decodes to mono at the audio's own sample rate, without resampling. */
    public PcmAudio decodeNative(Audio audio) {
        String encoding = audio.getEncoding() == null ? "" : audio.getEncoding().trim().toUpperCase(Locale.ROOT);
        ByteBuffer bytes = audio.getBytes() == null
                ? ByteBuffer.allocate(0)
                : audio.getBytes().duplicate().order(ByteOrder.LITTLE_ENDIAN);
        return switch (encoding) {
            case PCM_S16LE -> decodePcm16(bytes, audio.getSampleRate(), audio.getChannels());
            case WAV -> decodeWav(bytes.slice().order(ByteOrder.LITTLE_ENDIAN));
            default -> throw new RejectedRecordException(DeadLetterReason.UNSUPPORTED_ENCODING,
                    "unsupported audio encoding '" + audio.getEncoding() + "' (supported: "
                            + PCM_S16LE + ", " + WAV + ")");
        };
    }

    private static PcmAudio decodePcm16(ByteBuffer bytes, int sampleRate, int channels) {
        checkRate(sampleRate);
        checkChannels(channels);
        int length = bytes.remaining();
        int frameBytes = 2 * channels;
        if (length % frameBytes != 0) {
            throw undecodable(PCM_S16LE + " audio of " + length + " bytes is not a whole number of "
                    + channels + "-channel 16-bit frames (" + frameBytes + " bytes each)");
        }
        return new PcmAudio(mixDown(bytes, length / frameBytes, channels, SampleFormat.INT16), sampleRate);
    }

    private static PcmAudio decodeWav(ByteBuffer wav) {
        if (wav.remaining() < 12) {
            throw undecodable("WAV of " + wav.remaining() + " bytes is shorter than a RIFF header (12 bytes)");
        }
        int riff = wav.getInt(0);
        int wave = wav.getInt(8);
        if (riff != fourCc("RIFF") || wave != fourCc("WAVE")) {
            throw undecodable("not a RIFF/WAVE file (header '" + printable(wav, 0) + "..." + printable(wav, 8) + "')");
        }
        Format format = null;
        int position = 12;
        while (position + 8 <= wav.limit()) {
            int id = wav.getInt(position);
            long size = Integer.toUnsignedLong(wav.getInt(position + 4));
            int body = position + 8;
            long available = wav.limit() - body;
            if (id == fourCc("fmt ")) {
                if (size > available) {
                    throw undecodable("WAV fmt chunk is truncated (" + size + " bytes declared, " + available + " present)");
                }
                format = Format.parse(wav, body, (int) size);
            } else if (id == fourCc("data")) {
                if (format == null) {
                    throw undecodable("WAV data chunk comes before any fmt chunk");
                }
                long dataSize = size;
                if (size == STREAMING_SIZE) {
                    dataSize = available; // a streaming writer that did not know the length
                } else if (size > available) {
                    throw undecodable("WAV data chunk is truncated (" + size + " bytes declared, "
                            + available + " present)");
                }
                return format.decode(wav, body, (int) dataSize);
            }
            if (size > available) {
                throw undecodable("WAV chunk '" + printable(wav, position) + "' is truncated ("
                        + size + " bytes declared, " + available + " present)");
            }
            position = (int) (body + size + (size & 1)); // chunks are padded to even sizes
        }
        throw undecodable(format == null ? "WAV has no fmt chunk" : "WAV has no data chunk");
    }

    private enum SampleFormat {
        UINT8(1), INT16(2), INT24(3), INT32(4), FLOAT32(4), FLOAT64(8);

        final int bytes;

        SampleFormat(int bytes) {
            this.bytes = bytes;
        }

        double read(ByteBuffer b, int at) {
            return switch (this) {
                case UINT8 -> ((b.get(at) & 0xFF) - 128) / 128.0;
                case INT16 -> b.getShort(at) / 32768.0;
                case INT24 -> (((b.get(at) & 0xFF) | ((b.get(at + 1) & 0xFF) << 8) | (b.get(at + 2) << 16))) / 8388608.0;
                case INT32 -> b.getInt(at) / 2147483648.0;
                case FLOAT32 -> sanitize(b.getFloat(at));
                case FLOAT64 -> sanitize(b.getDouble(at));
            };
        }

        /** Float WAVs can hold NaN or huge values; they must not reach the encoders. */
        private static double sanitize(double v) {
            if (Double.isNaN(v)) {
                return 0;
            }
            return Math.max(-1.0, Math.min(1.0, v));
        }
    }

    /** The fields of a WAV fmt chunk that matter for decoding. */
    private record Format(SampleFormat sampleFormat, int channels, int sampleRate, int blockAlign) {

        static Format parse(ByteBuffer wav, int at, int size) {
            if (size < 16) {
                throw undecodable("WAV fmt chunk of " + size + " bytes is shorter than 16 bytes");
            }
            int tag = Short.toUnsignedInt(wav.getShort(at));
            int channels = Short.toUnsignedInt(wav.getShort(at + 2));
            long sampleRate = Integer.toUnsignedLong(wav.getInt(at + 4));
            int blockAlign = Short.toUnsignedInt(wav.getShort(at + 12));
            int bits = Short.toUnsignedInt(wav.getShort(at + 14));
            if (tag == FORMAT_EXTENSIBLE) {
                if (size < 40) {
                    throw undecodable("WAV WAVE_FORMAT_EXTENSIBLE fmt chunk of " + size + " bytes is shorter than 40 bytes");
                }
                tag = Short.toUnsignedInt(wav.getShort(at + 24)); // first two bytes of the sub-format GUID
            }
            if (sampleRate > Integer.MAX_VALUE) {
                throw undecodable("WAV sample rate " + sampleRate + " Hz is out of range");
            }
            checkRate((int) sampleRate);
            checkChannels(channels);
            SampleFormat format = sampleFormat(tag, bits);
            if (blockAlign != channels * format.bytes) {
                throw undecodable("WAV block align " + blockAlign + " does not match " + channels
                        + " channels of " + bits + " bits");
            }
            return new Format(format, channels, (int) sampleRate, blockAlign);
        }

        private static SampleFormat sampleFormat(int tag, int bits) {
            if (tag == FORMAT_PCM) {
                return switch (bits) {
                    case 8 -> SampleFormat.UINT8;
                    case 16 -> SampleFormat.INT16;
                    case 24 -> SampleFormat.INT24;
                    case 32 -> SampleFormat.INT32;
                    default -> throw undecodable("WAV integer PCM with " + bits + " bits per sample is not supported (8, 16, 24, 32)");
                };
            }
            if (tag == FORMAT_IEEE_FLOAT) {
                return switch (bits) {
                    case 32 -> SampleFormat.FLOAT32;
                    case 64 -> SampleFormat.FLOAT64;
                    default -> throw undecodable("WAV float with " + bits + " bits per sample is not supported (32, 64)");
                };
            }
            throw new RejectedRecordException(DeadLetterReason.UNSUPPORTED_ENCODING,
                    "WAV format tag 0x" + Integer.toHexString(tag) + " is not supported (only PCM and IEEE float)");
        }

        PcmAudio decode(ByteBuffer wav, int at, int dataSize) {
            if (dataSize % blockAlign != 0) {
                throw undecodable("WAV data of " + dataSize + " bytes is not a whole number of "
                        + blockAlign + "-byte frames (truncated?)");
            }
            ByteBuffer data = wav.duplicate().order(ByteOrder.LITTLE_ENDIAN);
            data.limit(at + dataSize).position(at);
            data = data.slice().order(ByteOrder.LITTLE_ENDIAN);
            return new PcmAudio(mixDown(data, dataSize / blockAlign, channels, sampleFormat), sampleRate);
        }
    }

    private static float[] mixDown(ByteBuffer data, int frames, int channels, SampleFormat format) {
        float[] mono = new float[frames];
        int frameBytes = channels * format.bytes;
        int base = data.position();
        for (int f = 0; f < frames; f++) {
            int at = base + f * frameBytes;
            double sum = 0;
            for (int c = 0; c < channels; c++) {
                sum += format.read(data, at + c * format.bytes);
            }
            mono[f] = (float) (sum / channels);
        }
        return mono;
    }

    private static void checkRate(int sampleRate) {
        if (sampleRate < MIN_SAMPLE_RATE || sampleRate > MAX_SAMPLE_RATE) {
            throw undecodable("sample rate " + sampleRate + " Hz is outside " + MIN_SAMPLE_RATE + ".."
                    + MAX_SAMPLE_RATE + " Hz");
        }
    }

    private static void checkChannels(int channels) {
        if (channels < 1 || channels > MAX_CHANNELS) {
            throw undecodable("channel count " + channels + " is outside 1.." + MAX_CHANNELS);
        }
    }

    private static int fourCc(String s) {
        return (s.charAt(0)) | (s.charAt(1) << 8) | (s.charAt(2) << 16) | (s.charAt(3) << 24);
    }

    private static String printable(ByteBuffer b, int at) {
        StringBuilder sb = new StringBuilder();
        for (int i = at; i < at + 4 && i < b.limit(); i++) {
            int c = b.get(i) & 0xFF;
            sb.append(c >= 32 && c < 127 ? (char) c : '?');
        }
        return sb.toString();
    }

    private static RejectedRecordException undecodable(String message) {
        return new RejectedRecordException(DeadLetterReason.UNDECODABLE_AUDIO, message);
    }
}
