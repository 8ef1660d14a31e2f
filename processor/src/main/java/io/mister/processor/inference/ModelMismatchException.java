package io.mister.processor.inference;

/**
 * A head model does not fit the configured expectations (encoders, dimensions, labels) or breaks the
 * contract. At start-up it stops the application; on a hot swap the candidate is refused.
 */
public final class ModelMismatchException extends RuntimeException {
    public ModelMismatchException(String message) {
        super(message);
    }

    public ModelMismatchException(String message, Throwable cause) {
        super(message, cause);
    }
}
