package io.mister.deadletter;

import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.ProcessorSupplier;
import org.apache.kafka.streams.processor.api.Record;

/**
 * The entry of a stage: takes raw bytes, decodes and validates them, forwards a typed record to the
 * {@code accepted} child and anything else, with the original bytes and the reason, to the
 * dead-letter child. One generic mechanism for every stage's input; a poison record never reaches
 * business code and never stops the stream thread. Built {@link #withRejectionNotices}, the gate also tells
 * the accepted child, with a {@link RejectedInput} under the record's key, that a record of that key was
 * dead-lettered (when the key is readable), for stages that count a key's records.
 *
 * @param <V> the decoded value type
 */
public final class InputGate<V> implements Processor<byte[], byte[], Object, Object> {

    /** Checks a decoded record; returns it (possibly normalised) or throws {@link RejectedRecordException}. */
    @FunctionalInterface
    public interface Validator<V> {
        V check(String key, V value);
    }

    private final String stage;
    private final Deserializer<V> deserializer;
    private final Validator<V> validator;
    private final String acceptedChild;
    private final String deadLetterChild;
    private final boolean rejectionNotices;
    private ProcessorContext<Object, Object> context;
    private DeadLetters deadLetters;

    public InputGate(String stage, Deserializer<V> deserializer, Validator<V> validator,
                     String acceptedChild, String deadLetterChild) {
        this(stage, deserializer, validator, acceptedChild, deadLetterChild, false);
    }

    private InputGate(String stage, Deserializer<V> deserializer, Validator<V> validator,
                      String acceptedChild, String deadLetterChild, boolean rejectionNotices) {
        this.rejectionNotices = rejectionNotices;
        this.stage = stage;
        this.deserializer = deserializer;
        this.validator = validator;
        this.acceptedChild = acceptedChild;
        this.deadLetterChild = deadLetterChild;
    }

    public static <V> ProcessorSupplier<byte[], byte[], Object, Object> supplier(
            String stage, Supplier<Deserializer<V>> deserializers, Validator<V> validator,
            String acceptedChild, String deadLetterChild) {
        return () -> new InputGate<>(stage, deserializers.get(), validator, acceptedChild, deadLetterChild);
    }

    /** Like {@link #supplier}, and each dead-lettered record with a key is also noticed to the accepted child. */
    public static <V> ProcessorSupplier<byte[], byte[], Object, Object> withRejectionNotices(
            String stage, Supplier<Deserializer<V>> deserializers, Validator<V> validator,
            String acceptedChild, String deadLetterChild) {
        return () -> new InputGate<>(stage, deserializers.get(), validator, acceptedChild, deadLetterChild, true);
    }

    @Override
    public void init(ProcessorContext<Object, Object> context) {
        this.context = context;
        this.deadLetters = new DeadLetters(context, stage, deadLetterChild);
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        String topic = context.recordMetadata().map(m -> m.topic()).orElse("");
        V value;
        try {
            value = deserializer.deserialize(topic, record.value());
        } catch (SerializationException e) {
            reject(record, DeadLetterReason.UNDECODABLE, e);
            return;
        }
        if (value == null) {
            // A tombstone carries nothing to score; say so rather than drop it.
            reject(record, DeadLetterReason.UNDECODABLE, new SerializationException("null value (tombstone) on an event topic"));
            return;
        }
        String key = record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8);
        V checked;
        try {
            checked = validator.check(key, value);
        } catch (RejectedRecordException e) {
            reject(record, e.reason(), e);
            return;
        }
        context.forward(new Record<>(key, (Object) checked, record.timestamp(), record.headers()), acceptedChild);
    }

    private void reject(Record<byte[], byte[]> record, DeadLetterReason reason, Exception cause) {
        deadLetters.send(record, record.key(), record.value(), reason, cause);
        if (rejectionNotices && record.key() != null) {
            context.forward(new Record<>(new String(record.key(), StandardCharsets.UTF_8), (Object) new RejectedInput(reason),
                    record.timestamp()), acceptedChild);
        }
    }
}
