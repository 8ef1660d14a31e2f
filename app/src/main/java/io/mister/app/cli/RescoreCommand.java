package io.mister.app.cli;

import io.mister.app.config.MisterConfig;
import io.mister.app.runner.ApplicationReset;
import io.mister.app.runner.CatchUp;
import io.mister.app.runner.RunningStage;
import io.mister.app.runner.StageRunner;
import io.mister.app.runner.StartPosition;
import io.mister.app.runner.TopicProvisioner;
import io.mister.app.stages.PipelineStages;
import io.mister.app.stages.ProcessorStage;
import io.mister.processor.ProcessorMetrics;
import io.mister.processor.ProcessorSettings;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.admin.Admin;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * Re-scores history: replays utterance-embeddings and embeddings-control together through a given model into a
 * target topic, as its own application (own id, own reset, own state), so the live processor is not
 * disturbed. Stops when it has caught up with the input as it was at start, unless --follow.
 */
@Command(name = "rescore", mixinStandardHelpOptions = true,
        description = "Replay utterance-embeddings and embeddings-control through a model file into a target topic (a separate application).")
public final class RescoreCommand implements Callable<Integer> {

    @Mixin
    ConfigOptions configOptions;

    @Spec
    CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "FILE", description = "The ONNX head to score with.")
    Path model;

    @Option(names = "--to", defaultValue = "emotions-rescored", paramLabel = "TOPIC",
            description = "Target topic (default: ${DEFAULT-VALUE}; e.g. emotions-v2). Dead letters go to TOPIC-dlq.")
    String target;

    @Option(names = "--application-id", paramLabel = "ID",
            description = "Application id of this replay (default: <application.id.prefix>-rescore-<TOPIC>).")
    String applicationId;

    @ArgGroup(exclusive = true)
    Start start = new Start();

    /** Where the replay starts (one of). */
    static final class Start {
        @Option(names = "--from-beginning", description = "Replay from the first retained record (the default).")
        boolean beginning;

        @Option(names = "--from-offset", paramLabel = "N", description = "Replay from offset N in every partition.")
        Long offset;

        @Option(names = "--from-timestamp", paramLabel = "ISO-8601",
                description = "Replay from the first record at or after this time, e.g. 2026-11-01T00:00:00Z.")
        Instant timestamp;

        StartPosition position() {
            if (offset != null) {
                return new StartPosition.AtOffset(offset);
            }
            if (timestamp != null) {
                return new StartPosition.AtTimestamp(timestamp);
            }
            return new StartPosition.Earliest();
        }
    }

    @Option(names = "--follow", description = "Keep running after catching up (until SIGTERM).")
    boolean follow;

    @Option(names = "--timeout", defaultValue = "PT30M", paramLabel = "DURATION",
            description = "Give up catching up after this long (ISO-8601 duration, default ${DEFAULT-VALUE}).")
    Duration timeout;

    @Override
    public Integer call() throws Exception {
        MisterConfig config = configOptions.load();
        return rescore(config, model, target, applicationId == null ? config.applicationId("rescore-" + target) : applicationId,
                start.position(), follow, timeout, spec.commandLine().getOut());
    }

    /** The whole replay; also used by tests and the integration test. */
    public static int rescore(MisterConfig config, Path model, String target, String applicationId, StartPosition from,
                              boolean follow, Duration timeout, PrintWriter out) throws Exception {
        if (target.equals(config.topicNames().emotions()) && applicationId.equals(config.applicationId("processor"))) {
            throw new IllegalArgumentException("rescore must not run under the live processor's application id");
        }
        try (ProcessorStage stage = new PipelineStages(config).rescore(model, target);
             StageRunner runner = new StageRunner(config)) {
            try (Admin admin = Admin.create(config.kafkaClientSettings())) {
                int partitions = admin.describeTopics(List.of(config.topicNames().embeddings())).allTopicNames().get()
                        .get(config.topicNames().embeddings()).partitions().size();
                TopicProvisioner provisioner = new TopicProvisioner(admin, partitions, config.topicReplicationFactor());
                provisioner.ensure(stage.outputTopics());
                // History written before embeddings-control existed has no control events to replay.
                provisioner.ensureCoPartitioned(config.topicNames().embeddingsControl(), config.topicNames().embeddings());
            }
            ApplicationReset.Report report = runner.reset(stage, applicationId, from, Duration.ZERO);
            out.printf("rescore: %s replays %s from %s with %s into %s%n", applicationId, stage.inputTopics(), from,
                    model, target);
            out.printf("rescore: reset %d partition offsets, deleted %s%n", report.offsets().size(), report.deletedTopics());
            out.flush();
            CatchUp catchUp;
            try (Admin admin = Admin.create(config.kafkaClientSettings())) {
                catchUp = CatchUp.toCurrentEnd(admin, applicationId, stage.inputTopics());
                RunningStage running = runner.start(stage, applicationId);
                if (follow) {
                    running.awaitStopped();
                    return running.isLive() ? ExitCodes.OK : ExitCodes.FAILURE;
                }
                // Caught up means processed: every conversation whose ENDED and announced turns were replayed
                // has been finalised (an ENDED waits for its turns by count, not by wall clock).
                boolean done = catchUp.await(timeout, Duration.ofMillis(500));
                out.printf("rescore: %s%n", done ? "caught up" : "not caught up within " + timeout);
                out.flush();
                if (done) {
                    done = awaitEndedConversations(running, config, out);
                }
                out.printf("rescore: %s%n", done ? "stopping" : "stopping with conversations not finalised");
                out.flush();
                return done && running.isLive() ? ExitCodes.OK : ExitCodes.FAILURE;
            }
        }
    }

    /**
     * A replay that starts inside a conversation (or whose history lost a turn) replays ENDEDs announcing
     * turns that never come; each waits processor.end-wait.ms, then the conversation is finalised with what it
     * has. Stopping right at catch-up would leave those without finals, so wait for them: the processor's
     * {@value ProcessorMetrics#ENDS_WAITING} gauge, bounded by the end wait plus a few checks of it. Events of
     * work still out on the scoring threads at catch-up ({@value ProcessorMetrics#EVENTS_PENDING}) are waited for too.
     */
    private static boolean awaitEndedConversations(RunningStage running, MisterConfig config, PrintWriter out)
            throws InterruptedException {
        ProcessorSettings settings = config.processorSettings();
        long deadline = System.nanoTime() + settings.endWait().plus(settings.inactivityCheckInterval().multipliedBy(3)).toNanos();
        int waiting = gauge(running, ProcessorMetrics.ENDS_WAITING);
        if (waiting > 0) {
            out.printf("rescore: %d conversations wait for turns their ENDED announced (at most %s)%n", waiting,
                    settings.endWait());
            out.flush();
        }
        int pending = gauge(running, ProcessorMetrics.EVENTS_PENDING);
        while ((waiting > 0 || pending > 0) && System.nanoTime() < deadline && running.isLive()) {
            Thread.sleep(200); // gauges of the stage's own metrics: polled, nothing to block on
            waiting = gauge(running, ProcessorMetrics.ENDS_WAITING);
            pending = gauge(running, ProcessorMetrics.EVENTS_PENDING);
        }
        return waiting == 0 && pending == 0;
    }

    /** A processor gauge summed over the stage's tasks. */
    private static int gauge(RunningStage running, String name) {
        return (int) running.streams().metrics().entrySet().stream()
                .filter(m -> m.getKey().group().equals(ProcessorMetrics.GROUP) && m.getKey().name().equals(name))
                .mapToDouble(m -> ((Number) m.getValue().metricValue()).doubleValue())
                .filter(Double::isFinite).sum();
    }
}
