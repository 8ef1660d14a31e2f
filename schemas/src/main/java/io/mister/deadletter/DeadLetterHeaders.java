package io.mister.deadletter;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * The headers of a dead-letter record. The value is the original bytes, unchanged, so a fixed
 * record can be replayed to its source topic.
 */
public final class DeadLetterHeaders {

    public static final String REASON = "mister.dlq.reason";
    public static final String ERROR_CLASS = "mister.dlq.error.class";
    public static final String ERROR_MESSAGE = "mister.dlq.error.message";
    public static final String STAGE = "mister.dlq.stage";
    public static final String SOURCE_TOPIC = "mister.dlq.source.topic";
    public static final String SOURCE_PARTITION = "mister.dlq.source.partition";
    public static final String SOURCE_OFFSET = "mister.dlq.source.offset";

    /** Longest error message kept in a header; a header is not a log file. */
    static final int MAX_MESSAGE_CHARS = 2000;

    private DeadLetterHeaders() {}

    static Headers build(Headers original, DeadLetterReason reason, Throwable error, String stage,
                         String sourceTopic, int sourcePartition, long sourceOffset) {
        Headers headers = new RecordHeaders(original == null ? new Header[0] : original.toArray());
        put(headers, REASON, reason.name());
        put(headers, ERROR_CLASS, error == null ? "" : error.getClass().getName());
        String message = error == null || error.getMessage() == null ? reason.name() : error.getMessage();
        put(headers, ERROR_MESSAGE, message.length() > MAX_MESSAGE_CHARS ? message.substring(0, MAX_MESSAGE_CHARS) : message);
        put(headers, STAGE, stage);
        put(headers, SOURCE_TOPIC, sourceTopic == null ? "" : sourceTopic);
        put(headers, SOURCE_PARTITION, Integer.toString(sourcePartition));
        put(headers, SOURCE_OFFSET, Long.toString(sourceOffset));
        return headers;
    }

    private static void put(Headers headers, String key, String value) {
        headers.remove(key);
        headers.add(key, value.getBytes(StandardCharsets.UTF_8));
    }

    /** The last value of a header as a string, or null. */
    public static String read(Headers headers, String key) {
        Header header = headers.lastHeader(key);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
