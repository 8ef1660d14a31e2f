package io.mister.app.observability;

import com.sun.net.httpserver.HttpHandler;
import io.mister.app.config.MisterConfig;
import io.mister.app.runner.RunningStage;
import io.mister.app.runner.StageRunner;

/**
 * Metrics and health for a {@link StageRunner}: binds each started stage's Kafka Streams metrics and
 * serves them with the probes (when http.enabled).
 */
public final class ServiceEndpoint implements AutoCloseable {

    private final Metrics metrics = new Metrics();
    private final ObservabilityServer server;

    private ServiceEndpoint(MisterConfig config, StageRunner runner, HttpHandler conversations) {
        this.server = config.httpEnabled()
                ? ObservabilityServer.start(config.httpHost(), config.httpPort(), metrics.registry(),
                        new HealthCheck(runner::running), conversations)
                : null;
    }

    public static ServiceEndpoint start(MisterConfig config, StageRunner runner, HttpHandler conversations) {
        return new ServiceEndpoint(config, runner, conversations);
    }

    /**
     * Binds the stage's metrics once it first runs: the stages' own sensors are created when tasks
     * are assigned, and binding then shows them at once instead of after Micrometer's next refresh.
     */
    public void watch(RunningStage stage) {
        Thread binder = new Thread(() -> {
            try {
                stage.awaitRunning(java.time.Duration.ofMinutes(10));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            metrics.bind(stage);
        }, "mister-metrics-" + stage.name());
        binder.setDaemon(true);
        binder.start();
    }

    /** Serves the processor's timeline queries at /conversations/{id} (no-op when HTTP is disabled). */
    public void mountConversations(HttpHandler conversations) {
        if (server != null) {
            server.mountConversations(conversations);
        }
    }

    /** The bound port, or -1 when the endpoint is disabled. */
    public int port() {
        return server == null ? -1 : server.port();
    }

    public Metrics metrics() {
        return metrics;
    }

    @Override
    public void close() {
        if (server != null) {
            server.close();
        }
        metrics.close();
    }
}
