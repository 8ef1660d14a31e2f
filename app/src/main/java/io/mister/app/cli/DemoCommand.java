package io.mister.app.cli;

import io.mister.app.config.MisterConfig;
import io.mister.app.demo.Demo;
import io.mister.app.runner.ThrowAwayStateDir;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The whole pipeline with no infrastructure (embedded Kafka), replaying the bundled conversations. */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Run the whole pipeline on an embedded Kafka (no infrastructure) and replay the bundled sample",
                "conversations with a live view of every turn's provisional, revised and final emotion."})
public final class DemoCommand implements Callable<Integer> {

    @Mixin
    ConfigOptions configOptions;

    @Option(names = "--model", paramLabel = "FILE", description = "The head to serve (default: model.path, models/mister-e-meld.onnx).")
    Path model;

    @Option(names = "--audio-dir", defaultValue = "app/target/demo-audio", paramLabel = "DIR",
            description = "WAVs written by app/demo/generate-audio.sh (default: ${DEFAULT-VALUE}).")
    Path audioDir;

    @Option(names = "--speed", defaultValue = "1.0", paramLabel = "X", description = "Replay speed; 1 = real time (default: ${DEFAULT-VALUE}).")
    double speed;

    @Option(names = "--plain", description = "One line per event instead of the redrawn screen (for logs).")
    boolean plain;

    @Option(names = "--timeout", defaultValue = "PT3M", paramLabel = "DURATION",
            description = "Give up waiting for final events after this long (default: ${DEFAULT-VALUE}).")
    Duration timeout;

    @Override
    public Integer call() throws Exception {
        if (speed <= 0) {
            throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this), "--speed must be > 0");
        }
        try (ThrowAwayStateDir state = ThrowAwayStateDir.create("mister-demo-state-")) {
            return run(state.path());
        }
    }

    private Integer run(Path stateDir) throws Exception {
        MisterConfig config = configOptions.load(DemoDefaults.of(stateDir));
        if (model != null) {
            config = config.with(Map.of(MisterConfig.MODEL_PATH, model.toString()));
        }
        if (!Files.isRegularFile(config.modelPath())) {
            System.out.printf("""
                    mister demo: no model at %s.
                      The demo serves the trained MiSTER-E head. Make it with the training kit
                      (training/train.sh, see docs/training.md), or point --model at an ONNX head
                      that follows docs/model-contract.md for the shipped encoders.%n""", config.modelPath().toAbsolutePath());
            return ExitCodes.MODEL;
        }
        Demo.Outcome outcome = new Demo(config, new Demo.Options(audioDir, speed, plain, timeout), System.out).run();
        return outcome.complete() ? ExitCodes.OK : ExitCodes.FAILURE;
    }
}
