package io.mister.app.cli;

import picocli.CommandLine;

/** Registers subcommands that other modules contribute (the encoders module's `encode`). */
final class SubcommandRegistry {

    private SubcommandRegistry() {}

    static void registerOptional(CommandLine cli) {
        // Added when the encoders module's EncodeCommand is merged.
    }
}
