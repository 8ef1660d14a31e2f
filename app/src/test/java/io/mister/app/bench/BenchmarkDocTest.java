package io.mister.app.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BenchmarkDocTest {

    @TempDir
    Path dir;

    @Test
    void aSectionIsAppendedOnceThenReplacedInPlaceLeavingTheRestAlone() throws Exception {
        Path doc = dir.resolve("benchmarks.md");
        Files.writeString(doc, "# Benchmarks\n\nHand-written notes.\n");
        BenchmarkDoc.writeSection(doc, "processor", "## Processor\n\nfirst run");
        BenchmarkDoc.writeSection(doc, "encoders", "## Encoders\n\nfirst run");
        BenchmarkDoc.writeSection(doc, "processor", "## Processor\n\nsecond run");
        String text = Files.readString(doc);
        assertThat(text).startsWith("# Benchmarks\n\nHand-written notes.\n");
        assertThat(text).contains("second run").doesNotContain("## Processor\n\nfirst run");
        assertThat(text.indexOf("<!-- bench:processor -->")).isLessThan(text.indexOf("<!-- bench:encoders -->"));
        assertThat(text.split("<!-- bench:processor -->", -1)).hasSize(2);
    }
}
