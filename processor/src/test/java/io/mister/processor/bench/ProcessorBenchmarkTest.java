package io.mister.processor.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.mister.inference.SessionSettings;
import io.mister.processor.ProcessorSettings;
import io.mister.processor.support.Fixtures;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The benchmark runs end to end on the tiny head and reports consistent figures (not a performance test). */
class ProcessorBenchmarkTest {

    @TempDir
    Path stateDir;

    @Test
    void measuresBothPathsOnTheSameTurns() {
        BenchmarkResult result = ProcessorBenchmark.run(new ProcessorBenchmark.Options(Fixtures.TINY_HEAD, 4, 12,
                ProcessorSettings.defaults().withWindow(8, 2).withBatching(4, Duration.ofMillis(20)), SessionSettings.cpu(1), stateDir));

        assertThat(result.turns()).isEqualTo(48);
        assertThat(result.rawHeadTurnsPerSecond()).isPositive();
        assertThat(result.topologyTurnsPerSecond()).isPositive();
        assertThat(result.ratio()).isCloseTo(result.topologyTurnsPerSecond() / result.rawHeadTurnsPerSecond(),
                org.assertj.core.api.Assertions.within(1e-9));
        assertThat(result.p99Ms()).isPositive();
        // Same head work on both paths: causal windows (1..8 turns, then 8) plus each conversation scored whole.
        assertThat(result.rawTurnsScored()).isEqualTo(result.topologyTurnsScored()).isPositive();
        assertThat(result.modelVersion()).isEqualTo("tiny-1");
        assertThat(result.summary()).contains("ratio");
    }
}
