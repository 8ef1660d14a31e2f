package io.mister.app.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.mister.app.config.MisterConfig;
import io.mister.app.observability.HealthCheck;
import io.mister.app.observability.ObservabilityServer;
import io.mister.topics.TopicNames;
import java.io.IOException;
import java.lang.reflect.Method;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The Docker files, the compose file and the Kubernetes manifests agree with the application: the
 * variables they set are ones the configuration reads, the state volume is the configured state
 * dir, ports, probe paths, image names, application ids and topics match. Every manifest is read
 * into fabric8's typed Kubernetes model, and a field the model does not know fails the test.
 */
class DeploymentAgreesWithAppTest {

    private static final Path ROOT = Path.of("..");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);
    private static final String STATE_DIR = MisterConfig.DEFAULT_STATE_DIR;
    private static final String HTTP_PORT = String.valueOf(new MisterConfig(Map.of()).httpPort());
    /** Read by logback.xml rather than the config class (logging starts before the configuration). */
    private static final Set<String> LOGGING_VARIABLES = Set.of("MISTER_LOG_FORMAT", "MISTER_LOG_LEVEL", "MISTER_LOG_LEVEL_KAFKA");

    // ---------------------------------------------------------------- variables

    static boolean readByTheApp(String variable) throws IOException {
        Set<String> defined = MisterConfig.definition().names().stream().map(MisterConfig::environmentVariable)
                .collect(Collectors.toSet());
        if (defined.contains(variable)) {
            return true;
        }
        if (variable.startsWith("MISTER_KAFKA_") || variable.startsWith("MISTER_STREAMS_")
                || variable.startsWith("MISTER_APICURIO_REGISTRY_")) {
            return true; // pass-through prefixes
        }
        return LOGGING_VARIABLES.contains(variable)
                && Files.readString(ROOT.resolve("app/src/main/resources/logback.xml")).contains(variable);
    }

    @Test
    void logbackReallyReadsTheLoggingVariables() throws IOException {
        String logback = Files.readString(ROOT.resolve("app/src/main/resources/logback.xml"));
        LOGGING_VARIABLES.forEach(v -> assertThat(logback).contains("${" + v));
    }

    // ---------------------------------------------------------------- Docker

    @Test
    void dockerImagesRunTheThinJarAsNonRootWithTheConfiguredStateDirAndPort() throws IOException {
        String jar = "/opt/mister/mister-app.jar";
        assertThat(Files.readString(ROOT.resolve("app/pom.xml"))).contains("<finalName>mister-app</finalName>");
        for (String name : List.of("Dockerfile", "Dockerfile.cuda")) {
            Dockerfile docker = Dockerfile.parse(ROOT.resolve("docker").resolve(name));
            assertThat(docker.from()).as(name).hasSize(2); // multi-stage: Maven build, then runtime
            assertThat(docker.from().get(0)).startsWith("maven:");
            assertThat(docker.user()).as(name).isNotBlank().isNotIn("root", "0");
            assertThat(docker.entrypoint()).as(name).contains("-jar", jar, "-Dorg.apache.avro.SERIALIZABLE_PACKAGES=io.mister.events");
            assertThat(docker.volumes()).as(name).containsExactly(STATE_DIR);
            assertThat(docker.exposed()).as(name).containsExactly(HTTP_PORT);
            assertThat(docker.env()).as(name).containsEntry("MISTER_STATE_DIR", STATE_DIR).containsEntry("MISTER_HTTP_PORT", HTTP_PORT);
            for (String variable : docker.env().keySet()) {
                assertThat(readByTheApp(variable)).as(name + " sets " + variable).isTrue();
            }
        }
        assertThat(Dockerfile.parse(ROOT.resolve("docker/Dockerfile.cuda")).from().get(1)).startsWith("nvidia/cuda:");
        assertThat(Dockerfile.parse(ROOT.resolve("docker/Dockerfile.cuda")).env()).containsEntry("MISTER_INFERENCE_DEVICE", "cuda");
    }

    @Test
    void composeRunsBothStagesAgainstKafkaAndTheRegistryWithStateVolumesAndHealthChecks() throws IOException {
        // SnakeYAML resolves the merge keys (<<: *mister-env) as compose does; Jackson's YAML reader does not.
        JsonNode compose = new ObjectMapper().valueToTree(
                new org.yaml.snakeyaml.Yaml().load(Files.readString(ROOT.resolve("docker/compose.yaml"))));
        JsonNode services = compose.get("services");
        assertThat(services.has("kafka")).isTrue();
        assertThat(services.get("registry").get("image").asText()).startsWith("apicurio/apicurio-registry");
        String topicScript = services.get("topics").get("command").toString();
        TopicNames.DEFAULTS.all().forEach(topic -> assertThat(topicScript).contains(topic));
        String image = null;
        for (String stage : List.of("encoder", "processor")) {
            JsonNode service = services.get(stage);
            assertThat(service.get("command").toString()).contains("\"--stage\",\"" + stage + "\"");
            image = image == null ? service.get("image").asText() : image;
            assertThat(service.get("image").asText()).isEqualTo(image);
            Map<String, String> env = environment(service.get("environment"));
            env.keySet().forEach(v -> {
                try {
                    assertThat(readByTheApp(v)).as(stage + " sets " + v).isTrue();
                } catch (IOException e) {
                    throw new AssertionError(e);
                }
            });
            assertThat(env).containsEntry("MISTER_STATE_DIR", STATE_DIR).containsEntry("MISTER_HTTP_PORT", HTTP_PORT)
                    .containsEntry("MISTER_SERDE_MODE", "registry").containsKey("MISTER_REGISTRY_URL");
            List<String> volumes = new ArrayList<>();
            service.get("volumes").forEach(v -> volumes.add(v.asText()));
            assertThat(volumes).anyMatch(v -> v.endsWith(":" + STATE_DIR));
            List<String> ports = new ArrayList<>();
            service.get("ports").forEach(p -> ports.add(p.asText()));
            assertThat(ports).allMatch(p -> p.endsWith(":" + HTTP_PORT));
            assertThat(service.get("healthcheck").get("test").toString()).contains("localhost:" + HTTP_PORT + "/health/ready");
        }
        assertThat(image).isEqualTo("mister:" + projectVersion());
        assertThat(services.get("encoder").get("build").get("dockerfile").asText()).isEqualTo("docker/Dockerfile");
    }

    private static Map<String, String> environment(JsonNode node) {
        Map<String, String> env = new LinkedHashMap<>();
        node.fields().forEachRemaining(e -> env.put(e.getKey(), e.getValue().asText()));
        return env;
    }

    private static String projectVersion() throws IOException {
        String pom = Files.readString(ROOT.resolve("pom.xml"));
        int at = pom.indexOf("<version>") + "<version>".length();
        return pom.substring(at, pom.indexOf("</version>", at)).replace("-SNAPSHOT", "");
    }

    // ---------------------------------------------------------------- Kubernetes

    private record Manifests(Map<String, ConfigMap> configMaps, Map<String, StatefulSet> statefulSets,
                             Map<String, Service> services, Map<String, PodDisruptionBudget> budgets,
                             Map<String, JsonNode> scaledObjects) {}

    private static Manifests read(Path dir) throws IOException {
        Manifests m = new Manifests(new HashMap<>(), new HashMap<>(), new HashMap<>(), new HashMap<>(), new HashMap<>());
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
                Iterator<JsonNode> docs = new ObjectMapper(new YAMLFactory()).readerFor(JsonNode.class).readValues(file.toFile());
                while (docs.hasNext()) {
                    JsonNode doc = docs.next();
                    String kind = doc.path("kind").asText();
                    String name = doc.path("metadata").path("name").asText();
                    switch (kind) {
                        case "ConfigMap" -> m.configMaps().put(name, typed(doc, ConfigMap.class, file));
                        case "StatefulSet" -> m.statefulSets().put(name, typed(doc, StatefulSet.class, file));
                        case "Service" -> m.services().put(name, typed(doc, Service.class, file));
                        case "PodDisruptionBudget" -> m.budgets().put(name, typed(doc, PodDisruptionBudget.class, file));
                        case "ScaledObject" -> m.scaledObjects().put(name, scaledObject(doc, file));
                        case "Kustomization" -> kustomization(doc, file);
                        default -> throw new AssertionError(file + ": unexpected kind " + kind);
                    }
                }
            }
        }
        return m;
    }

    /** Reads a document into fabric8's model and fails on any field the model does not know. */
    private static <T> T typed(JsonNode doc, Class<T> type, Path file) throws IOException {
        T value = YAML.treeToValue(doc, type);
        List<String> unknown = new ArrayList<>();
        unknownFields(value, type.getSimpleName(), unknown);
        assertThat(unknown).as(file + ": fields unknown to the Kubernetes model").isEmpty();
        return value;
    }

    /** fabric8 models keep unknown fields in additionalProperties; walk the object graph for any. */
    private static void unknownFields(Object node, String path, List<String> found) {
        if (node == null || node instanceof String || node instanceof Number || node instanceof Boolean
                || node instanceof Quantity || node instanceof Enum<?>) {
            return;
        }
        if (node instanceof Collection<?> list) {
            int i = 0;
            for (Object item : list) {
                unknownFields(item, path + "[" + i++ + "]", found);
            }
            return;
        }
        if (node instanceof Map<?, ?> map) {
            map.forEach((k, v) -> unknownFields(v, path + "." + k, found));
            return;
        }
        if (!node.getClass().getPackageName().startsWith("io.fabric8")) {
            return;
        }
        for (Method getter : node.getClass().getMethods()) {
            if (getter.getParameterCount() != 0 || getter.getDeclaringClass() == Object.class
                    || !(getter.getName().startsWith("get"))) {
                continue;
            }
            try {
                Object value = getter.invoke(node);
                if (getter.getName().equals("getAdditionalProperties")) {
                    if (value instanceof Map<?, ?> extra && !extra.isEmpty()) {
                        found.add(path + ": " + extra.keySet());
                    }
                } else {
                    unknownFields(value, path + "." + getter.getName().substring(3), found);
                }
            } catch (ReflectiveOperationException e) {
                throw new AssertionError(e);
            }
        }
    }

    /** KEDA is not in fabric8's core model: check the fields KEDA's CRD defines for what we use. */
    private static JsonNode scaledObject(JsonNode doc, Path file) {
        assertThat(doc.get("apiVersion").asText()).as(file.toString()).isEqualTo("keda.sh/v1alpha1");
        Set<String> specFields = Set.of("scaleTargetRef", "minReplicaCount", "maxReplicaCount", "cooldownPeriod",
                "pollingInterval", "triggers", "advanced", "fallback", "idleReplicaCount");
        doc.get("spec").fieldNames().forEachRemaining(f -> assertThat(specFields).as(file + " spec." + f).contains(f));
        return doc;
    }

    private static void kustomization(JsonNode doc, Path file) {
        Set<String> fields = Set.of("apiVersion", "kind", "resources", "images", "patches", "labels", "namespace");
        doc.fieldNames().forEachRemaining(f -> assertThat(fields).as(file + " " + f).contains(f));
        for (String list : List.of("resources", "patches")) {
            doc.path(list).forEach(entry -> {
                String path = entry.isTextual() ? entry.asText() : entry.path("path").asText();
                assertThat(file.getParent().resolve(path)).as(file + " refers to " + path).exists();
            });
        }
    }

    @Test
    void baseManifestsAreValidAndAgreeWithTheConfiguration() throws IOException {
        Manifests base = read(ROOT.resolve("k8s/base"));
        ConfigMap config = base.configMaps().get("mister-config");
        Map<String, String> data = config.getData();
        for (String variable : data.keySet()) {
            assertThat(readByTheApp(variable)).as("ConfigMap sets " + variable).isTrue();
        }
        // The values themselves must pass the configuration's validation.
        Map<String, String> env = new HashMap<>(data);
        MisterConfig parsed = io.mister.app.config.ConfigLoader.load(null, env, Map.of());
        assertThat(parsed.stateDir().toString()).isEqualTo(STATE_DIR);
        assertThat(parsed.standbyReplicas()).isGreaterThanOrEqualTo(1);
        assertThat(parsed.processingGuarantee()).isEqualTo("exactly_once_v2");

        Map<String, String> inputTopic = Map.of("encoder", parsed.topicNames().utterances(),
                "processor", parsed.topicNames().embeddings());
        for (String stage : List.of("encoder", "processor")) {
            String name = "mister-" + stage;
            StatefulSet set = base.statefulSets().get(name);
            assertThat(set).as(name).isNotNull();
            Container container = set.getSpec().getTemplate().getSpec().getContainers().get(0);
            assertThat(container.getArgs()).containsExactly("run", "--stage", stage);
            assertThat(container.getImage()).isEqualTo("mister");
            for (EnvVar var : container.getEnv()) {
                if (var.getName().startsWith("MISTER_")) {
                    assertThat(readByTheApp(var.getName())).as(name + " sets " + var.getName()).isTrue();
                }
            }
            assertThat(container.getEnv()).anyMatch(v -> v.getValueFrom() != null && v.getValueFrom().getSecretKeyRef() != null
                    && v.getName().startsWith("MISTER_KAFKA_SASL"));
            assertThat(container.getEnvFrom().get(0).getConfigMapRef().getName()).isEqualTo("mister-config");
            // State volume = the state dir; a claim per pod.
            assertThat(container.getVolumeMounts()).anyMatch(m -> m.getMountPath().equals(parsed.stateDir().toString())
                    && m.getName().equals(set.getSpec().getVolumeClaimTemplates().get(0).getMetadata().getName()));
            // Port, probes and scrape annotations on the configured HTTP port and the served paths.
            assertThat(container.getPorts().get(0).getContainerPort()).isEqualTo(parsed.httpPort());
            assertThat(container.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/health/live");
            assertThat(container.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/health/ready");
            Map<String, String> annotations = set.getSpec().getTemplate().getMetadata().getAnnotations();
            assertThat(annotations).containsEntry("prometheus.io/scrape", "true")
                    .containsEntry("prometheus.io/port", String.valueOf(parsed.httpPort())).containsEntry("prometheus.io/path", "/metrics");
            assertThat(container.getResources().getRequests()).containsKeys("cpu", "memory");
            assertThat(container.getResources().getLimits()).containsKey("memory");
            // Headless service named as the StatefulSet's serviceName; PDB and Service select its pods.
            Map<String, String> labels = set.getSpec().getSelector().getMatchLabels();
            Service service = base.services().get(set.getSpec().getServiceName());
            assertThat(service.getSpec().getClusterIP()).isEqualTo("None");
            assertThat(service.getSpec().getSelector()).isEqualTo(labels);
            assertThat(base.budgets().get(name).getSpec().getSelector().getMatchLabels()).isEqualTo(labels);
            assertThat(set.getSpec().getTemplate().getMetadata().getLabels()).containsAllEntriesOf(labels);
            // KEDA scales on the lag of the stage's consumer group (= its application id) on its input topic.
            JsonNode scaled = base.scaledObjects().get(name);
            assertThat(scaled.at("/spec/scaleTargetRef/name").asText()).isEqualTo(name);
            JsonNode trigger = scaled.at("/spec/triggers/0");
            assertThat(trigger.get("type").asText()).isEqualTo("kafka");
            assertThat(trigger.at("/metadata/consumerGroup").asText()).isEqualTo(parsed.applicationId(stage));
            assertThat(trigger.at("/metadata/topic").asText()).isEqualTo(inputTopic.get(stage));
            assertThat(trigger.at("/metadata/bootstrapServers").asText()).isEqualTo(String.join(",", parsed.bootstrapServers()));
        }
    }

    @Test
    void overlaysAreValidAndTheGpuOverlayRequestsAGpuAndCuda() throws IOException {
        Manifests cpu = read(ROOT.resolve("k8s/overlays/cpu"));
        assertThat(cpu.statefulSets()).isEmpty();
        Manifests gpu = read(ROOT.resolve("k8s/overlays/gpu"));
        Container container = gpu.statefulSets().get("mister-processor").getSpec().getTemplate().getSpec().getContainers().get(0);
        assertThat(container.getResources().getLimits()).containsKey("nvidia.com/gpu");
        assertThat(container.getEnv()).anyMatch(v -> v.getName().equals("MISTER_INFERENCE_DEVICE") && v.getValue().equals("cuda"));
        JsonNode kustomization = new ObjectMapper(new YAMLFactory()).readTree(ROOT.resolve("k8s/overlays/gpu/kustomization.yaml").toFile());
        assertThat(kustomization.at("/images/0/newTag").asText()).isEqualTo(projectVersion() + "-cuda");
    }

    @Test
    void aFieldTheKubernetesModelDoesNotKnowIsRejected() throws IOException {
        JsonNode doc = new ObjectMapper(new YAMLFactory()).readTree("""
                apiVersion: apps/v1
                kind: StatefulSet
                metadata: {name: typo}
                spec:
                  template:
                    spec:
                      containers:
                        - name: c
                          imagePullPolicyy: Always
                """);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> typed(doc, StatefulSet.class, Path.of("typo.yaml")))
                .hasMessageContaining("imagePullPolicyy");
    }

    @Test
    void theProbeAndScrapePathsAreServed() throws Exception {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        try (ObservabilityServer server = ObservabilityServer.start("127.0.0.1", 0, registry, new HealthCheck(List::of), null)) {
            HttpClient http = HttpClient.newHttpClient();
            for (String path : List.of("/metrics", "/health/live", "/health/ready")) {
                HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + server.port() + path)).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(response.statusCode()).as(path).isIn(200, 503);
            }
        }
    }

}
