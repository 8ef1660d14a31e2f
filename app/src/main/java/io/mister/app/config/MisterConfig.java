package io.mister.app.config;

import io.mister.encoder.stage.EncoderStageSettings;
import io.mister.inference.Device;
import io.mister.inference.SessionSettings;
import io.mister.processor.ProcessorSettings;
import io.mister.processor.inference.InputExpectations;
import io.mister.serde.SerdeMode;
import io.mister.serde.SerdeSettings;
import io.mister.topics.TopicNames;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.ValidString;
import org.apache.kafka.common.config.ConfigException;

/**
 * The application's configuration: ONE typed definition of every key, with its default, validator
 * and documentation (a Kafka {@link ConfigDef}, so validation and types behave as Kafka users
 * expect). docs/configuration.md is generated from {@link #definition()}.
 *
 * <p>Two prefixes pass through unchanged: {@code kafka.*} goes (prefix stripped) to every Kafka
 * client the app creates (Streams, admin, producers, consumers: security settings live here), and
 * {@code streams.*} only to Kafka Streams. {@code apicurio.registry.*} keys go to the registry serdes.
 * Values come from {@link ConfigLoader}: defaults, then the file, then MISTER_* environment
 * variables, then command-line flags.
 */
public final class MisterConfig extends AbstractConfig {

    public static final String KAFKA_PREFIX = "kafka.";
    public static final String STREAMS_PREFIX = "streams.";
    public static final String REGISTRY_PASS_THROUGH_PREFIX = "apicurio.registry.";

    public static final String BOOTSTRAP_SERVERS = "kafka.bootstrap.servers";
    public static final String SERDE_MODE = "serde.mode";
    public static final String REGISTRY_URL = "registry.url";
    public static final String REGISTRY_AUTO_REGISTER = "registry.auto-register";
    public static final String APPLICATION_ID_PREFIX = "application.id.prefix";
    public static final String PROCESSING_GUARANTEE = "processing.guarantee";
    public static final String STATE_DIR = "state.dir";
    public static final String NUM_STREAM_THREADS = "num.stream.threads";
    public static final String NUM_STANDBY_REPLICAS = "num.standby.replicas";
    public static final String TOPICS_UTTERANCES = "topics.utterances";
    public static final String TOPICS_CONTROL = "topics.control";
    public static final String TOPICS_EMBEDDINGS = "topics.embeddings";
    public static final String TOPICS_EMBEDDINGS_CONTROL = "topics.embeddings-control";
    public static final String TOPICS_EMOTIONS = "topics.emotions";
    public static final String TOPICS_UTTERANCES_DLQ = "topics.utterances-dlq";
    public static final String TOPICS_EMBEDDINGS_DLQ = "topics.embeddings-dlq";
    public static final String TOPICS_CREATE = "topics.create";
    public static final String TOPICS_PARTITIONS = "topics.partitions";
    public static final String TOPICS_REPLICATION_FACTOR = "topics.replication-factor";
    /** The installation directory, against which relative default paths are also looked up. */
    public static final String HOME_PROPERTY = "mister.home";

    public static final String MODEL_PATH = "model.path";
    /** The shipped text encoder (fine-tuned, int8 bge-small, models/text-encoder/mister-bge-small-meld.md). */
    public static final String DEFAULT_TEXT_ENCODER = "models/text-encoder/mister-bge-small-meld";
    public static final String MODEL_WATCH_INTERVAL_MS = "model.watch-interval.ms";
    public static final String INFERENCE_DEVICE = "inference.device";
    public static final String INFERENCE_THREADS = "inference.intra-op-threads";
    public static final String INFERENCE_CUDA_DEVICE = "inference.cuda-device-id";
    public static final String HTTP_ENABLED = "http.enabled";
    public static final String HTTP_HOST = "http.host";
    public static final String HTTP_PORT = "http.port";
    public static final String ERRORS_POLICY = "errors.uncaught.policy";
    public static final String ERRORS_MAX_REPLACEMENTS = "errors.uncaught.max-thread-replacements";
    public static final String ERRORS_WINDOW = "errors.uncaught.window.ms";
    public static final String SHUTDOWN_TIMEOUT = "shutdown.timeout.ms";
    public static final String PROCESSOR_WINDOW = "processor.window-turns";
    public static final String PROCESSOR_LOOKAHEAD = "processor.lookahead-turns";
    public static final String PROCESSOR_INACTIVITY = "processor.inactivity-timeout.ms";
    public static final String PROCESSOR_INACTIVITY_CHECK = "processor.inactivity-check.ms";
    public static final String PROCESSOR_MAX_TURNS = "processor.max-turns";
    public static final String PROCESSOR_BATCH_SIZE = "processor.batch-size";
    public static final String PROCESSOR_BATCH_WAIT = "processor.batch-wait.ms";
    public static final String PROCESSOR_END_GRACE = "processor.end-grace.ms";
    public static final String PROCESSOR_END_WAIT = "processor.end-wait.ms";
    public static final String PROCESSOR_WINDOW_CACHE = "processor.window-cache-conversations";
    public static final String PROCESSOR_SCORING_THREADS = "processor.scoring-threads";
    public static final String ENCODER_TEXT = "encoder.text";
    public static final String ENCODER_BATCH_SIZE = "encoder.batch-size";
    public static final String ENCODER_BATCH_WAIT = "encoder.batch-wait.ms";
    public static final String ENCODER_MAX_AUDIO = "encoder.max-audio.ms";
    public static final String ENCODER_TURN_COUNT_RETENTION = "encoder.turn-count-retention.ms";
    public static final String ENCODER_END_WAIT = "encoder.end-wait.ms";
    public static final String HTTP_ADVERTISED = "http.advertised-host";

    /** An optional count: unset, or at least 0. */
    private static final class UnsetOrAtLeastZero implements ConfigDef.Validator {
        @Override
        public void ensureValid(String name, Object value) {
            if (value != null && (Integer) value < 0) {
                throw new ConfigException(name, value, "must be >= 0, or unset");
            }
        }

        @Override
        public String toString() {
            return "[0,...] or unset";
        }
    }

    /** Default state directory of a production deployment: a persistent volume, never /tmp. */
    public static final String DEFAULT_STATE_DIR = "/var/lib/mister/state";

    private static final ConfigDef DEFINITION = new ConfigDef()
            .define(BOOTSTRAP_SERVERS, Type.LIST, "localhost:9092", Importance.HIGH,
                    "Kafka brokers to connect to (comma-separated host:port). Every other kafka.* key "
                            + "(security.protocol, sasl.*, ssl.*) is passed, without the prefix, to every client.")
            .define(SERDE_MODE, Type.STRING, "registry",
                    ValidString.in("registry", "single-object"), Importance.HIGH,
                    "Value framing on the wire: registry (Confluent wire format, schemas in a registry) "
                            + "or single-object (Avro single-object encoding, no registry; demo and tests).")
            .define(REGISTRY_URL, Type.STRING, "http://localhost:8080/apis/registry/v2", Importance.HIGH,
                    "Schema registry core API URL (Apicurio). Required in registry mode. "
                            + "apicurio.registry.* keys pass through to the serdes (auth, caching).")
            .define(REGISTRY_AUTO_REGISTER, Type.BOOLEAN, true, Importance.MEDIUM,
                    "Whether producers register their schema when the registry does not have it yet.")
            .define(APPLICATION_ID_PREFIX, Type.STRING, "mister", new ConfigDef.NonEmptyString(), Importance.HIGH,
                    "Prefix of the Kafka Streams application ids: <prefix>-encoder and <prefix>-processor "
                            + "(consumer groups, internal topic names).")
            .define(PROCESSING_GUARANTEE, Type.STRING, "exactly_once_v2",
                    ValidString.in("exactly_once_v2", "at_least_once"), Importance.HIGH,
                    "Kafka Streams processing guarantee. exactly_once_v2 needs brokers >= 2.5 and "
                            + "transaction.state.log.replication.factor brokers.")
            .define(STATE_DIR, Type.STRING, DEFAULT_STATE_DIR, new ConfigDef.NonEmptyString(), Importance.HIGH,
                    "Directory of the RocksDB state stores (mount a persistent volume here). The demo "
                            + "uses a temporary directory instead.")
            .define(NUM_STREAM_THREADS, Type.INT, 1, Range.atLeast(1), Importance.MEDIUM,
                    "Stream threads per stage instance.")
            .define(NUM_STANDBY_REPLICAS, Type.INT, 0, Range.atLeast(0), Importance.MEDIUM,
                    "Warm standby copies of each state store on other instances (fast failover).")
            .define(TOPICS_UTTERANCES, Type.STRING, TopicNames.DEFAULTS.utterances(), Importance.MEDIUM,
                    "Input topic of utterances (key: conversation id).")
            .define(TOPICS_CONTROL, Type.STRING, TopicNames.DEFAULTS.control(), Importance.MEDIUM,
                    "Conversation lifecycle topic (STARTED/ENDED).")
            .define(TOPICS_EMBEDDINGS, Type.STRING, TopicNames.DEFAULTS.embeddings(), Importance.MEDIUM,
                    "Utterance-embeddings topic between the encoder and processor stages.")
            .define(TOPICS_EMBEDDINGS_CONTROL, Type.STRING, TopicNames.DEFAULTS.embeddingsControl(), Importance.MEDIUM,
                    "Control events as the encoder stage forwards them to the processor, ordered behind the "
                            + "embeddings of earlier turns; co-partitioned with topics.embeddings.")
            .define(TOPICS_EMOTIONS, Type.STRING, TopicNames.DEFAULTS.emotions(), Importance.MEDIUM,
                    "Output topic of emotion events.")
            .define(TOPICS_UTTERANCES_DLQ, Type.STRING, TopicNames.DEFAULTS.utterancesDlq(), Importance.LOW,
                    "Dead-letter topic of the encoder stage.")
            .define(TOPICS_EMBEDDINGS_DLQ, Type.STRING, TopicNames.DEFAULTS.embeddingsDlq(), Importance.LOW,
                    "Dead-letter topic of the processor stage.")
            .define(TOPICS_CREATE, Type.BOOLEAN, false, Importance.MEDIUM,
                    "Create missing pipeline topics at start-up (Admin API). Off in production, where "
                            + "topics are provisioned by the platform.")
            .define(TOPICS_PARTITIONS, Type.INT, 6, Range.atLeast(1), Importance.LOW,
                    "Partitions of topics created by topics.create.")
            .define(TOPICS_REPLICATION_FACTOR, Type.SHORT, (short) -1, Importance.LOW,
                    "Replication factor of created topics; -1 means the broker default.")
            .define(MODEL_PATH, Type.STRING, "models/mister-e-meld.onnx", Importance.HIGH,
                    "The MiSTER-E head (ONNX) the processor serves.")
            .define(MODEL_WATCH_INTERVAL_MS, Type.LONG, 10_000L, Range.atLeast(0), Importance.MEDIUM,
                    "How often the processor checks model.path for a new model (hot swap: validated, then swapped in "
                            + "without a restart; a bad file is refused and the old model keeps serving). 0 disables. "
                            + "Replace the file atomically: write beside it, then rename over it.")
            .define(INFERENCE_DEVICE, Type.STRING, "auto", ValidString.in("auto", "cuda", "cpu"), Importance.MEDIUM,
                    "Where ONNX models run: auto (CUDA when it loads, else CPU), cuda (or fail), cpu.")
            .define(INFERENCE_THREADS, Type.INT, 1, Range.atLeast(1), Importance.LOW,
                    "ONNX Runtime intra-op threads per session (1 per stream thread suits small hosts).")
            .define(INFERENCE_CUDA_DEVICE, Type.INT, 0, Range.atLeast(0), Importance.LOW,
                    "GPU index when CUDA is used.")
            .define(PROCESSOR_WINDOW, Type.INT, 32, Range.atLeast(1), Importance.MEDIUM,
                    "W: turns of context scored together (provisional: the last W; final: windows of W).")
            .define(PROCESSOR_LOOKAHEAD, Type.INT, 4, Range.atLeast(0), Importance.MEDIUM,
                    "L: a turn's label may be revised until L+1 later turns arrived; must be < W.")
            .define(PROCESSOR_INACTIVITY, Type.LONG, 300_000L, Range.atLeast(1), Importance.MEDIUM,
                    "A conversation with no new turn for this long (wall clock) is finalised as if ENDED.")
            .define(PROCESSOR_INACTIVITY_CHECK, Type.LONG, 10_000L, Range.atLeast(1), Importance.LOW,
                    "How often the wall-clock punctuator looks for idle conversations.")
            .define(PROCESSOR_MAX_TURNS, Type.INT, 5000, Range.atLeast(1), Importance.LOW,
                    "Turns kept per conversation; further turns go to the DLQ as CONVERSATION_TOO_LONG.")
            .define(PROCESSOR_BATCH_SIZE, Type.INT, 32, Range.atLeast(1), Importance.LOW,
                    "Most context windows per head call.")
            .define(PROCESSOR_BATCH_WAIT, Type.LONG, 20L, Range.atLeast(1), Importance.LOW,
                    "Longest a turn waits in a partly filled batch.")
            .define(PROCESSOR_END_WAIT, Type.LONG, 30_000L, Range.atLeast(1), Importance.LOW,
                    "Longest an ENDED waits for the turns it announces. The encoder stage writes on each ENDED how many "
                            + "embeddings it wrote for the conversation; ENDED and embeddings travel on different partitions, "
                            + "so the ENDED can arrive first, and the conversation is finalised once that many have arrived. "
                            + "Only turns lost on the way (dead-lettered at the processor's input) make it wait this long; "
                            + "checked every processor.inactivity-check.ms.")
            .define(PROCESSOR_WINDOW_CACHE, Type.INT, ProcessorSettings.DEFAULT_WINDOW_CACHE_CONVERSATIONS, Range.atLeast(0),
                    Importance.LOW,
                    "Conversations per task whose newest W + L + 8 turns are also kept decoded in memory, so that their "
                            + "windows need no state-store scan (least recently active evicted; 0 = off). About 85 KB each at "
                            + "W = 32 with 384 + 88 dims; the store stays the source of truth.")
            .define(PROCESSOR_SCORING_THREADS, Type.INT, null, new UnsetOrAtLeastZero(), Importance.LOW,
                    "Threads that run the processor's head calls off the stream threads, shared by the instance's tasks: "
                            + "while a task's batch is scored, its stream thread goes on polling, producing and committing "
                            + "(at most two batches out per task; events still leave in arrival order). Unset: as many as "
                            + "num.stream.threads. 0 scores on the stream threads. Each runs inference.intra-op-threads ONNX threads.")
            .define(PROCESSOR_END_GRACE, Type.LONG, 600_000L, Range.atLeast(0), Importance.LOW,
                    "How long a finalised conversation is remembered so that stragglers are dead-lettered.")
            .define(ENCODER_TEXT, Type.STRING, DEFAULT_TEXT_ENCODER, new ConfigDef.NonEmptyString(), Importance.MEDIUM,
                    "Text encoder: a built-in name (all-minilm-l6-v2-q, bge-small-en-v15-q, e5-small-v2-q) or a "
                            + "directory with model.onnx, tokenizer.json and encoder.json. Must match the model's text_encoder.")
            .define(ENCODER_BATCH_SIZE, Type.INT, 16, Range.atLeast(1), Importance.LOW,
                    "Turns encoded in one inference batch.")
            .define(ENCODER_BATCH_WAIT, Type.LONG, 50L, Range.atLeast(1), Importance.LOW,
                    "Longest a buffered turn waits for company before its batch is encoded anyway.")
            .define(ENCODER_MAX_AUDIO, Type.LONG, 60_000L, Range.atLeast(1), Importance.LOW,
                    "Longest accepted audio per turn; longer turns go to the dead-letter topic.")
            .define(ENCODER_TURN_COUNT_RETENTION, Type.LONG, 86_400_000L, Range.atLeast(1), Importance.LOW,
                    "How long the encoder keeps a conversation's turn counts (what its ENDED waits for and carries "
                            + "to the processor), and its recent transcripts for a context-aware text encoder, "
                            + "after the last turn when no ENDED comes.")
            .define(ENCODER_END_WAIT, Type.LONG, 30_000L, Range.atLeast(1), Importance.LOW,
                    "Longest an ENDED whose producer announced the conversation's turns (turn_count) waits in the encoder "
                            + "for them to come in; it is then forwarded anyway, with a warning.")
            .define(HTTP_ENABLED, Type.BOOLEAN, true, Importance.MEDIUM,
                    "Serve /metrics, /health/live, /health/ready and /conversations/{id}.")
            .define(HTTP_HOST, Type.STRING, "0.0.0.0", Importance.LOW, "Address the HTTP endpoint binds to.")
            .define(HTTP_ADVERTISED, Type.STRING, "", Importance.LOW,
                    "host:port other instances reach this one at (Kafka Streams application.server), so that "
                            + "/conversations/{id} is forwarded to the instance owning the conversation. Empty: "
                            + "<hostname>:<http.port>.")
            .define(HTTP_PORT, Type.INT, 8080, Range.between(0, 65535), Importance.MEDIUM,
                    "Port of the HTTP endpoint (0 picks a free port).")
            .define(ERRORS_POLICY, Type.STRING, "replace-thread",
                    ValidString.in("replace-thread", "shutdown-client", "shutdown-application"), Importance.MEDIUM,
                    "What an uncaught exception in a stream thread does. Poison records never get here (they "
                            + "go to the DLQ); this is for bugs and infrastructure failures. replace-thread "
                            + "restarts the thread up to errors.uncaught.max-thread-replacements times per window, "
                            + "then shuts the client down so that liveness fails and the orchestrator restarts it.")
            .define(ERRORS_MAX_REPLACEMENTS, Type.INT, 3, Range.atLeast(0), Importance.LOW,
                    "Thread replacements allowed per window before the client shuts down.")
            .define(ERRORS_WINDOW, Type.LONG, 600_000L, Range.atLeast(1), Importance.LOW,
                    "The window of errors.uncaught.max-thread-replacements.")
            .define(SHUTDOWN_TIMEOUT, Type.LONG, 30_000L, Range.atLeast(0), Importance.LOW,
                    "How long a graceful shutdown (SIGTERM) waits for the streams to close.");

    public MisterConfig(Map<String, ?> values) {
        super(DEFINITION, values, false);
    }

    /** The definition every key is documented in; docs/configuration.md is generated from it. */
    public static ConfigDef definition() {
        return DEFINITION;
    }

    /** The environment variable that overrides a key: MISTER_ + upper case, '.' and '-' as '_'. */
    public static String environmentVariable(String key) {
        return "MISTER_" + key.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    public List<String> bootstrapServers() {
        return getList(BOOTSTRAP_SERVERS);
    }

    public SerdeSettings serdeSettings() {
        SerdeMode mode = "registry".equals(getString(SERDE_MODE)) ? SerdeMode.REGISTRY : SerdeMode.SINGLE_OBJECT;
        if (mode == SerdeMode.REGISTRY && getString(REGISTRY_URL).isBlank()) {
            throw new ConfigException(REGISTRY_URL, "", "serde.mode=registry needs a registry URL");
        }
        return new SerdeSettings(mode, mode == SerdeMode.REGISTRY ? getString(REGISTRY_URL) : null,
                getBoolean(REGISTRY_AUTO_REGISTER), originalsWithPrefix(REGISTRY_PASS_THROUGH_PREFIX, false));
    }

    public TopicNames topicNames() {
        return new TopicNames(getString(TOPICS_UTTERANCES), getString(TOPICS_CONTROL), getString(TOPICS_EMBEDDINGS),
                getString(TOPICS_EMBEDDINGS_CONTROL), getString(TOPICS_EMOTIONS), getString(TOPICS_UTTERANCES_DLQ), getString(TOPICS_EMBEDDINGS_DLQ));
    }

    public String applicationId(String stage) {
        return getString(APPLICATION_ID_PREFIX) + "-" + stage;
    }

    public String processingGuarantee() {
        return getString(PROCESSING_GUARANTEE);
    }

    public Path stateDir() {
        return Path.of(getString(STATE_DIR));
    }

    public int streamThreads() {
        return getInt(NUM_STREAM_THREADS);
    }

    public int standbyReplicas() {
        return getInt(NUM_STANDBY_REPLICAS);
    }

    public boolean createTopics() {
        return getBoolean(TOPICS_CREATE);
    }

    public int topicPartitions() {
        return getInt(TOPICS_PARTITIONS);
    }

    public short topicReplicationFactor() {
        return getShort(TOPICS_REPLICATION_FACTOR);
    }

    public Path modelPath() {
        return installed(getString(MODEL_PATH));
    }

    /**
     * A relative path as given when it exists from the working directory; otherwise, if it exists under the
     * installation directory (system property {@value #HOME_PROPERTY}, which bin/mister sets), that one. So the
     * shipped defaults ({@code models/...}) work from any working directory.
     */
    static Path installed(String value) {
        Path path = Path.of(value);
        String home = System.getProperty(HOME_PROPERTY);
        if (path.isAbsolute() || Files.exists(path) || home == null || !Files.exists(Path.of(home).resolve(path))) {
            return path;
        }
        return Path.of(home).resolve(path);
    }

    /** How often to look for a new model at {@link #modelPath()}; zero: never. */
    public java.time.Duration modelWatchInterval() {
        return java.time.Duration.ofMillis(getLong(MODEL_WATCH_INTERVAL_MS));
    }

    public SessionSettings sessionSettings() {
        return new SessionSettings(Device.valueOf(getString(INFERENCE_DEVICE).toUpperCase(Locale.ROOT)),
                getInt(INFERENCE_THREADS), getInt(INFERENCE_CUDA_DEVICE));
    }

    /** The emotion processor's settings; the model fixes the expected encoders and dims. */
    public ProcessorSettings processorSettings() {
        try {
            return new ProcessorSettings(getInt(PROCESSOR_WINDOW), getInt(PROCESSOR_LOOKAHEAD),
                    Duration.ofMillis(getLong(PROCESSOR_INACTIVITY)), Duration.ofMillis(getLong(PROCESSOR_INACTIVITY_CHECK)),
                    getInt(PROCESSOR_MAX_TURNS), getInt(PROCESSOR_BATCH_SIZE), Duration.ofMillis(getLong(PROCESSOR_BATCH_WAIT)),
                    Duration.ofMillis(getLong(PROCESSOR_END_GRACE)), Duration.ofMillis(getLong(PROCESSOR_END_WAIT)),
                    getInt(PROCESSOR_WINDOW_CACHE), InputExpectations.fromModel());
        } catch (IllegalArgumentException e) {
            throw new ConfigException("Invalid processor.* settings: " + e.getMessage());
        }
    }

    /** Threads for the processor's head calls: {@value #PROCESSOR_SCORING_THREADS}, or one per stream thread when unset. */
    public int scoringThreads() {
        Integer threads = getInt(PROCESSOR_SCORING_THREADS);
        return threads == null ? streamThreads() : threads;
    }

    /** A built-in encoder name, or an encoder directory (resolved like {@link #modelPath()}). */
    public String textEncoder() {
        return resolveTextEncoder(getString(ENCODER_TEXT));
    }

    /** A built-in encoder name as is; an encoder directory looked up like {@link #modelPath()}. */
    public static String resolveTextEncoder(String value) {
        Path directory = installed(value);
        return Files.isDirectory(directory) ? directory.toString() : value;
    }

    public EncoderStageSettings encoderSettings() {
        try {
            return new EncoderStageSettings(getInt(ENCODER_BATCH_SIZE), Duration.ofMillis(getLong(ENCODER_BATCH_WAIT)),
                    getLong(ENCODER_MAX_AUDIO), Duration.ofMillis(getLong(ENCODER_TURN_COUNT_RETENTION)),
                    Duration.ofMillis(getLong(ENCODER_END_WAIT)));
        } catch (IllegalArgumentException e) {
            throw new ConfigException("Invalid encoder.* settings: " + e.getMessage());
        }
    }

    public String advertisedHost() {
        return getString(HTTP_ADVERTISED);
    }

    public boolean httpEnabled() {
        return getBoolean(HTTP_ENABLED);
    }

    public String httpHost() {
        return getString(HTTP_HOST);
    }

    public int httpPort() {
        return getInt(HTTP_PORT);
    }

    public String uncaughtPolicy() {
        return getString(ERRORS_POLICY);
    }

    public int maxThreadReplacements() {
        return getInt(ERRORS_MAX_REPLACEMENTS);
    }

    public Duration replacementWindow() {
        return Duration.ofMillis(getLong(ERRORS_WINDOW));
    }

    public Duration shutdownTimeout() {
        return Duration.ofMillis(getLong(SHUTDOWN_TIMEOUT));
    }

    /** Settings for every Kafka client: the kafka.* keys with the prefix stripped. */
    public Map<String, Object> kafkaClientSettings() {
        Map<String, Object> settings = new TreeMap<>(originalsWithPrefix(KAFKA_PREFIX, true));
        settings.put("bootstrap.servers", String.join(",", bootstrapServers()));
        return settings;
    }

    /** Kafka Streams-only settings: the streams.* keys with the prefix stripped. */
    public Map<String, Object> streamsOverrides() {
        return new TreeMap<>(originalsWithPrefix(STREAMS_PREFIX, true));
    }

    /** A copy with some keys replaced (the demo and rescore adjust ids, topics and state dirs). */
    public MisterConfig with(Map<String, ?> overrides) {
        Map<String, Object> values = new LinkedHashMap<>(originals());
        values.putAll(overrides);
        return new MisterConfig(values);
    }
}
