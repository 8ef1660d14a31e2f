package io.mister.app.bench;

import io.mister.app.UntrainedHead;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.mister.app.cli.MisterCli;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** `bench processor --quick`: the processor benchmarks and the embedded-broker run produce their figures. */
class BenchCommandTest {

    @TempDir
    Path dir;

    @Test
    void processorBenchWritesItsFiguresAsJson() throws Exception {
        Path json = dir.resolve("bench.json");
        CommandLine cli = MisterCli.commandLine();
        StringWriter out = new StringWriter();
        cli.setOut(new PrintWriter(out));
        int exit = cli.execute("bench", "processor", "--quick", "--doc", "none", "--json", json.toString(),
                "--model", UntrainedHead.PATH, "--set", "inference.device=cpu",
                "--set", "encoder.text=" + UntrainedHead.TEXT_ENCODER);
        assertThat(exit).as(out.toString()).isZero();
        @SuppressWarnings("unchecked")
        Map<String, Object> figures = new ObjectMapper().readValue(json.toFile(), Map.class);
        assertThat(figures).containsKeys("host", "processor", "processor_broker");
        @SuppressWarnings("unchecked")
        Map<String, Object> broker = (Map<String, Object>) figures.get("processor_broker");
        assertThat(broker.get("final_events")).isEqualTo(broker.get("turns"));
        assertThat(((Number) broker.get("broker_turns_per_s")).doubleValue()).isPositive();
        assertThat((List<?>) broker.get("broker_rounds")).hasSize(1); // --quick: one round
        assertThat(((Number) broker.get("ratio_to_raw_head")).doubleValue()).isPositive();
        assertThat(out.toString()).contains("raw head").contains("processor on an embedded broker");
    }
}
