package io.mister.app.observability;

import io.mister.app.runner.RunningStage;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * Liveness and readiness from the Kafka Streams states of the running stages. Live: no stage has
 * failed or stopped on its own (restart me otherwise). Ready: every stage is RUNNING.
 */
public final class HealthCheck {

    private final Supplier<List<RunningStage>> stages;

    public HealthCheck(Supplier<List<RunningStage>> stages) {
        this.stages = stages;
    }

    public boolean live() {
        return stages.get().stream().allMatch(RunningStage::isLive);
    }

    public boolean ready() {
        List<RunningStage> current = stages.get();
        return !current.isEmpty() && current.stream().allMatch(RunningStage::isReady);
    }

    /** A small JSON body: {"status":"UP","stages":{"encoder":"RUNNING",...}}. */
    public String describe(boolean up) {
        String states = stages.get().stream()
                .map(s -> "\"" + s.name() + "\":\"" + s.state() + "\"")
                .collect(Collectors.joining(","));
        return "{\"status\":\"" + (up ? "UP" : "DOWN") + "\",\"stages\":{" + states + "}}";
    }
}
