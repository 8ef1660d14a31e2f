package io.mister.app.kafka;

import io.mister.app.config.MisterConfig;
import io.mister.app.observability.ConversationQueries;
import io.mister.app.observability.ServiceEndpoint;
import io.mister.app.runner.RunningStage;
import io.mister.app.runner.StageRunner;
import io.mister.app.runner.StreamsStage;
import io.mister.app.stages.PipelineStages;
import io.mister.app.stages.ProcessorStage;
import io.mister.topics.Topics;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The whole pipeline in this process: an embedded broker, topics created, both stages running, the
 * metrics/health endpoint. What `demo`, `evaluate` (without --bootstrap-servers) and `bench` use.
 */
public final class EmbeddedPipeline implements AutoCloseable {

    private final EmbeddedKafka kafka;
    private final MisterConfig config;
    private final PipelineStages pipeline;
    private final StageRunner runner;
    private final ServiceEndpoint endpoint;
    private final String modelVersion;

    private EmbeddedPipeline(EmbeddedKafka kafka, MisterConfig config, PipelineStages pipeline, StageRunner runner,
                             ServiceEndpoint endpoint, String modelVersion) {
        this.kafka = kafka;
        this.config = config;
        this.pipeline = pipeline;
        this.runner = runner;
        this.endpoint = endpoint;
        this.modelVersion = modelVersion;
    }

    /** Starts broker and stages and waits until both stages run. */
    public static EmbeddedPipeline start(MisterConfig base) throws IOException, InterruptedException {
        EmbeddedKafka kafka = EmbeddedKafka.start();
        StageRunner runner = null;
        ServiceEndpoint endpoint = null;
        try {
            MisterConfig config = base.with(Map.of(MisterConfig.BOOTSTRAP_SERVERS, kafka.bootstrapServers(),
                    MisterConfig.TOPICS_CREATE, "true"));
            Files.createDirectories(config.stateDir());
            PipelineStages pipeline = new PipelineStages(config);
            List<StreamsStage> stages = pipeline.build(PipelineStages.Kind.ALL);
            String version = stages.stream().filter(s -> s instanceof ProcessorStage)
                    .map(s -> ((ProcessorStage) s).model().currentSpec().modelVersion()).findFirst().orElse("?");
            runner = new StageRunner(config);
            endpoint = ServiceEndpoint.start(config, runner, null);
            runner.provisionTopics(stages);
            if (endpoint.port() > 0) {
                runner.advertise(ConversationQueries.hostPort(config, endpoint.port()));
            }
            for (StreamsStage stage : stages) {
                RunningStage started = runner.start(stage);
                endpoint.watch(started);
                if (stage instanceof ProcessorStage processor && endpoint.port() > 0) {
                    endpoint.mountConversations(ConversationQueries.timelineHandler(config, endpoint.port(), started, processor));
                }
            }
            for (RunningStage running : runner.running()) {
                if (!running.awaitRunning(Duration.ofSeconds(120))) {
                    throw new IllegalStateException("Stage " + running.name() + " did not start: " + running.state());
                }
            }
            return new EmbeddedPipeline(kafka, config, pipeline, runner, endpoint, version);
        } catch (IOException | InterruptedException | RuntimeException e) {
            if (runner != null) {
                runner.close();
            }
            if (endpoint != null) {
                endpoint.close();
            }
            kafka.close();
            throw e;
        }
    }

    public String bootstrapServers() {
        return kafka.bootstrapServers();
    }

    public MisterConfig config() {
        return config;
    }

    public Topics topics() {
        return pipeline.topics();
    }

    public String modelVersion() {
        return modelVersion;
    }

    public StageRunner runner() {
        return runner;
    }

    public int httpPort() {
        return endpoint.port();
    }

    @Override
    public void close() {
        runner.close();
        endpoint.close();
        kafka.close();
    }
}
