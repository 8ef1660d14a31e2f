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
 * business code and never stops the stream thread.
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
    private ProcessorContext<Object, Object> context;
    private DeadLetters deadLetters;

    public InputGate(String stage, Deserializer<V> deserializer, Validator<V> validator,
                     String acceptedChild, String deadLetterChild) {
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
            deadLetters.send(record, record.key(), record.value(), DeadLetterReason.UNDECODABLE, e);
            return;
        }
        if (value == null) {
            // A tombstone carries nothing to score; say so rather than drop it.
            deadLetters.send(record, record.key(), record.value(), DeadLetterReason.UNDECODABLE,
                    new SerializationException("null value (tombstone) on an event topic"));
            return;
        }
        String key = record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8);
        V checked;
        try {
            checked = validator.check(key, value);
        } catch (RejectedRecordException e) {
            deadLetters.send(record, record.key(), record.value(), e.reason(), e);
            return;
        }
        context.forward(new Record<>(key, (Object) checked, record.timestamp(), record.headers()), acceptedChild);
    }
}
