package io.mister.encoder.speech;

import java.util.Locale;

/**
 * The dimensions of the {@code mister-prosody} embedding, in output order (the ordinal is the
 * index). Frames are 25 ms every 10 ms at 16 kHz; "active" frames pass the energy-based activity
 * decision, "voiced" frames are active frames where the pitch tracker found a period. F0 is in
 * semitones relative to 27.5 Hz. Slopes are per second. Each value is standardised with the
 * statistics shipped in {@code prosody-standardization.json}; a value undefined for an utterance
 * (F0 statistics without voiced frames, for example) becomes 0, the training mean.
 */
public enum ProsodyFeature {
    F0_MEAN("mean F0 of voiced frames (semitones)"),
    F0_STD("standard deviation of F0 (semitones)"),
    F0_P20("20th percentile of F0 (semitones)"),
    F0_P50("median F0 (semitones)"),
    F0_P80("80th percentile of F0 (semitones)"),
    F0_RANGE_P20_P80("F0 range between the 20th and 80th percentiles (semitones)"),
    F0_RISING_SLOPE("mean rising F0 slope within voiced runs (semitones/s)"),
    F0_FALLING_SLOPE("mean falling F0 slope within voiced runs (semitones/s)"),

    LOUDNESS_MEAN("mean loudness of active frames (sum of mel-band powers^0.3)"),
    LOUDNESS_CV("coefficient of variation of loudness (std / mean)"),
    LOUDNESS_P20("20th percentile of loudness"),
    LOUDNESS_P50("median loudness"),
    LOUDNESS_P80("80th percentile of loudness"),
    LOUDNESS_RANGE_P20_P80("loudness range between the 20th and 80th percentiles"),
    LOUDNESS_RISING_SLOPE("mean rising loudness slope within active runs (1/s)"),
    LOUDNESS_FALLING_SLOPE("mean falling loudness slope within active runs (1/s)"),
    LOUDNESS_PEAKS_PER_SECOND("peaks of the smoothed loudness contour per second (syllable-rate proxy)"),
    ENERGY_DB_MEAN("mean frame energy of active frames (dB full scale)"),
    ENERGY_DB_STD("standard deviation of frame energy (dB)"),
    ENERGY_DB_RANGE_P05_P95("frame energy range between the 5th and 95th percentiles (dB)"),

    ACTIVE_RATIO("active frames / all frames after trimming digital silence"),
    VOICED_RATIO("voiced frames / active frames"),
    VOICED_RUNS_PER_SECOND("voiced runs per second (speaking-rate proxy)"),
    VOICED_RUN_MEAN("mean length of voiced runs (s)"),
    VOICED_RUN_STD("standard deviation of voiced run length (s)"),
    UNVOICED_RUN_MEAN("mean length of the gaps between voiced runs (s)"),
    UNVOICED_RUN_STD("standard deviation of those gaps (s)"),

    JITTER_LOCAL("cycle-to-cycle period perturbation / mean period"),
    SHIMMER_LOCAL_DB("cycle-to-cycle peak level perturbation (dB)"),
    HNR_MEAN("mean harmonics-to-noise ratio of voiced frames, from the autocorrelation at the period (dB)"),
    HNR_STD("standard deviation of HNR (dB)"),
    H1_H2_MEAN("mean level difference of the first two harmonics in voiced frames (dB)"),
    H1_H2_STD("standard deviation of H1-H2 (dB)"),

    CENTROID_MEAN("mean spectral centroid of active frames (Hz)"),
    CENTROID_STD("standard deviation of the spectral centroid (Hz)"),
    ROLLOFF85_MEAN("mean frequency below which 85% of the power lies (Hz)"),
    ROLLOFF85_STD("standard deviation of the 85% roll-off (Hz)"),
    FLUX_MEAN("mean spectral flux: mean squared change of log mel energies between active frames"),
    FLUX_STD("standard deviation of the spectral flux"),
    FLATNESS_MEAN("mean mel-spectral flatness (log of geometric / arithmetic mean)"),
    FLATNESS_STD("standard deviation of the mel-spectral flatness"),
    SLOPE_0_500_VOICED_MEAN("mean spectral slope 0-500 Hz of voiced frames (dB/kHz)"),
    SLOPE_0_500_VOICED_STD("standard deviation of the 0-500 Hz slope of voiced frames (dB/kHz)"),
    SLOPE_500_1500_VOICED_MEAN("mean spectral slope 500-1500 Hz of voiced frames (dB/kHz)"),
    SLOPE_500_1500_VOICED_STD("standard deviation of the 500-1500 Hz slope of voiced frames (dB/kHz)"),
    ALPHA_RATIO_VOICED_MEAN("mean alpha ratio of voiced frames: power 50-1000 Hz over 1-5 kHz (dB)"),
    ALPHA_RATIO_VOICED_STD("standard deviation of the alpha ratio of voiced frames (dB)"),
    HAMMARBERG_VOICED_MEAN("mean Hammarberg index of voiced frames: peak power 0-2 kHz over 2-5 kHz (dB)"),
    HAMMARBERG_VOICED_STD("standard deviation of the Hammarberg index of voiced frames (dB)"),
    ALPHA_RATIO_UNVOICED_MEAN("mean alpha ratio of active unvoiced frames (dB)"),
    HAMMARBERG_UNVOICED_MEAN("mean Hammarberg index of active unvoiced frames (dB)"),
    SLOPE_500_1500_UNVOICED_MEAN("mean spectral slope 500-1500 Hz of active unvoiced frames (dB/kHz)"),

    MFCC1_MEAN("mean MFCC 1 of active frames"), MFCC2_MEAN("mean MFCC 2"), MFCC3_MEAN("mean MFCC 3"),
    MFCC4_MEAN("mean MFCC 4"), MFCC5_MEAN("mean MFCC 5"), MFCC6_MEAN("mean MFCC 6"),
    MFCC7_MEAN("mean MFCC 7"), MFCC8_MEAN("mean MFCC 8"), MFCC9_MEAN("mean MFCC 9"),
    MFCC10_MEAN("mean MFCC 10"), MFCC11_MEAN("mean MFCC 11"), MFCC12_MEAN("mean MFCC 12"),
    MFCC1_STD("standard deviation of MFCC 1"), MFCC2_STD("standard deviation of MFCC 2"),
    MFCC3_STD("standard deviation of MFCC 3"), MFCC4_STD("standard deviation of MFCC 4"),
    MFCC5_STD("standard deviation of MFCC 5"), MFCC6_STD("standard deviation of MFCC 6"),
    MFCC7_STD("standard deviation of MFCC 7"), MFCC8_STD("standard deviation of MFCC 8"),
    MFCC9_STD("standard deviation of MFCC 9"), MFCC10_STD("standard deviation of MFCC 10"),
    MFCC11_STD("standard deviation of MFCC 11"), MFCC12_STD("standard deviation of MFCC 12"),
    MFCC1_DELTA_STD("standard deviation of the delta (regression over +-2 frames) of MFCC 1"),
    MFCC2_DELTA_STD("standard deviation of delta MFCC 2"), MFCC3_DELTA_STD("standard deviation of delta MFCC 3"),
    MFCC4_DELTA_STD("standard deviation of delta MFCC 4"), MFCC5_DELTA_STD("standard deviation of delta MFCC 5"),
    MFCC6_DELTA_STD("standard deviation of delta MFCC 6"), MFCC7_DELTA_STD("standard deviation of delta MFCC 7"),
    MFCC8_DELTA_STD("standard deviation of delta MFCC 8"), MFCC9_DELTA_STD("standard deviation of delta MFCC 9"),
    MFCC10_DELTA_STD("standard deviation of delta MFCC 10"), MFCC11_DELTA_STD("standard deviation of delta MFCC 11"),
    MFCC12_DELTA_STD("standard deviation of delta MFCC 12");

    /** Number of dimensions. */
    public static final int COUNT = values().length;

    private final String description;

    ProsodyFeature(String description) {
        this.description = description;
    }

    /** What the dimension measures, in words. */
    public String description() {
        return description;
    }

    /** Stable name used in the standardisation file and the docs, e.g. {@code f0_mean}. */
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }
}
