package io.mister.app.runner;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What an exception that escapes a stream thread does. Poison records never get here (InputGate
 * sends them to the dead-letter topic); what does is a bug or an infrastructure failure. The
 * default replaces the thread a few times per window (transient failures heal) and then shuts the
 * client down, which fails the liveness probe so the orchestrator restarts the instance rather than
 * looping forever.
 */
public final class UncaughtExceptionPolicy implements StreamsUncaughtExceptionHandler {

    /** The configured policy (errors.uncaught.policy). */
    public enum Mode { REPLACE_THREAD, SHUTDOWN_CLIENT, SHUTDOWN_APPLICATION }

    private static final Logger LOG = LoggerFactory.getLogger(UncaughtExceptionPolicy.class);

    private final String stage;
    private final Mode mode;
    private final int maxReplacements;
    private final Duration window;
    private final Clock clock;
    private final Deque<Long> replacements = new ArrayDeque<>();

    public UncaughtExceptionPolicy(String stage, Mode mode, int maxReplacements, Duration window, Clock clock) {
        this.stage = stage;
        this.mode = mode;
        this.maxReplacements = maxReplacements;
        this.window = window;
        this.clock = clock;
    }

    public static Mode parse(String value) {
        return Mode.valueOf(value.toUpperCase(java.util.Locale.ROOT).replace('-', '_'));
    }

    @Override
    public synchronized StreamThreadExceptionResponse handle(Throwable exception) {
        StreamThreadExceptionResponse response = decide();
        LOG.error("Stage {}: uncaught exception in a stream thread; response {}", stage, response, exception);
        return response;
    }

    private StreamThreadExceptionResponse decide() {
        switch (mode) {
            case SHUTDOWN_APPLICATION:
                return StreamThreadExceptionResponse.SHUTDOWN_APPLICATION;
            case SHUTDOWN_CLIENT:
                return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
            default:
                long now = clock.millis();
                while (!replacements.isEmpty() && now - replacements.peekFirst() > window.toMillis()) {
                    replacements.removeFirst();
                }
                if (replacements.size() >= maxReplacements) {
                    return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
                }
                replacements.addLast(now);
                return StreamThreadExceptionResponse.REPLACE_THREAD;
        }
    }
}
