package io.mister.app.cli;

import io.mister.app.UntrainedHead;
import static org.assertj.core.api.Assertions.assertThat;

import io.mister.app.kafka.EmbeddedKafka;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `mister run` as its own process: becomes ready, serves metrics and queries, and stops gracefully on SIGTERM. */
class RunCommandTest {

    @TempDir
    Path dir;

    @Test
    void runBecomesReadyAndShutsDownGracefullyOnSigterm() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        Path log = dir.resolve("run.log");
        try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
            String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
            Path java = Path.of(System.getProperty("java.home"), "bin", "java");
            ProcessBuilder builder = new ProcessBuilder(List.of(java.toString(), "-Xmx1g",
                    "-Dorg.apache.avro.SERIALIZABLE_PACKAGES=io.mister.events", "-cp", classpath,
                    MisterCli.class.getName(), "run", "--stage", "processor",
                    "--bootstrap-servers", kafka.bootstrapServers(), "--serde-mode", "single-object",
                    "--state-dir", dir.resolve("state").toString(),
                    "--set", "model.path=" + UntrainedHead.PATH, "--set", "encoder.text=" + UntrainedHead.TEXT_ENCODER,
                    "--set", "inference.device=cpu", "--set", "topics.create=true",
                    "--set", "http.host=127.0.0.1", "--set", "http.port=" + port,
                    "--set", "http.advertised-host=127.0.0.1:" + port))
                    .redirectErrorStream(true).redirectOutput(log.toFile());
            builder.environment().put("MISTER_LOG_FORMAT", "plain");
            Process process = builder.start();
            try {
                HttpClient http = HttpClient.newHttpClient();
                long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
                int ready = 0;
                while (ready != 200 && process.isAlive() && System.nanoTime() < deadline) {
                    try {
                        ready = get(http, port, "/health/ready").statusCode();
                    } catch (java.io.IOException notListeningYet) {
                        // the process is still starting
                    }
                    process.waitFor(250, TimeUnit.MILLISECONDS); // readiness poll of another process
                }
                assertThat(ready).as(Files.readString(log)).isEqualTo(200);
                // Metrics are bound as the stage starts running: give the binder its moment.
                String scrape = get(http, port, "/metrics").body();
                for (int i = 0; i < 100 && !scrape.contains("mister_processor"); i++) {
                    process.waitFor(100, TimeUnit.MILLISECONDS);
                    scrape = get(http, port, "/metrics").body();
                }
                // Kafka Streams' own metrics and the processor's custom sensors (group mister-processor).
                assertThat(scrape).contains("kafka_stream_thread").contains("mister_processor");
                assertThat(get(http, port, "/health/live").statusCode()).isEqualTo(200);
                assertThat(get(http, port, "/conversations/nobody").statusCode()).isEqualTo(404);

                process.destroy(); // SIGTERM
                assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
                String output = Files.readString(log);
                assertThat(output).contains("Shutdown requested").contains("PENDING_SHUTDOWN -> NOT_RUNNING");
                assertThat(process.exitValue()).isEqualTo(143); // 128 + SIGTERM, after the shutdown hook ran
            } finally {
                process.destroyForcibly();
            }
        }
    }

    private static HttpResponse<String> get(HttpClient http, int port, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

}
