package io.mister.app.observability;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operational HTTP endpoint (JDK HttpServer, no framework): {@code /metrics} for Prometheus,
 * {@code /health/live} and {@code /health/ready} for the orchestrator's probes, and optionally
 * {@code /conversations/} for the processor's interactive queries.
 */
public final class ObservabilityServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ObservabilityServer.class);

    private final HttpServer server;

    private ObservabilityServer(HttpServer server) {
        this.server = server;
    }

    /**
     * @param conversations the interactive-query handler mounted at /conversations/, or null
     */
    public static ObservabilityServer start(String host, int port, PrometheusMeterRegistry registry,
                                            HealthCheck health, HttpHandler conversations) {
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(host, port), 0);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot bind the HTTP endpoint to " + host + ":" + port, e);
        }
        server.createContext("/metrics", exchange -> respond(exchange, 200,
                "text/plain; version=0.0.4; charset=utf-8", registry.scrape()));
        server.createContext("/health/live", exchange -> {
            boolean up = health.live();
            respond(exchange, up ? 200 : 503, "application/json", health.describe(up));
        });
        server.createContext("/health/ready", exchange -> {
            boolean up = health.ready();
            respond(exchange, up ? 200 : 503, "application/json", health.describe(up));
        });
        if (conversations != null) {
            server.createContext("/conversations/", conversations);
        }
        server.setExecutor(Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "mister-http");
            t.setDaemon(true);
            return t;
        }));
        server.start();
        LOG.info("HTTP endpoint on {}:{} (/metrics, /health/live, /health/ready{})", host,
                server.getAddress().getPort(), conversations == null ? "" : ", /conversations/{id}");
        return new ObservabilityServer(server);
    }

    /** Mounts the interactive-query handler once the processor runs (its streams exist only then). */
    public void mountConversations(HttpHandler conversations) {
        server.createContext("/conversations/", conversations);
        LOG.info("Interactive queries at /conversations/{id}");
    }

    public int port() {
        return server.getAddress().getPort();
    }

    private static void respond(HttpExchange exchange, int status, String contentType, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
