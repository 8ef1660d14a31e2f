package io.mister.encoder.speech;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.List;

/**
 * Per-dimension mean and standard deviation that map raw {@link ProsodyFeature} values to the
 * embedding: {@code z = (x - mean) / std}, clipped to +-{@value #CLIP}. Part of the model: fitted
 * once on training speakers by {@link StandardizationFitter} and shipped as a resource, never
 * recomputed at run time. An undefined raw value (NaN) becomes 0, the training mean, and the clip
 * keeps freak inputs (clicks, pure tones) from producing values a downstream model never saw.
 *
 * @param mean     per-dimension mean
 * @param std      per-dimension standard deviation (positive)
 * @param fittedOn what the statistics were computed from, for the record
 */
public record Standardization(double[] mean, double[] std, String fittedOn) {

    /** Largest magnitude of a standardised value. */
    public static final double CLIP = 10;
    /** The shipped statistics of {@code mister-prosody@1}. */
    public static final String DEFAULT_RESOURCE = "prosody-standardization.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    public Standardization {
        if (mean.length != ProsodyFeature.COUNT || std.length != ProsodyFeature.COUNT) {
            throw new IllegalArgumentException("standardisation needs " + ProsodyFeature.COUNT
                    + " means and deviations, got " + mean.length + " and " + std.length);
        }
        for (int i = 0; i < std.length; i++) {
            if (!(std[i] > 0) || !Double.isFinite(mean[i]) || !Double.isFinite(std[i])) {
                throw new IllegalArgumentException("bad statistics for " + ProsodyFeature.values()[i].key()
                        + ": mean " + mean[i] + ", std " + std[i]);
            }
        }
    }

    /** The identity mapping (mean 0, std 1): the embedding is the raw features, NaN as 0, clipped. */
    public static Standardization identity() {
        double[] mean = new double[ProsodyFeature.COUNT];
        double[] std = new double[ProsodyFeature.COUNT];
        Arrays.fill(std, 1);
        return new Standardization(mean, std, "identity");
    }

    /** Fits on raw feature vectors, ignoring undefined values; a constant dimension gets std 1. */
    public static Standardization fit(List<double[]> rawVectors, String fittedOn) {
        int dim = ProsodyFeature.COUNT;
        double[] mean = new double[dim];
        double[] std = new double[dim];
        for (int d = 0; d < dim; d++) {
            double sum = 0;
            int n = 0;
            for (double[] v : rawVectors) {
                if (Double.isFinite(v[d])) {
                    sum += v[d];
                    n++;
                }
            }
            mean[d] = n == 0 ? 0 : sum / n;
            double ss = 0;
            for (double[] v : rawVectors) {
                if (Double.isFinite(v[d])) {
                    ss += (v[d] - mean[d]) * (v[d] - mean[d]);
                }
            }
            double sd = n < 2 ? 0 : Math.sqrt(ss / (n - 1));
            std[d] = sd > 1e-12 * Math.max(1, Math.abs(mean[d])) ? sd : 1;
        }
        return new Standardization(mean, std, fittedOn);
    }

    /** Standardises one raw vector. */
    public float[] apply(double[] raw) {
        float[] z = new float[raw.length];
        for (int i = 0; i < raw.length; i++) {
            double v = (raw[i] - mean[i]) / std[i];
            if (Double.isNaN(v)) {
                v = 0;
            }
            z[i] = (float) Math.max(-CLIP, Math.min(CLIP, v));
        }
        return z;
    }

    /** Loads the statistics shipped with this class. */
    public static Standardization loadDefault() {
        try (InputStream in = Standardization.class.getResourceAsStream(DEFAULT_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("resource " + DEFAULT_RESOURCE + " is missing beside "
                        + Standardization.class.getName());
            }
            return read(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads the JSON form written by {@link #toJson()}; features are matched by name. */
    public static Standardization read(InputStream in) throws IOException {
        JsonNode root = JSON.readTree(in);
        JsonNode features = root.path("features");
        double[] mean = new double[ProsodyFeature.COUNT];
        double[] std = new double[ProsodyFeature.COUNT];
        if (features.size() != ProsodyFeature.COUNT) {
            throw new IOException("expected " + ProsodyFeature.COUNT + " features, found " + features.size());
        }
        for (ProsodyFeature f : ProsodyFeature.values()) {
            JsonNode node = features.get(f.ordinal());
            if (!f.key().equals(node.path("name").asText())) {
                throw new IOException("feature " + f.ordinal() + " is '" + node.path("name").asText()
                        + "', expected '" + f.key() + "'");
            }
            mean[f.ordinal()] = node.path("mean").asDouble(Double.NaN);
            std[f.ordinal()] = node.path("std").asDouble(Double.NaN);
        }
        return new Standardization(mean, std, root.path("fitted_on").asText());
    }

    /** The JSON form: encoder identity, provenance and one {name, mean, std} per dimension, one per line. */
    public String toJson() {
        StringBuilder sb = new StringBuilder("{\n");
        sb.append("  \"encoder\": ").append(quote(ProsodySpeechEncoder.ID.tag())).append(",\n");
        sb.append("  \"dim\": ").append(ProsodyFeature.COUNT).append(",\n");
        sb.append("  \"fitted_on\": ").append(quote(fittedOn)).append(",\n");
        sb.append("  \"features\": [\n");
        for (ProsodyFeature f : ProsodyFeature.values()) {
            sb.append("    {\"name\": ").append(quote(f.key()))
                    .append(", \"mean\": ").append(mean[f.ordinal()])
                    .append(", \"std\": ").append(std[f.ordinal()])
                    .append(f.ordinal() + 1 < ProsodyFeature.COUNT ? "},\n" : "}\n");
        }
        return sb.append("  ]\n}\n").toString();
    }

    private static String quote(String s) {
        try {
            return JSON.writeValueAsString(s);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
