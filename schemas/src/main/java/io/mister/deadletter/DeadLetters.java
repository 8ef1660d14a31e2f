package io.mister.deadletter;

import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.common.metrics.stats.CumulativeCount;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Sends rejected records to a processor's dead-letter child node and counts them. One instance per
 * processor instance, made in {@code init}. Every dead letter is counted by the metric
 * {@code dead-letters-total} (group {@value #METRIC_GROUP}, tag {@code stage}): nothing is dropped silently.
 */
public final class DeadLetters {

    public static final String METRIC_GROUP = "mister-dead-letters";

    private final ProcessorContext<?, ?> context;
    private final String stage;
    private final String childName;
    private final Sensor sensor;

    public DeadLetters(ProcessorContext<?, ?> context, String stage, String childName) {
        this.context = context;
        this.stage = stage;
        this.childName = childName;
        String sensorName = "dead-letters-" + stage + "-" + context.taskId();
        this.sensor = context.metrics().addSensor(sensorName, Sensor.RecordingLevel.INFO);
        Map<String, String> tags = Map.of("stage", stage, "task-id", context.taskId().toString(),
                "thread-id", Thread.currentThread().getName());
        sensor.add(new MetricName("dead-letters-total", METRIC_GROUP, "Records sent to the dead-letter topic", tags),
                new CumulativeCount());
    }

    /**
     * Forwards the original key and value bytes with headers naming the reason, the error, this stage
     * and the source position of the record being processed.
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public void send(Record<?, ?> current, byte[] key, byte[] value, DeadLetterReason reason, Throwable error) {
        Optional<RecordMetadata> metadata = context.recordMetadata();
        Record<byte[], byte[]> letter = new Record<>(key, value, current.timestamp(),
                DeadLetterHeaders.build(current.headers(), reason, error, stage,
                        metadata.map(RecordMetadata::topic).orElse(null),
                        metadata.map(RecordMetadata::partition).orElse(-1),
                        metadata.map(RecordMetadata::offset).orElse(-1L)));
        ((ProcessorContext) context).forward(letter, childName);
        sensor.record();
    }
}
