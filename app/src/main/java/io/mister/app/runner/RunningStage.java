package io.mister.app.runner;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KafkaStreams.State;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A started stage: its streams client and the state the health endpoints report. */
public final class RunningStage {

    private static final Logger LOG = LoggerFactory.getLogger(RunningStage.class);

    private final StreamsStage stage;
    private final String applicationId;
    private final KafkaStreams streams;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final CountDownLatch runningOnce = new CountDownLatch(1);
    private volatile State state = State.CREATED;
    private volatile boolean closing;

    RunningStage(StreamsStage stage, String applicationId, KafkaStreams streams) {
        this.stage = stage;
        this.applicationId = applicationId;
        this.streams = streams;
    }

    void onStateChange(State newState, State oldState) {
        state = newState;
        LOG.info("Stage {} ({}): {} -> {}", stage.name(), applicationId, oldState, newState);
        if (newState == State.RUNNING) {
            runningOnce.countDown();
        }
        if (newState == State.NOT_RUNNING || newState == State.ERROR) {
            stopped.countDown();
            runningOnce.countDown();
        }
    }

    public String name() {
        return stage.name();
    }

    public String applicationId() {
        return applicationId;
    }

    public KafkaStreams streams() {
        return streams;
    }

    public State state() {
        return state;
    }

    /** Alive unless it failed, or stopped without being asked to (the orchestrator should restart it). */
    public boolean isLive() {
        return state != State.ERROR && state != State.PENDING_ERROR
                && !(state == State.NOT_RUNNING && !closing);
    }

    /** Ready when processing (RUNNING); rebalancing and restoring are not ready. */
    public boolean isReady() {
        return state == State.RUNNING;
    }

    /** Waits until the stage first reached RUNNING (or failed); true when it is running. */
    public boolean awaitRunning(Duration timeout) throws InterruptedException {
        runningOnce.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
        return state == State.RUNNING;
    }

    /** Blocks until the stage stopped by itself (error or shutdown). */
    public void awaitStopped() throws InterruptedException {
        stopped.await();
    }

    void close(Duration timeout) {
        closing = true;
        // Leave the group now rather than after the session timeout: the partitions move at once,
        // and a reset or rescore right after a stop sees no stale member.
        boolean clean = streams.close(new KafkaStreams.CloseOptions().leaveGroup(true).timeout(timeout));
        if (!clean) {
            LOG.warn("Stage {} did not stop within {}", stage.name(), timeout);
        }
        stage.close();
    }
}
