package io.mister.app.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.mister.app.bench.BenchmarkDoc;
import io.mister.app.bench.BrokerProcessorBench;
import io.mister.app.config.MisterConfig;
import io.mister.app.runner.ThrowAwayStateDir;
import io.mister.encoder.bench.EncoderBenchmark;
import io.mister.encoder.bench.EncoderBenchmarkResult;
import io.mister.encoder.speech.ProsodySpeechEncoder;
import io.mister.encoder.text.OnnxTextEncoder;
import io.mister.encoder.text.TextEncoders;
import io.mister.processor.bench.BenchmarkResult;
import io.mister.processor.bench.ProcessorBenchmark;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** Measures the encoders and the processor, prints the figures, updates docs/benchmarks.md. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"Benchmark the encoders (text and speech) and/or the processor (raw head, topology, and a run on an",
                "embedded broker with exactly-once). Prints the figures, writes docs/benchmarks.md sections and --json."})
public final class BenchCommand implements Callable<Integer> {

    /** What to measure. */
    enum Target { encoders, processor, all }

    @Mixin
    ConfigOptions configOptions;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", defaultValue = "all", description = "encoders, processor or all (default: ${DEFAULT-VALUE}).")
    Target target;

    @Option(names = "--model", paramLabel = "FILE", description = "Head for the processor benchmarks (default: model.path).")
    Path model;

    @Option(names = "--meld", defaultValue = "../shared/data/meld/dev_sent_emo.csv", paramLabel = "CSV",
            description = "Sentences for the text encoder (default: ${DEFAULT-VALUE}).")
    Path meld;

    @Option(names = "--wav-dir", defaultValue = "../shared/data/emodb/wav", paramLabel = "DIR",
            description = "Speech for the speech encoder (default: ${DEFAULT-VALUE}).")
    Path wavDir;

    @Option(names = "--quick", description = "Smaller runs (a smoke test, not figures to publish).")
    boolean quick;

    @Option(names = "--json", paramLabel = "FILE", description = "Write every figure as JSON.")
    Path json;

    @Option(names = "--doc", defaultValue = "docs/benchmarks.md", paramLabel = "FILE",
            description = "Markdown file whose bench sections are rewritten (default: ${DEFAULT-VALUE}); 'none' to skip.")
    String doc;

    /**
     * Rounds run and discarded before the broker path is measured: the JIT compiles broker and client code for
     * tens of seconds, and a first round measured 15-30 % below the later ones (docs/processor.md, "Performance").
     */
    static final int BROKER_WARMUP_ROUNDS = 3;

    @Override
    public Integer call() throws Exception {
        MisterConfig config = configOptions.load();
        PrintWriter out = spec.commandLine().getOut();
        Map<String, Object> figures = new LinkedHashMap<>();
        String host = String.format(Locale.ROOT, "%d cores, %s %s, Java %s", Runtime.getRuntime().availableProcessors(),
                System.getProperty("os.name"), System.getProperty("os.arch"), System.getProperty("java.version"));
        figures.put("host", host);
        if (target != Target.processor) {
            EncoderBenchmarkResult encoders = encoders(config);
            figures.put("encoders", encoders.asMap());
            out.println("encoders: " + encoders.asMap());
            section("encoders", "## Encoders (`mister bench encoders`)\n\n" + table(encoders.asMap(), host));
        }
        if (target != Target.encoders) {
            Path head = model != null ? model : config.modelPath();
            if (!Files.isRegularFile(head)) {
                out.printf("bench: no model at %s (use --model)%n", head.toAbsolutePath());
                return ExitCodes.MODEL;
            }
            Path state;
            ProcessorBenchmark.Options options;
            BenchmarkResult processor;
            try (ThrowAwayStateDir driverState = ThrowAwayStateDir.create("mister-bench-")) {
                state = driverState.path();
                ProcessorBenchmark.Options defaults = ProcessorBenchmark.Options.defaults(head, state);
                options = quick
                        ? new ProcessorBenchmark.Options(head, 4, 16, defaults.settings(), config.sessionSettings(), state)
                        : new ProcessorBenchmark.Options(head, defaults.conversations(), defaults.turnsPerConversation(),
                                defaults.settings(), config.sessionSettings(), state);
                processor = ProcessorBenchmark.run(options);
            }
            Map<String, Object> processorFigures = new ObjectMapper().convertValue(processor, Map.class);
            out.println("processor: " + processor.summary());
            Map<String, Object> broker = BrokerProcessorBench.runRounds(config, head, options.conversations(),
                    options.turnsPerConversation(), quick ? 0 : BROKER_WARMUP_ROUNDS, quick ? 1 : 3);
            // The production path against the head alone, both measured in this run.
            broker.put("ratio_to_raw_head", Math.round(((Number) broker.get("broker_turns_per_s")).doubleValue()
                    / processor.rawHeadTurnsPerSecond() * 100) / 100.0);
            out.println("processor on an embedded broker: " + broker);
            figures.put("processor", processorFigures);
            figures.put("processor_broker", broker);
            section("processor", "## Processor (`mister bench processor`)\n\n"
                    + "Same turns, model, W and batch on every path, and the same head calls (raw_turns_scored = "
                    + "topology_turns_scored): each turn's causal window in batches, plus each conversation scored whole "
                    + "for its finals. topology = TopologyTestDriver with RocksDB under exactly-once, state dir under " + state.getParent()
                    + "; the driver forces a checkpoint (RocksDB flush and fsync'd files) after every record, which a running "
                    + "instance never does, so this figure mostly measures that directory's fsync cost. "
                    + "Where the time goes: docs/processor.md, Performance.\n\n" + table(processorFigures, host)
                    + "\n\nOn an embedded single-node broker (same JVM and cores), exactly_once_v2, read_committed, all input "
                    + "produced before the stage starts; " + BROKER_WARMUP_ROUNDS + " warm-up rounds, then three rounds, each a new "
                    + "application reading the input from the start (one broker for all), the median round shown (broker_rounds: "
                    + "every measured round's turns/s); ratio_to_raw_head = broker_turns_per_s / raw_head_turns_per_s above:\n\n"
                    + table(broker, host));
        }
        if (json != null) {
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(json.toFile(), figures);
        }
        out.flush();
        return ExitCodes.OK;
    }

    private EncoderBenchmarkResult encoders(MisterConfig config) throws Exception {
        EncoderBenchmark.Settings settings = quick ? new EncoderBenchmark.Settings(8, 5, 64, 8, 2.0) : EncoderBenchmark.Settings.DEFAULTS;
        var sentences = EncoderBenchmark.meldSentences(meld);
        var audio = EncoderBenchmark.fixedLengthUtterances(wavDir, settings.speechUtterances(), settings.speechSeconds());
        try (OnnxTextEncoder text = TextEncoders.open(config.textEncoder(), config.sessionSettings());
             ProsodySpeechEncoder speech = new ProsodySpeechEncoder()) {
            return new EncoderBenchmark(settings).run(text, speech, sentences, audio, config.sessionSettings().intraOpThreads());
        }
    }

    private void section(String name, String markdown) throws Exception {
        if (!"none".equals(doc) && !quick) {
            BenchmarkDoc.writeSection(Path.of(doc), name, markdown);
        }
    }

    private static String table(Map<String, Object> figures, String host) {
        StringBuilder md = new StringBuilder("| figure | value |\n|---|---|\n");
        figures.forEach((k, v) -> md.append("| ").append(k).append(" | ")
                .append(v instanceof Double d ? String.format(Locale.ROOT, Math.abs(d) < 10 ? "%.2f" : "%.1f", d) : v).append(" |\n"));
        md.append("\nMeasured ").append(LocalDate.now()).append(" on ").append(host).append('.');
        return md.toString();
    }

}
