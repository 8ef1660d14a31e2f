package io.mister.processor.query;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.mister.processor.ProcessorSettings;
import io.mister.processor.context.ContextStores;
import io.mister.processor.inference.ModelHolder;
import io.mister.processor.support.EmotionDriver;
import io.mister.processor.support.Fixtures;
import io.mister.processor.support.Turns;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Optional;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two instances on real HTTP: the one that does not own the conversation forwards to the one that does. */
class TimelineQueriesTest {

    @TempDir
    Path stateDir;

    @Test
    void answersFromTheOwnerWhereverAsked() throws Exception {
        try (ModelHolder model = Fixtures.holder(Fixtures.TINY_HEAD);
             EmotionDriver d = new EmotionDriver(model, ProcessorSettings.defaults().withWindow(8, 2), stateDir)) {
            for (int seq = 0; seq < 3; seq++) {
                d.send(Turns.embedding("call 7", seq));
            }
            d.flushBatch();
            ReadOnlyKeyValueStore<Bytes, byte[]> store = d.driver.getKeyValueStore(ContextStores.OUTPUTS);
            LocalTimelineReader ownerStore = new LocalTimelineReader(() -> store, model.expectations().labels());
            LocalTimelineReader emptyStore = new LocalTimelineReader(() -> { throw new AssertionError("not the owner"); },
                    model.expectations().labels());

            HttpServer ownerServer = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            HttpServer otherServer = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            HostInfo owner = new HostInfo("127.0.0.1", ownerServer.getAddress().getPort());
            HostInfo other = new HostInfo("127.0.0.1", otherServer.getAddress().getPort());
            HttpClient http = HttpClient.newHttpClient();
            ownerServer.createContext(TimelineHandler.PATH,
                    new TimelineHandler(new TimelineQueries(owner, id -> Optional.of(owner), ownerStore, http)));
            otherServer.createContext(TimelineHandler.PATH,
                    new TimelineHandler(new TimelineQueries(other, id -> Optional.of(owner), emptyStore, http)));
            ownerServer.start();
            otherServer.start();
            try {
                HttpResponse<String> viaOther = http.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + other.port() + "/conversations/call%207")).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(viaOther.statusCode()).isEqualTo(200);
                JsonNode timeline = new ObjectMapper().readTree(viaOther.body());
                assertThat(timeline.get("conversationId").asText()).isEqualTo("call 7");
                assertThat(timeline.get("servedBy").asText()).isEqualTo("127.0.0.1:" + owner.port());
                assertThat(timeline.get("turns")).hasSize(3);
                assertThat(timeline.get("turns").get(2).get("seq").asLong()).isEqualTo(2);
                assertThat(timeline.get("turns").get(0).get("probabilities").size()).isEqualTo(7);

                HttpResponse<String> unknown = http.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + other.port() + "/conversations/nobody")).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(unknown.statusCode()).isEqualTo(404);
            } finally {
                ownerServer.stop(0);
                otherServer.stop(0);
            }
        }
    }
}
