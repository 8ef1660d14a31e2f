package io.mister.app.observability;

import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.mister.app.runner.RunningStage;
import java.util.ArrayList;
import java.util.List;

/**
 * The Prometheus registry of the process: JVM figures plus, per running stage, every Kafka Streams
 * metric, which includes the stages' own sensors (dead letters, inference latency) because they are
 * registered through Kafka Streams' metrics.
 */
public final class Metrics implements AutoCloseable {

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final List<KafkaStreamsMetrics> binders = new ArrayList<>();

    public Metrics() {
        registry.config().commonTags("application", "mister");
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
    }

    public PrometheusMeterRegistry registry() {
        return registry;
    }

    /** Binds a stage's Kafka Streams metrics (tagged with the stage name). */
    public synchronized void bind(RunningStage stage) {
        KafkaStreamsMetrics binder = new KafkaStreamsMetrics(stage.streams(),
                List.of(io.micrometer.core.instrument.Tag.of("stage", stage.name())));
        binder.bindTo(registry);
        binders.add(binder);
    }

    @Override
    public synchronized void close() {
        binders.forEach(KafkaStreamsMetrics::close);
        binders.clear();
        registry.close();
    }
}
