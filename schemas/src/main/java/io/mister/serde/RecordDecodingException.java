package io.mister.serde;

import org.apache.kafka.common.errors.SerializationException;

/**
 * The one exception for bytes that cannot be turned into a record. It is final for the record (a
 * retry cannot help), so stages route it to their dead-letter topic; a registry outage is not
 * this exception (it is a retriable {@link org.apache.kafka.common.KafkaException}).
 */
public final class RecordDecodingException extends SerializationException {

    /** Why decoding failed; also the value of the dead-letter reason header. */
    public enum Reason {
        /** Null or zero-length value where a record was expected. */
        EMPTY,
        /** The bytes do not start with the framing of the configured mode (a foreign producer). */
        NOT_FRAMED,
        /** The framing names a schema (fingerprint or registry id) that is unknown. */
        UNKNOWN_SCHEMA,
        /** The writer schema is known but the payload is truncated or corrupt. */
        CORRUPT_PAYLOAD
    }

    private final Reason reason;

    public RecordDecodingException(Reason reason, String message, Throwable cause) {
        super(reason + ": " + message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
