package io.mister.app.runner;

import io.mister.app.config.MisterConfig;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.streams.KafkaStreams;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The framework layer: configures, starts, stops and resets any {@link StreamsStage} the same way.
 * Stages are started in the order given and stopped in reverse order, each with the uncaught
 * exception policy and a state listener the health endpoints read.
 */
public final class StageRunner implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(StageRunner.class);

    private final MisterConfig config;
    private final List<RunningStage> running = new ArrayList<>();
    private String applicationServer;

    public StageRunner(MisterConfig config) {
        this.config = config;
    }

    /** Creates the stages' topics when topics.create is on. */
    public void provisionTopics(List<? extends StreamsStage> stages) {
        if (!config.createTopics()) {
            return;
        }
        Set<String> topics = new LinkedHashSet<>();
        stages.forEach(s -> {
            topics.addAll(s.inputTopics());
            topics.addAll(s.outputTopics());
        });
        // embeddings-control must be co-partitioned with utterance-embeddings, which may predate it.
        String embeddings = config.topicNames().embeddings();
        String embeddingsControl = config.topicNames().embeddingsControl();
        boolean coPartitioned = topics.remove(embeddingsControl);
        try (Admin admin = Admin.create(config.kafkaClientSettings())) {
            TopicProvisioner provisioner = new TopicProvisioner(admin, config.topicPartitions(),
                    config.topicReplicationFactor());
            provisioner.ensure(topics);
            if (coPartitioned) {
                provisioner.ensureCoPartitioned(embeddingsControl, embeddings);
            }
        }
    }

    /**
     * The host:port of this instance's HTTP endpoint, given to Kafka Streams as application.server so
     * that interactive queries can find the instance owning a conversation.
     */
    public synchronized void advertise(String hostPort) {
        this.applicationServer = hostPort;
    }

    /** Starts one stage under its own application id ({@code <prefix>-<name>}). */
    public RunningStage start(StreamsStage stage) {
        return start(stage, config.applicationId(stage.name()));
    }

    /** Starts one stage under a given application id (rescore runs under its own). */
    public synchronized RunningStage start(StreamsStage stage, String applicationId) {
        Properties props = StreamsSettings.forStage(config, stage, applicationId);
        if (applicationServer != null) {
            props.put(org.apache.kafka.streams.StreamsConfig.APPLICATION_SERVER_CONFIG, applicationServer);
        }
        KafkaStreams streams = new KafkaStreams(stage.buildTopology(), props);
        RunningStage runningStage = new RunningStage(stage, applicationId, streams);
        streams.setUncaughtExceptionHandler(new UncaughtExceptionPolicy(stage.name(),
                UncaughtExceptionPolicy.parse(config.uncaughtPolicy()), config.maxThreadReplacements(),
                config.replacementWindow(), Clock.systemUTC()));
        streams.setStateListener(runningStage::onStateChange);
        LOG.info("Starting stage {} as application {} ({}, state dir {})", stage.name(), applicationId,
                config.processingGuarantee(), config.stateDir());
        streams.start();
        running.add(runningStage);
        return runningStage;
    }

    /** Resets a stage's application (offsets, internal topics, local state) before it is started again. */
    public ApplicationReset.Report reset(StreamsStage stage, String applicationId, StartPosition start,
                                         Duration membersGone) {
        try (Admin admin = Admin.create(config.kafkaClientSettings())) {
            return new ApplicationReset(admin).reset(applicationId, stage.inputTopics(), start, config.stateDir(), membersGone);
        }
    }

    public synchronized List<RunningStage> running() {
        return List.copyOf(running);
    }

    /** Stops every stage, newest first, each within the shutdown timeout, then releases its resources. */
    @Override
    public synchronized void close() {
        Duration timeout = config.shutdownTimeout();
        for (int i = running.size() - 1; i >= 0; i--) {
            running.get(i).close(timeout);
        }
        running.clear();
    }
}
