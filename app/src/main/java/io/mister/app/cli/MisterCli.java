package io.mister.app.cli;

import io.mister.app.stages.MissingModelException;
import io.mister.processor.inference.ModelMismatchException;
import org.apache.kafka.common.config.ConfigException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The one executable ({@code bin/mister}): demo, run, encode, rescore, evaluate, bench. Exit codes
 * are those of {@link ExitCodes}.
 */
@Command(name = "mister", mixinStandardHelpOptions = true, version = "mister 0.1.0",
        description = "Streaming speech-text emotion recognition (MiSTER-E) on Kafka Streams.",
        subcommands = {DemoCommand.class, RunCommand.class, EncodeCommand.class, RescoreCommand.class, EvaluateCommand.class,
                BenchCommand.class, CommandLine.HelpCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:done, or stopped on request", "1:a stage failed or the work could not be completed",
                "2:bad command line", "3:invalid configuration", "4:model file missing or not matching",
                "5:evaluation below the requested threshold"})
public final class MisterCli implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /** The command line with every subcommand registered and exceptions mapped to exit codes. */
    public static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new MisterCli());
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            commandLine.getErr().println("mister: " + e.getMessage());
            if (e instanceof ConfigException) {
                return ExitCodes.CONFIG;
            }
            if (e instanceof MissingModelException || e instanceof ModelMismatchException) {
                return ExitCodes.MODEL;
            }
            e.printStackTrace(commandLine.getErr());
            return ExitCodes.FAILURE;
        });
        return cli;
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }
}
