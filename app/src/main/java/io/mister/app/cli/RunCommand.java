package io.mister.app.cli;

import io.mister.app.config.MisterConfig;
import io.mister.app.observability.ConversationQueries;
import io.mister.app.observability.ServiceEndpoint;
import io.mister.app.runner.RunningStage;
import io.mister.app.runner.StageRunner;
import io.mister.app.runner.StreamsStage;
import io.mister.app.stages.PipelineStages;
import io.mister.app.stages.ProcessorStage;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Runs pipeline stages against a Kafka cluster until SIGTERM (graceful) or a stage fails. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Run the encoder and/or processor stage against bootstrap.servers until stopped (SIGTERM).")
public final class RunCommand implements Callable<Integer> {

    private static final Logger LOG = LoggerFactory.getLogger(RunCommand.class);

    @Mixin
    ConfigOptions configOptions;

    @Option(names = "--stage", defaultValue = "all", paramLabel = "STAGE",
            description = "encoder, processor or all (default: ${DEFAULT-VALUE}).")
    String stage;

    @Override
    public Integer call() throws Exception {
        MisterConfig config = configOptions.load();
        PipelineStages.Kind kind = PipelineStages.Kind.valueOf(stage.toUpperCase(java.util.Locale.ROOT));
        PipelineStages pipeline = new PipelineStages(config);
        List<StreamsStage> stages = pipeline.build(kind);
        CountDownLatch stop = new CountDownLatch(1);
        StageRunner runner = new StageRunner(config);
        ServiceEndpoint endpoint = ServiceEndpoint.start(config, runner, null);
        Thread hook = new Thread(() -> {
            LOG.info("Shutdown requested: stopping stages gracefully");
            stop.countDown();
            runner.close();
            endpoint.close();
        }, "mister-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        runner.provisionTopics(stages);
        if (endpoint.port() > 0) {
            runner.advertise(ConversationQueries.hostPort(config, endpoint.port()));
        }
        for (StreamsStage s : stages) {
            RunningStage started = runner.start(s);
            endpoint.watch(started);
            if (s instanceof ProcessorStage processor) {
                endpoint.mountConversations(ConversationQueries.timelineHandler(config, endpoint.port(), started, processor));
            }
        }
        // Wait until a stage stops by itself (failure) or the shutdown hook runs.
        for (RunningStage running : runner.running()) {
            Thread watcher = new Thread(() -> {
                try {
                    running.awaitStopped();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                stop.countDown();
            }, "mister-watch-" + running.name());
            watcher.setDaemon(true);
            watcher.start();
        }
        stop.await();
        boolean failed = runner.running().stream().anyMatch(r -> !r.isLive());
        if (failed) {
            LOG.error("A stage stopped with an error; exiting");
            Runtime.getRuntime().removeShutdownHook(hook);
            runner.close();
            endpoint.close();
            return ExitCodes.FAILURE;
        }
        return ExitCodes.OK;
    }
}
