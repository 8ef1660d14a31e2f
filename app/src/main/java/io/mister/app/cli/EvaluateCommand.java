package io.mister.app.cli;

import io.mister.app.config.MisterConfig;
import io.mister.app.evaluation.ConfusionMatrixImage;
import io.mister.app.evaluation.EvaluationResult;
import io.mister.app.evaluation.LiveEvaluation;
import io.mister.app.evaluation.MeldCsv;
import io.mister.app.evaluation.OfflineEvaluation;
import io.mister.app.kafka.EmbeddedPipeline;
import io.mister.app.runner.ThrowAwayStateDir;
import io.mister.serde.EventSerdes;
import io.mister.topics.Topics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * Evaluates a model. Live: through the running pipeline (embedded by default, or a cluster with
 * --bootstrap-servers). Offline: an embeddings file scored by the processor's ConversationScorer.
 */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = {"Evaluate the model: live through the pipeline (--input MELD.csv), or offline on an embeddings",
                "file (--offline --model M.onnx --data F.avro). Prints weighted F1, accuracy, per-class F1 and",
                "confusion matrices for the final and the provisional outputs."})
public final class EvaluateCommand implements Callable<Integer> {

    @Mixin
    ConfigOptions configOptions;

    @Spec
    CommandSpec spec;

    @Option(names = "--offline", description = "Score an embeddings file directly (no Kafka).")
    boolean offline;

    @Option(names = "--model", paramLabel = "FILE", description = "The head (default: model.path).")
    Path model;

    @Option(names = "--data", paramLabel = "FILE", description = "Offline: Avro file of labelled UtteranceEmbedding records.")
    Path data;

    @Option(names = "--input", paramLabel = "CSV", description = "Live: MELD-format CSV of labelled dialogues.")
    Path input;

    @Option(names = "--audio-dir", paramLabel = "DIR", description = "Live: WAVs named dia<D>_utt<U>.wav (optional).")
    Path audioDir;

    @Option(names = "--limit", paramLabel = "N", description = "Live: only the first N dialogues.")
    Integer limit;

    @Option(names = "--save-embeddings", paramLabel = "FILE",
            description = "Live: also write the embeddings the encoder stage produced (with gold labels) to this Avro file.")
    Path saveEmbeddings;

    @Option(names = "--timeout", defaultValue = "PT10M", paramLabel = "DURATION",
            description = "Live: wait at most this long for the final events (default: ${DEFAULT-VALUE}).")
    Duration timeout;

    @Option(names = "--json", paramLabel = "FILE", description = "Write the figures as JSON (and the confusion matrix as FILE.png).")
    Path json;

    @Option(names = "--png", paramLabel = "FILE", description = "Confusion-matrix image of the final outputs (default: next to --json).")
    Path png;

    @Option(names = "--min-weighted-f1", paramLabel = "PERCENT", description = "Exit 5 when the final weighted F1 is below this.")
    Double minWeightedF1;

    @Override
    public Integer call() throws Exception {
        EvaluationResult result = offline ? offline() : live();
        spec.commandLine().getOut().print(result.toText());
        spec.commandLine().getOut().flush();
        if (json != null) {
            result.writeJson(json);
        }
        Path image = png != null ? png : json == null ? null : Path.of(json.toString().replaceAll("\\.json$", "") + ".png");
        if (image != null) {
            ConfusionMatrixImage.write(result.finals(), "final labels, " + result.modelVersion(), image);
        }
        if (minWeightedF1 != null && result.finals().weightedF1() < minWeightedF1) {
            return ExitCodes.BELOW_THRESHOLD;
        }
        int expectedTurns = (int) result.finals().count();
        Object withFinal = result.extra().get("turns_with_final");
        if (withFinal instanceof Integer n && n < expectedTurns) {
            spec.commandLine().getErr().printf("evaluate: only %d of %d turns received a final event%n", n, expectedTurns);
            return ExitCodes.FAILURE;
        }
        return ExitCodes.OK;
    }

    private EvaluationResult offline() throws Exception {
        if (data == null) {
            throw new ParameterException(spec.commandLine(), "--offline needs --data FILE.avro");
        }
        MisterConfig config = configOptions.load();
        Path head = model != null ? model : config.modelPath();
        requireFile(head, "model");
        requireFile(data, "data");
        return OfflineEvaluation.run(head, data, config.sessionSettings(), config.processorSettings().windowTurns(),
                config.processorSettings().batchSize());
    }

    private EvaluationResult live() throws Exception {
        if (input == null) {
            throw new ParameterException(spec.commandLine(), "live evaluation needs --input MELD.csv (or use --offline)");
        }
        requireFile(input, "input");
        List<MeldCsv.Conversation> conversations = MeldCsv.read(input);
        if (limit != null) {
            conversations = conversations.subList(0, Math.min(limit, conversations.size()));
        }
        if (configOptions.bootstrapServers == null) {
            // No cluster given: the whole pipeline in this process, as the demo runs it.
            try (ThrowAwayStateDir state = ThrowAwayStateDir.create("mister-evaluate-state-")) {
                Map<String, String> defaults = new java.util.HashMap<>(DemoDefaults.of(state.path()));
                defaults.put(MisterConfig.APPLICATION_ID_PREFIX, "mister-evaluate");
                MisterConfig config = configOptions.load(defaults);
                if (model != null) {
                    config = config.with(Map.of(MisterConfig.MODEL_PATH, model.toString()));
                }
                try (EmbeddedPipeline pipeline = EmbeddedPipeline.start(config)) {
                    return evaluate(pipeline.config(), pipeline.topics(), conversations);
                }
            }
        }
        MisterConfig config = configOptions.load();
        return evaluate(config, new Topics(config.topicNames(), new EventSerdes(config.serdeSettings())), conversations);
    }

    private EvaluationResult evaluate(MisterConfig config, Topics topics, List<MeldCsv.Conversation> conversations)
            throws Exception {
        return new LiveEvaluation(new LiveEvaluation.Settings(config.kafkaClientSettings(), topics, audioDir, timeout,
                saveEmbeddings)).run(conversations);
    }

    private void requireFile(Path file, String what) {
        if (!Files.isRegularFile(file)) {
            throw new ParameterException(spec.commandLine(), "No " + what + " file at " + file.toAbsolutePath());
        }
    }
}
