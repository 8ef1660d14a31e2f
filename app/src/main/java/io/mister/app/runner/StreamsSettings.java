package io.mister.app.runner;

import io.mister.app.config.MisterConfig;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.streams.StreamsConfig;

/**
 * Derives a stage's Kafka Streams properties from the one configuration: application id per stage,
 * exactly-once by default, state dir, threads and standbys, then every kafka.* client setting
 * (security) and the stage's and the operator's streams.* overrides, in that order.
 */
public final class StreamsSettings {

    private StreamsSettings() {}

    public static Properties forStage(MisterConfig config, StreamsStage stage) {
        return forStage(config, stage, config.applicationId(stage.name()));
    }

    public static Properties forStage(MisterConfig config, StreamsStage stage, String applicationId) {
        Properties props = new Properties();
        props.putAll(config.kafkaClientSettings());
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, config.processingGuarantee());
        props.put(StreamsConfig.STATE_DIR_CONFIG, config.stateDir().toString());
        props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, config.streamThreads());
        props.put(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG, config.standbyReplicas());
        // A new application reads its inputs from the beginning: nothing published is skipped.
        props.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
        if (config.topicReplicationFactor() > 0) {
            props.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, (int) config.topicReplicationFactor());
        }
        props.putAll(stage.streamsOverrides());
        props.putAll(config.streamsOverrides());
        return props;
    }
}
