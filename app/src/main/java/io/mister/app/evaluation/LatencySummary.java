package io.mister.app.evaluation;

import java.util.Collection;

/** Percentiles of a set of latencies (nearest-rank method), in milliseconds. */
public final class LatencySummary {

    private final long[] sorted;

    public LatencySummary(Collection<Long> latenciesMs) {
        this.sorted = latenciesMs.stream().mapToLong(Long::longValue).sorted().toArray();
    }

    public int count() {
        return sorted.length;
    }

    /** The p-th percentile (0 < p <= 100) by nearest rank; 0 when empty. */
    public long percentile(double p) {
        if (p <= 0 || p > 100) {
            throw new IllegalArgumentException("percentile must be in (0, 100], was " + p);
        }
        if (sorted.length == 0) {
            return 0;
        }
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, rank - 1)];
    }

    public long max() {
        return sorted.length == 0 ? 0 : sorted[sorted.length - 1];
    }

    @Override
    public String toString() {
        return String.format("p50 %d ms, p90 %d ms, p99 %d ms, max %d ms (%d events)",
                percentile(50), percentile(90), percentile(99), max(), sorted.length);
    }
}
