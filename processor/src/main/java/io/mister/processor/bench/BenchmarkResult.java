package io.mister.processor.bench;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * What {@link ProcessorBenchmark} measured.
 *
 * @param rawHeadTurnsPerSecond turns per second when the same windows (provisional and final) go straight to the
 *     head in batches
 * @param topologyTurnsPerSecond turns per second through the emotion topology (TopologyTestDriver, RocksDB):
 *     provisional and final events
 * @param ratio topology / raw head
 * @param p99Ms 99th percentile of a turn's time from entering the topology to its provisional event
 * @param turns turns fed to each path
 * @param windowTurns W
 * @param batchSize windows per head call
 * @param modelVersion the head measured
 * @param rawTurnsScored real (unpadded) turns the raw path gave the head, summed over its calls
 * @param topologyTurnsScored the same for the topology (its {@code turns-scored-total}): equal when both
 *     paths make the same head calls
 */
public record BenchmarkResult(
        @JsonProperty("raw_head_turns_per_s") double rawHeadTurnsPerSecond,
        @JsonProperty("topology_turns_per_s") double topologyTurnsPerSecond,
        @JsonProperty("ratio") double ratio,
        @JsonProperty("p99_ms") double p99Ms,
        @JsonProperty("turns") int turns,
        @JsonProperty("window_turns") int windowTurns,
        @JsonProperty("batch_size") int batchSize,
        @JsonProperty("model_version") String modelVersion,
        @JsonProperty("raw_turns_scored") long rawTurnsScored,
        @JsonProperty("topology_turns_scored") long topologyTurnsScored) {

    public String summary() {
        return String.format(java.util.Locale.ROOT,
                "model %s, %d turns, W=%d, batch=%d: raw head %.0f turns/s, topology %.0f turns/s, ratio %.2f, p99 %.1f ms",
                modelVersion, turns, windowTurns, batchSize, rawHeadTurnsPerSecond, topologyTurnsPerSecond, ratio, p99Ms);
    }
}
