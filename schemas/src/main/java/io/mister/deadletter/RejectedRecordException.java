package io.mister.deadletter;

/** Thrown by validation and business code when a record is final-bad: it goes to the dead-letter topic. */
public final class RejectedRecordException extends RuntimeException {

    private final DeadLetterReason reason;

    public RejectedRecordException(DeadLetterReason reason, String message) {
        this(reason, message, null);
    }

    public RejectedRecordException(DeadLetterReason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public DeadLetterReason reason() {
        return reason;
    }
}
