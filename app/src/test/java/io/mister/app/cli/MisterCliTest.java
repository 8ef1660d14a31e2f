package io.mister.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class MisterCliTest {

    private record Run(int exit, String out, String err) {}

    private static Run run(String... args) {
        CommandLine cli = MisterCli.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        int exit = cli.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    @Test
    void everySubcommandHasHelp() {
        for (String command : new String[] {"demo", "run", "encode", "rescore", "evaluate", "bench"}) {
            Run help = run(command, "--help");
            assertThat(help.exit()).as(command).isZero();
            assertThat(help.out()).as(command).contains("Usage: mister " + command);
        }
        assertThat(run("--help").out()).contains("demo", "run", "encode", "rescore", "evaluate", "bench", "Exit codes");
    }

    @Test
    void badUsageExitsTwoAndBadConfigurationExitsThree() {
        assertThat(run("run", "--no-such-flag").exit()).isEqualTo(ExitCodes.USAGE);
        Run badConfig = run("run", "--set", "serde.mode=json");
        assertThat(badConfig.exit()).isEqualTo(ExitCodes.CONFIG);
        assertThat(badConfig.err()).contains("serde.mode");
    }

    @Test
    void aMissingModelExitsFourWithAHint() {
        Run missing = run("run", "--stage", "processor", "--set", "model.path=/nonexistent/head.onnx", "--serde-mode", "single-object");
        assertThat(missing.exit()).isEqualTo(ExitCodes.MODEL);
        assertThat(missing.err()).contains("/nonexistent/head.onnx").contains("training");
    }
}
