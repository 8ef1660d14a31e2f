package io.mister.app.cli;

import com.sun.net.httpserver.HttpHandler;
import io.mister.app.config.MisterConfig;
import io.mister.app.runner.RunningStage;
import io.mister.app.stages.ProcessorStage;
import io.mister.processor.query.TimelineHandler;
import io.mister.processor.query.TimelineQueries;
import java.net.InetAddress;
import java.net.UnknownHostException;
import org.apache.kafka.streams.state.HostInfo;

/** How this instance names itself to the others (application.server) and serves timeline queries. */
final class Advertising {

    private Advertising() {}

    static String hostPort(MisterConfig config, int port) {
        if (!config.advertisedHost().isBlank()) {
            return config.advertisedHost();
        }
        try {
            return InetAddress.getLocalHost().getHostName() + ":" + port;
        } catch (UnknownHostException e) {
            return "localhost:" + port;
        }
    }

    static HttpHandler timelineHandler(MisterConfig config, int port, RunningStage running, ProcessorStage processor) {
        HostInfo self = HostInfo.buildFromEndpoint(hostPort(config, port));
        return new TimelineHandler(TimelineQueries.forStreams(running.streams(), self,
                processor.model().currentSpec().labels()));
    }
}
