package io.mister.app.observability;

import com.sun.net.httpserver.HttpHandler;
import io.mister.app.config.MisterConfig;
import io.mister.app.runner.RunningStage;
import io.mister.app.stages.ProcessorStage;
import io.mister.processor.query.TimelineHandler;
import io.mister.processor.query.TimelineQueries;
import java.net.InetAddress;
import java.net.UnknownHostException;
import org.apache.kafka.streams.state.HostInfo;

/**
 * Interactive queries over HTTP: how this instance names itself to the others (Kafka Streams
 * application.server, so a query reaches the instance owning a conversation) and the processor's
 * timeline handler for /conversations/{id}.
 */
public final class ConversationQueries {

    private ConversationQueries() {}

    public static String hostPort(MisterConfig config, int port) {
        if (!config.advertisedHost().isBlank()) {
            return config.advertisedHost();
        }
        try {
            return InetAddress.getLocalHost().getHostName() + ":" + port;
        } catch (UnknownHostException e) {
            return "localhost:" + port;
        }
    }

    public static HttpHandler timelineHandler(MisterConfig config, int port, RunningStage running, ProcessorStage processor) {
        HostInfo self = HostInfo.buildFromEndpoint(hostPort(config, port));
        return new TimelineHandler(TimelineQueries.forStreams(running.streams(), self,
                processor.model().currentSpec().labels()));
    }
}
