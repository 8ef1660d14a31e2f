package io.mister.processor.query;

/** The owner of a conversation's state is not known or not reachable right now (e.g. during a rebalance); retry. */
public final class TimelineUnavailableException extends RuntimeException {
    public TimelineUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
