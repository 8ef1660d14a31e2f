package io.mister.testing;

import java.io.File;
import java.io.IOException;
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
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Starts a real Apicurio Registry server (in-memory storage) as a separate process on a free
 * loopback port, once per test JVM, and stops it when the JVM exits. The server is the Quarkus
 * runner that the schemas module's build unpacks from Maven Central into
 * {@code schemas/target/apicurio-registry}; system property {@code mister.registry.dir} overrides.
 */
public final class ApicurioRegistryExtension implements BeforeAllCallback {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(120);
    private static volatile String baseUrl;

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        start();
    }

    /** Base URL of the running registry, e.g. http://127.0.0.1:PORT. */
    public static String baseUrl() {
        if (baseUrl == null) {
            throw new IllegalStateException("Registry not started: annotate the test with @ExtendWith(ApicurioRegistryExtension.class)");
        }
        return baseUrl;
    }

    /** The core API URL the Apicurio serdes take. */
    public static String coreApiUrl() {
        return baseUrl() + "/apis/registry/v2";
    }

    /** The Confluent-compatible API. */
    public static String ccompatUrl() {
        return baseUrl() + "/apis/ccompat/v7";
    }

    private static synchronized void start() throws Exception {
        if (baseUrl != null) {
            return;
        }
        Path runner = findRunner();
        int port;
        try (ServerSocket socket = new ServerSocket(0, 0, java.net.InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        Path log = Files.createTempFile("apicurio-registry", ".log");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process process = new ProcessBuilder(List.of(java, "-Xmx512m",
                "-Dquarkus.http.port=" + port, "-Dquarkus.http.host=127.0.0.1",
                "-Dregistry.storage.kind=mem",
                "-jar", runner.toString()))
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            process.destroy();
            try {
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
            }
        }));
        String url = "http://127.0.0.1:" + port;
        awaitReady(process, url, log);
        baseUrl = url;
    }

    private static void awaitReady(Process process, String url, Path log) throws Exception {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest ready = HttpRequest.newBuilder(URI.create(url + "/health/ready")).timeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("Registry process exited with " + process.exitValue() + "; log:\n" + Files.readString(log));
            }
            try {
                if (client.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYetListening) {
                // the server is still starting
            }
            // Readiness poll of an external process: nothing to wait on but the port itself.
            process.waitFor(200, TimeUnit.MILLISECONDS);
        }
        process.destroyForcibly();
        throw new IllegalStateException("Registry not ready within " + START_TIMEOUT + "; log:\n" + Files.readString(log));
    }

    private static Path findRunner() {
        String override = System.getProperty("mister.registry.dir");
        List<Path> candidates = override != null ? List.of(Path.of(override))
                : List.of(Path.of("target/apicurio-registry"), Path.of("../schemas/target/apicurio-registry"),
                        Path.of("schemas/target/apicurio-registry"));
        for (Path dir : candidates) {
            File[] jars = dir.toFile().listFiles((d, name) -> name.endsWith("-runner.jar"));
            if (jars != null && jars.length == 1) {
                return jars[0].toPath();
            }
        }
        throw new IllegalStateException("Apicurio Registry runner not found in " + candidates
                + ": build the schemas module first (mvn -pl schemas generate-test-resources), which fetches it from Maven Central");
    }
}
