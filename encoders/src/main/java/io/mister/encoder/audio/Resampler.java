package io.mister.encoder.audio;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Band-limited sample-rate conversion by windowed-sinc interpolation (the classic
 * Smith/"resample" method): every output sample is a weighted sum of the input samples around its
 * position, with weights taken from a Kaiser-windowed sinc whose cut-off sits just below the lower
 * of the two Nyquist frequencies, so downsampling does not alias and upsampling does not image.
 *
 * <p>The kernel is tabulated once at a fine resolution and interpolated linearly, which works for
 * any pair of rates. Rate pairs with a small rational ratio (22050 to 16000 is 441:320) use a
 * polyphase filter bank built once per input rate. Output is deterministic: the same input gives
 * the same bits. Instances are thread-safe.
 */
public final class Resampler {

    /** Zero crossings of the sinc on each side of the centre by default: sets filter length and steepness. */
    public static final int DEFAULT_ZERO_CROSSINGS = 16;
    private static final int MAX_ZERO_CROSSINGS = 64;
    /** Table resolution: kernel samples per zero crossing. */
    private static final int SAMPLES_PER_CROSSING = 512;
    /** Kaiser beta; 8.6 gives roughly 80 dB stop-band attenuation. */
    private static final double KAISER_BETA = 8.6;
    /** Cut-off as a fraction of the lower Nyquist frequency: leaves room for the transition band. */
    private static final double ROLLOFF = 0.92;


    /** Above this many phases a rate pair uses the direct (table-interpolating) path. */
    private static final int MAX_PHASES = 4096;
    /** Filter banks kept per resampler (one per input rate seen). */
    private static final int MAX_CACHED_RATES = 16;

    private final int targetRate;
    private final int zeroCrossings;
    /** One side of the windowed sinc, SAMPLES_PER_CROSSING entries per zero crossing. */
    private final double[] kernel;
    private final ConcurrentMap<Integer, FilterBank> filterBanks =
            new ConcurrentHashMap<>();

    /** @param targetRate the output sample rate in Hz */
    public Resampler(int targetRate) {
        this(targetRate, DEFAULT_ZERO_CROSSINGS);
    }

    /**
     * @param targetRate    the output sample rate in Hz
     * @param zeroCrossings filter half-length in zero crossings (2..16): fewer is faster with a
     *                      wider transition band and less stop-band attenuation
     */
    public Resampler(int targetRate, int zeroCrossings) {
        if (targetRate <= 0) {
            throw new IllegalArgumentException("targetRate must be positive, got " + targetRate);
        }
        if (zeroCrossings < 2 || zeroCrossings > MAX_ZERO_CROSSINGS) {
            throw new IllegalArgumentException("zeroCrossings must be within 2.." + MAX_ZERO_CROSSINGS + ", got " + zeroCrossings);
        }
        this.targetRate = targetRate;
        this.zeroCrossings = zeroCrossings;
        this.kernel = tabulateKernel(zeroCrossings);
    }

    public int targetRate() {
        return targetRate;
    }

    /** Returns the audio at the target rate; the same instance when it already is. */
    public PcmAudio resample(PcmAudio audio) {
        if (audio.sampleRate() == targetRate) {
            return audio;
        }
        return new PcmAudio(resample(audio.samples(), audio.sampleRate(), targetRate), targetRate);
    }

    private float[] resample(float[] in, int inRate, int outRate) {
        int g = gcd(inRate, outRate);
        int up = outRate / g;
        if (up <= MAX_PHASES) {
            FilterBank bank = filterBanks.get(inRate);
            if (bank == null) {
                bank = new FilterBank(inRate, outRate, zeroCrossings, kernel);
                // the common rates are cached; a stream of odd rates must not grow memory without bound
                if (filterBanks.size() < MAX_CACHED_RATES) {
                    filterBanks.putIfAbsent(inRate, bank);
                }
            }
            return bank.apply(in);
        }
        return resampleDirect(in, inRate, outRate, zeroCrossings, kernel);
    }

    /** Cut-off relative to the input rate (1 = input Nyquist). */
    private static double cutoff(int inRate, int outRate) {
        return Math.min(1.0, (double) outRate / inRate) * ROLLOFF;
    }

    private static int outputLength(int inLength, int inRate, int outRate) {
        return (int) ((long) inLength * outRate / inRate);
    }

    /** Any ratio: evaluates the tabulated kernel for every tap (slower; for odd rate pairs only). */
    static float[] resampleDirect(float[] in, int inRate, int outRate, int zeroCrossings, double[] kernel) {
        float[] out = new float[outputLength(in.length, inRate, outRate)];
        double step = (double) inRate / outRate;
        double scale = cutoff(inRate, outRate);
        double reach = zeroCrossings / scale;
        double tableStep = scale * SAMPLES_PER_CROSSING;
        for (int n = 0; n < out.length; n++) {
            double t = n * step;
            int first = Math.max(0, (int) Math.ceil(t - reach));
            int last = Math.min(in.length - 1, (int) Math.floor(t + reach));
            double acc = 0;
            for (int k = first; k <= last; k++) {
                acc += in[k] * kernelAt(kernel, Math.abs(t - k) * tableStep);
            }
            out[n] = (float) (acc * scale);
        }
        return out;
    }

    /**
     * Polyphase form for a rational ratio up/down: output sample n sits at input position
     * n*down/up, whose fractional part takes only {@code up} values, so the weights of each phase
     * are computed once.
     */
    private static final class FilterBank {
        private final int down;
        private final int up;
        private final int half;          // taps on each side
        private final float[][] weights; // [phase][tap], tap j is input index base - half + 1 + j
        private final int inRate;
        private final int outRate;

        FilterBank(int inRate, int outRate, int zeroCrossings, double[] kernel) {
            int g = gcd(inRate, outRate);
            this.inRate = inRate;
            this.outRate = outRate;
            this.down = inRate / g;
            this.up = outRate / g;
            double scale = cutoff(inRate, outRate);
            this.half = (int) Math.ceil(zeroCrossings / scale);
            this.weights = new float[up][2 * half];
            for (int p = 0; p < up; p++) {
                double frac = (double) p / up;
                for (int j = 0; j < 2 * half; j++) {
                    double distance = Math.abs(frac - (j - half + 1));
                    weights[p][j] = (float) (scale * kernelAt(kernel, distance * scale * SAMPLES_PER_CROSSING));
                }
            }
        }

        float[] apply(float[] in) {
            float[] out = new float[outputLength(in.length, inRate, outRate)];
            int taps = 2 * half;
            for (int n = 0; n < out.length; n++) {
                long position = (long) n * down;
                int base = (int) (position / up);
                float[] w = weights[(int) (position % up)];
                int start = base - half + 1;
                double acc = 0;
                if (start >= 0 && start + taps <= in.length) {
                    for (int j = 0; j < taps; j++) {
                        acc += in[start + j] * w[j];
                    }
                } else {
                    int jFrom = Math.max(0, -start);
                    int jTo = Math.min(taps, in.length - start);
                    for (int j = jFrom; j < jTo; j++) {
                        acc += in[start + j] * w[j];
                    }
                }
                out[n] = (float) acc;
            }
            return out;
        }
    }

    private static int gcd(int a, int b) {
        while (b != 0) {
            int t = a % b;
            a = b;
            b = t;
        }
        return a;
    }

    private static double kernelAt(double[] kernel, double position) {
        int i = (int) position;
        if (i >= kernel.length - 1) {
            return 0;
        }
        double frac = position - i;
        return kernel[i] + frac * (kernel[i + 1] - kernel[i]);
    }

    /** Kaiser-windowed sinc for one side, from 0 to {@code zeroCrossings} zero crossings (inclusive). */
    private static double[] tabulateKernel(int zeroCrossings) {
        int n = zeroCrossings * SAMPLES_PER_CROSSING;
        double[] kernel = new double[n + 2];
        double i0Beta = besselI0(KAISER_BETA);
        for (int i = 0; i <= n; i++) {
            double x = (double) i / SAMPLES_PER_CROSSING;     // in zero crossings
            double sinc = i == 0 ? 1.0 : StrictMath.sin(Math.PI * x) / (Math.PI * x);
            double r = x / zeroCrossings;
            double window = besselI0(KAISER_BETA * Math.sqrt(Math.max(0, 1 - r * r))) / i0Beta;
            kernel[i] = sinc * window;
        }
        kernel[n + 1] = 0;
        return kernel;
    }

    /** Zeroth-order modified Bessel function of the first kind (power series). */
    private static double besselI0(double x) {
        double sum = 1;
        double term = 1;
        double half = x / 2;
        for (int k = 1; k < 50; k++) {
            term *= (half / k) * (half / k);
            sum += term;
            if (term < 1e-12 * sum) {
                break;
            }
        }
        return sum;
    }
}
