package io.mister.app.cli;

/** Process exit codes of every command (documented in docs/cli.md). */
public final class ExitCodes {

    /** Done, or stopped on request (SIGTERM). */
    public static final int OK = 0;
    /** A stage failed at run time, or the work could not be completed. */
    public static final int FAILURE = 1;
    /** Bad command line (picocli's usage error). */
    public static final int USAGE = 2;
    /** Invalid configuration (unknown key, bad value, missing file). */
    public static final int CONFIG = 3;
    /** The model file is missing or does not match the contract. */
    public static final int MODEL = 4;
    /** An evaluation ran but its result is below a requested threshold. */
    public static final int BELOW_THRESHOLD = 5;

    private ExitCodes() {}
}
