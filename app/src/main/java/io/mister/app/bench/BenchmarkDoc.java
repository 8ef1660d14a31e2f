package io.mister.app.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes one section of docs/benchmarks.md between markers {@code <!-- bench:NAME -->} and
 * {@code <!-- /bench:NAME -->}, replacing what a previous run wrote and leaving the rest alone.
 */
public final class BenchmarkDoc {

    private BenchmarkDoc() {}

    public static void writeSection(Path doc, String name, String markdown) throws IOException {
        String begin = "<!-- bench:" + name + " -->";
        String end = "<!-- /bench:" + name + " -->";
        String block = begin + "\n" + markdown.strip() + "\n" + end;
        String text = Files.exists(doc) ? Files.readString(doc) : "# Benchmarks\n";
        int from = text.indexOf(begin);
        int to = text.indexOf(end);
        String updated = from >= 0 && to > from
                ? text.substring(0, from) + block + text.substring(to + end.length())
                : text.stripTrailing() + "\n\n" + block + "\n";
        Path parent = doc.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Files.writeString(doc, updated);
    }
}
