package io.mister.processor.query;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mister.processor.context.ContextStores;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.QueryableStoreTypes;

/**
 * Answers "what is the emotion timeline of this open conversation right now?" on any instance: finds the
 * instance that owns the conversation's partition (Kafka Streams metadata), reads the local store when
 * that is this instance, and otherwise asks the owner over HTTP ({@code GET
 * http://owner/conversations/{id}?local=true}). HTTP-agnostic: {@link TimelineHandler} mounts it.
 */
public final class TimelineQueries {

    /** Where a conversation's state lives; empty when not known yet (starting, rebalancing). */
    @FunctionalInterface
    public interface OwnerLocator {
        Optional<HostInfo> owner(String conversationId);
    }

    private final HostInfo self;
    private final OwnerLocator locator;
    private final LocalTimelineReader local;
    private final HttpClient http;
    private final ObjectMapper json = new ObjectMapper();

    public TimelineQueries(HostInfo self, OwnerLocator locator, LocalTimelineReader local, HttpClient http) {
        this.self = self;
        this.locator = locator;
        this.local = local;
        this.http = http;
    }

    /** For a running application whose {@code application.server} is {@code self}. */
    public static TimelineQueries forStreams(KafkaStreams streams, HostInfo self, List<String> labels) {
        OwnerLocator locator = conversationId -> {
            KeyQueryMetadata metadata = streams.queryMetadataForKey(ContextStores.OUTPUTS, conversationId, Serdes.String().serializer());
            return metadata == null || metadata.equals(KeyQueryMetadata.NOT_AVAILABLE)
                    ? Optional.empty() : Optional.of(metadata.activeHost());
        };
        LocalTimelineReader reader = new LocalTimelineReader(() -> streams.store(
                StoreQueryParameters.fromNameAndType(ContextStores.OUTPUTS, QueryableStoreTypes.keyValueStore())), labels);
        return new TimelineQueries(self, locator, reader, HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build());
    }

    /** The timeline as JSON, from wherever the conversation lives; empty when it has no open state. */
    public Optional<String> timelineJson(String conversationId) {
        HostInfo owner = locator.owner(conversationId)
                .orElseThrow(() -> new TimelineUnavailableException("No instance owns " + conversationId + " right now", null));
        return owner.equals(self) ? localTimelineJson(conversationId) : forward(owner, conversationId);
    }

    /** This instance's own view (what the owner answers to a forwarded query). */
    public Optional<String> localTimelineJson(String conversationId) {
        List<Timeline.Entry> entries;
        try {
            entries = local.read(conversationId);
        } catch (InvalidStateStoreException e) {
            throw new TimelineUnavailableException("The state store is not queryable right now: " + e.getMessage(), e);
        }
        if (entries.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(json.writeValueAsString(new Timeline(conversationId, self.host() + ":" + self.port(), entries)));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot write the timeline as JSON", e);
        }
    }

    private Optional<String> forward(HostInfo owner, String conversationId) {
        URI uri = URI.create("http://" + owner.host() + ":" + owner.port() + TimelineHandler.PATH
                + URLEncoder.encode(conversationId, StandardCharsets.UTF_8).replace("+", "%20") + "?local=true");
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            return switch (response.statusCode()) {
                case 200 -> Optional.of(response.body());
                case 404 -> Optional.empty();
                default -> throw new TimelineUnavailableException("Owner " + owner + " answered " + response.statusCode(), null);
            };
        } catch (IOException e) {
            throw new TimelineUnavailableException("Owner " + owner + " is unreachable: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TimelineUnavailableException("Interrupted while asking " + owner, e);
        }
    }
}
