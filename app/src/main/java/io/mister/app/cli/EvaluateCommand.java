package io.mister.app.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** Placeholder until its stage dependencies are merged. */
@Command(name = "evaluate", mixinStandardHelpOptions = true, description = "Evaluate (not wired yet).")
public final class EvaluateCommand implements Callable<Integer> {

    @Mixin
    ConfigOptions configOptions;

    @Override
    public Integer call() {
        return ExitCodes.FAILURE;
    }
}
