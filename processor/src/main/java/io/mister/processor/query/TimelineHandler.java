package io.mister.processor.query;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * {@code GET /conversations/{id}} for the JDK HTTP server: 200 with the timeline JSON, 404 when the
 * conversation has no open state, 503 while its owner is unknown or unreachable (retry), 405/400 for bad
 * requests. {@code ?local=true} answers from this instance only (used between instances).
 * Mount with {@code server.createContext(TimelineHandler.PATH, new TimelineHandler(queries))}.
 */
public final class TimelineHandler implements HttpHandler {

    public static final String PATH = "/conversations/";

    private final TimelineQueries queries;

    public TimelineHandler(TimelineQueries queries) {
        this.queries = queries;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            if (!"GET".equals(exchange.getRequestMethod())) {
                respond(exchange, 405, "{\"error\":\"only GET\"}");
                return;
            }
            String rawPath = exchange.getRequestURI().getRawPath();
            String id = rawPath.startsWith(PATH) ? URLDecoder.decode(rawPath.substring(PATH.length()), StandardCharsets.UTF_8) : "";
            if (id.isBlank() || id.contains("/")) {
                respond(exchange, 400, "{\"error\":\"expected /conversations/{id}\"}");
                return;
            }
            boolean localOnly = "local=true".equals(exchange.getRequestURI().getRawQuery());
            try {
                Optional<String> timeline = localOnly ? queries.localTimelineJson(id) : queries.timelineJson(id);
                if (timeline.isPresent()) {
                    respond(exchange, 200, timeline.get());
                } else {
                    respond(exchange, 404, "{\"error\":\"no open conversation with this id\"}");
                }
            } catch (TimelineUnavailableException e) {
                respond(exchange, 503, "{\"error\":\"timeline temporarily unavailable, retry\"}");
            }
        }
    }

    private static void respond(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
