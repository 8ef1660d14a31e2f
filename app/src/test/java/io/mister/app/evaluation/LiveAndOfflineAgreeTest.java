package io.mister.app.evaluation;

import io.mister.app.UntrainedHead;
import static org.assertj.core.api.Assertions.assertThat;

import io.mister.app.cli.MisterCli;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The same model scores the same turns the same way whether they stream through the pipeline or are
 * scored offline from the embeddings the encoder produced: live and offline report the same figures.
 */
class LiveAndOfflineAgreeTest {

    private static final String MODEL = UntrainedHead.PATH;

    @TempDir
    Path dir;

    @Test
    void liveAndOfflineReportTheSameWeightedF1OnASmallMeldSet() throws Exception {
        Path csv = dir.resolve("small.csv");
        List<String> lines = Files.readAllLines(Path.of("../../shared/data/meld/dev_sent_emo.csv"));
        // Header + the first 3 dialogues (about 25 turns).
        List<String> small = lines.stream().limit(1).toList();
        small = new java.util.ArrayList<>(small);
        for (String line : lines.subList(1, lines.size())) {
            small.add(line);
            if (small.size() > 30) {
                break;
            }
        }
        Files.write(csv, small);
        Path liveJson = dir.resolve("live.json");
        Path embeddings = dir.resolve("embeddings.avro");
        Path offlineJson = dir.resolve("offline.json");

        Run live = run("evaluate", "--input", csv.toString(), "--limit", "3", "--model", MODEL, "--json", liveJson.toString(),
                "--save-embeddings", embeddings.toString(), "--set", "inference.device=cpu",
                "--set", "encoder.text=" + UntrainedHead.TEXT_ENCODER);
        assertThat(live.exit()).as(live.err()).isZero();
        Run offline = run("evaluate", "--offline", "--model", MODEL, "--data", embeddings.toString(),
                "--json", offlineJson.toString(), "--set", "inference.device=cpu");
        assertThat(offline.exit()).as(offline.err()).isZero();

        @SuppressWarnings("unchecked") Map<String, Object> liveFigures = new ObjectMapper().readValue(liveJson.toFile(), Map.class);
        @SuppressWarnings("unchecked") Map<String, Object> offlineFigures = new ObjectMapper().readValue(offlineJson.toFile(), Map.class);
        assertThat(liveFigures.get("turns")).isEqualTo(offlineFigures.get("turns"));
        assertThat((Integer) liveFigures.get("turns")).isGreaterThan(10);
        assertThat(liveFigures.get("weighted_f1")).isEqualTo(offlineFigures.get("weighted_f1"));
        assertThat(liveFigures.get("accuracy")).isEqualTo(offlineFigures.get("accuracy"));
        assertThat(liveFigures.get("confusion_matrix")).isEqualTo(offlineFigures.get("confusion_matrix"));
        assertThat(liveFigures.get("provisional_weighted_f1")).isEqualTo(offlineFigures.get("provisional_weighted_f1"));
        assertThat(liveFigures).containsKeys("e2e_p50_ms", "e2e_p99_ms", "final_events", "accuracy");
        assertThat(((Number) liveFigures.get("final_events")).intValue()).isEqualTo(liveFigures.get("turns"));
        assertThat(offlineFigures).containsKeys("macro_f1", "per_class_f1");
        assertThat(dir.resolve("offline.png")).exists();
        // Not a trivial agreement: the (untrained) head spreads its predictions over several labels.
        @SuppressWarnings("unchecked") List<List<Integer>> matrix = (List<List<Integer>>) liveFigures.get("confusion_matrix");
        long predictedLabels = java.util.stream.IntStream.range(0, matrix.size())
                .filter(c -> matrix.stream().mapToInt(row -> row.get(c)).sum() > 0).count();
        assertThat(predictedLabels).isGreaterThanOrEqualTo(2);
    }

    /** A command's exit code and what it printed on standard error (the failure message names the cause). */
    private record Run(int exit, String err) {}

    private static Run run(String... args) {
        CommandLine cli = MisterCli.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err, true));
        int exit = cli.execute(args);
        System.out.println(out);
        return new Run(exit, err.toString());
    }
}
