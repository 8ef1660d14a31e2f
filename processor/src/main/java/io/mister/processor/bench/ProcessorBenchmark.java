package io.mister.processor.bench;

import io.mister.events.ControlType;
import io.mister.events.ConversationControl;
import io.mister.events.EncoderInfo;
import io.mister.events.UtteranceEmbedding;
import io.mister.inference.SessionSettings;
import io.mister.processor.EmotionTopology;
import io.mister.processor.ProcessorMetrics;
import io.mister.processor.ProcessorSettings;
import io.mister.processor.context.Turn;
import io.mister.processor.inference.BatchScorer;
import io.mister.processor.inference.ConversationScorer;
import io.mister.processor.inference.HeadInputs;
import io.mister.processor.inference.HeadSpec;
import io.mister.processor.inference.InputExpectations;
import io.mister.processor.inference.ModelHolder;
import io.mister.processor.inference.ScoringThreads;
import io.mister.processor.inference.ScoringObserver;
import io.mister.serde.EventSerdes;
import io.mister.serde.SerdeSettings;
import io.mister.topics.TopicNames;
import io.mister.topics.Topics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;

/**
 * How much the emotion topology costs on top of the head itself. Both paths get the same turns (several
 * conversations, interleaved as on a partition), the same model, W and batch size, and make the same head
 * calls (checked: {@link BenchmarkResult#rawTurnsScored()} = {@link BenchmarkResult#topologyTurnsScored()}):
 *
 * <ol>
 *   <li>raw head: every turn's causal window of up to W turns, in arrival order, in batches of
 *       {@code batchSize} (what the provisional events need), then each conversation scored whole for its
 *       finals (W-turn windows overlapping by half, as on ENDED);</li>
 *   <li>topology: the emotion topology in a TopologyTestDriver with RocksDB stores and exactly-once: the
 *       turns, then an ENDED per conversation; provisional events (plus revisions, which cost no extra
 *       head call) and finals.</li>
 * </ol>
 *
 * Reported: turns/s of each, their ratio and the p99 time from a turn entering the topology to its
 * provisional event (medians of three alternating rounds). TopologyTestDriver commits after every record
 * and forces a checkpoint each time (every store's RocksDB memtable flushed to a new SST file, plus a
 * checkpoint file and one position file per store, each fsync'd); a running instance under exactly-once
 * checkpoints only when a task is suspended or closed. The driver figure is therefore dominated by the
 * state directory's fsync cost (see docs/processor.md); the app's embedded-broker benchmark is the
 * production figure.
 */
public final class ProcessorBenchmark {

    private static final long T0 = 1_767_000_000_000L;
    private static final int ROUNDS = 3;

    /**
     * @param model head model file
     * @param conversations conversations fed interleaved
     * @param turnsPerConversation turns per conversation
     * @param settings processor settings (W and batch size apply to both paths)
     * @param session ONNX session settings
     * @param stateDir where the topology's RocksDB stores go (deleted by the driver on close)
     */
    public record Options(Path model, int conversations, int turnsPerConversation, ProcessorSettings settings,
                          SessionSettings session, Path stateDir) {

        public static Options defaults(Path model, Path stateDir) {
            // 128 x 64 = 8,192 turns: long enough that a run's ramp-up and its last finals are a small part of it.
            return new Options(model, 128, 64, ProcessorSettings.defaults().withWindow(32, 4)
                    .withBatching(32, Duration.ofMillis(20)), SessionSettings.cpu(1), stateDir);
        }
    }

    private ProcessorBenchmark() {}

    public static BenchmarkResult run(Options options) {
        try (ModelHolder holder = ModelHolder.load(options.model(), options.session(), InputExpectations.fromModel())) {
            HeadSpec spec = holder.currentSpec();
            List<UtteranceEmbedding> feed = feed(spec, options.conversations(), options.turnsPerConversation());
            // Warm-up of both paths (JIT, ONNX Runtime arenas, RocksDB), on a smaller feed.
            List<UtteranceEmbedding> warmUp = feed(spec, Math.max(2, options.conversations() / 4), options.turnsPerConversation());
            rawHead(holder, warmUp, options.settings());
            topology(holder, warmUp, options, options.stateDir().resolve("warm-up"));

            // Alternate the two paths and take medians: on a shared host, load changes during a run.
            double[] raw = new double[ROUNDS];
            double[] topologyRate = new double[ROUNDS];
            double[] p99 = new double[ROUNDS];
            long rawTurnsScored = 0;
            long topologyTurnsScored = 0;
            for (int round = 0; round < ROUNDS; round++) {
                double[] head = rawHead(holder, feed, options.settings());
                raw[round] = head[0];
                rawTurnsScored = (long) head[1];
                double[] topology = topology(holder, feed, options, options.stateDir().resolve("run-" + round));
                topologyRate[round] = topology[0];
                p99[round] = topology[1];
                topologyTurnsScored = (long) topology[2];
            }
            double rawMedian = median(raw);
            double topologyMedian = median(topologyRate);
            return new BenchmarkResult(rawMedian, topologyMedian, topologyMedian / rawMedian, median(p99), feed.size(),
                    options.settings().windowTurns(), options.settings().batchSize(), spec.modelVersion(),
                    rawTurnsScored, topologyTurnsScored);
        }
    }

    /**
     * (a) The head alone: each turn's causal window, batched in arrival order, then every conversation
     * scored whole (the finals). Returns {turns/s, turns scored}.
     */
    private static double[] rawHead(ModelHolder holder, List<UtteranceEmbedding> feed, ProcessorSettings settings) {
        int w = settings.windowTurns();
        Map<String, List<Turn>> history = new LinkedHashMap<>();
        List<List<Turn>> windows = new ArrayList<>(feed.size());
        for (UtteranceEmbedding e : feed) {
            List<Turn> turns = history.computeIfAbsent(e.getConversationId(), id -> new ArrayList<>());
            turns.add(Turn.of(e));
            windows.add(List.copyOf(turns.subList(Math.max(0, turns.size() - w), turns.size())));
        }
        long[] turnsScored = {0};
        ScoringObserver counter = (batch, turns, nanos) -> turnsScored[0] += turns;
        try (ModelHolder.Lease lease = holder.lease()) {
            BatchScorer scorer = new BatchScorer(lease.head(), new HeadInputs(), settings.batchSize(), counter);
            ConversationScorer finals = new ConversationScorer(scorer, w);
            long start = System.nanoTime();
            // Batches of batchSize consecutive arrivals, as a busy task's processor fills them.
            for (int from = 0; from < windows.size(); from += settings.batchSize()) {
                scorer.score(windows.subList(from, Math.min(windows.size(), from + settings.batchSize())));
            }
            for (List<Turn> conversation : history.values()) {
                finals.scoreWhole(conversation);
            }
            return new double[] {feed.size() / ((System.nanoTime() - start) / 1e9), turnsScored[0]};
        }
    }

    /** (b) Through the topology: the turns, then ENDED for each conversation. Returns {turns/s, p99 ms, turns scored}. */
    private static double[] topology(ModelHolder holder, List<UtteranceEmbedding> feed, Options options, Path stateDir) {
        Topics topics = new Topics(TopicNames.DEFAULTS, new EventSerdes(SerdeSettings.singleObject()));
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "mister-processor-bench");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, mkdirs(stateDir).toString());
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        // Serialise outside the measured loop: producers hand the topology bytes.
        var serializer = topics.embeddings().valueSerde().serializer();
        List<byte[]> values = feed.stream().map(e -> serializer.serialize(topics.names().embeddings(), e)).toList();
        // One scoring thread, as a one-stream-thread instance has by default.
        try (ScoringThreads scoring = ScoringThreads.start(1); TopologyTestDriver driver = new TopologyTestDriver(
                EmotionTopology.buildTopology(topics, holder, scoring, options.settings()), props, Instant.ofEpochMilli(T0))) {
            TestInputTopic<byte[], byte[]> in = driver.createInputTopic(topics.names().embeddings(),
                    Serdes.ByteArray().serializer(), Serdes.ByteArray().serializer());
            TestInputTopic<byte[], byte[]> control = driver.createInputTopic(topics.names().embeddingsControl(),
                    Serdes.ByteArray().serializer(), Serdes.ByteArray().serializer());
            TestOutputTopic<byte[], byte[]> out = driver.createOutputTopic(topics.names().emotions(),
                    Serdes.ByteArray().deserializer(), Serdes.ByteArray().deserializer());
            double[] latencies = new double[feed.size()];
            Deque<long[]> waiting = new ArrayDeque<>(); // {index, start nanos}
            long start = System.nanoTime();
            for (int i = 0; i < feed.size(); i++) {
                UtteranceEmbedding e = feed.get(i);
                waiting.add(new long[] {i, System.nanoTime()});
                in.pipeInput(e.getConversationId().getBytes(StandardCharsets.UTF_8), values.get(i),
                        e.getEventTime());
                drain(out, waiting, latencies);
            }
            driver.advanceWallClockTime(options.settings().batchWait());
            drain(out, waiting, latencies);
            var controlSerializer = topics.control().valueSerde().serializer();
            for (String id : conversationIds(feed)) {
                long turns = feed.stream().filter(e -> e.getConversationId().equals(id)).count();
                control.pipeInput(id.getBytes(StandardCharsets.UTF_8), controlSerializer.serialize(topics.names().embeddingsControl(),
                        new ConversationControl(id, ControlType.ENDED, Instant.ofEpochMilli(T0 + feed.size() * 1000L), turns)));
            }
            // The last finals may still be out on the scoring thread: let it finish, and a punctuation emit them.
            scoring.awaitIdle(Duration.ofMinutes(1));
            driver.advanceWallClockTime(options.settings().batchWait());
            out.readRecordsToList();
            double seconds = (System.nanoTime() - start) / 1e9;
            Arrays.sort(latencies);
            double p99 = latencies[(int) Math.min(latencies.length - 1, Math.ceil(latencies.length * 0.99) - 1)];
            return new double[] {feed.size() / seconds, p99, turnsScored(driver)};
        }
    }

    private static List<String> conversationIds(List<UtteranceEmbedding> feed) {
        return feed.stream().map(UtteranceEmbedding::getConversationId).distinct().toList();
    }

    private static double turnsScored(TopologyTestDriver driver) {
        return driver.metrics().entrySet().stream()
                .filter(m -> m.getKey().group().equals(ProcessorMetrics.GROUP) && m.getKey().name().equals("turns-scored-total"))
                .mapToDouble(m -> ((Number) m.getValue().metricValue()).doubleValue()).sum();
    }

    /** A flush emits every waiting turn's provisional event at once: they all finish now. */
    private static void drain(TestOutputTopic<byte[], byte[]> out, Deque<long[]> waiting, double[] latencies) {
        if (out.isEmpty()) {
            return;
        }
        long now = System.nanoTime();
        for (long[] w : waiting) {
            latencies[(int) w[0]] = (now - w[1]) / 1e6;
        }
        waiting.clear();
        out.readRecordsToList();
    }

    /**
     * The benchmark's turns: {@code conversations} conversations of {@code turnsPerConversation} turns with
     * seeded random embeddings of the head's dimensions (every fifth turn without speech), interleaved turn
     * by turn as on a partition. Deterministic, so other benchmarks (the app's broker run) feed the same.
     */
    public static List<UtteranceEmbedding> feed(HeadSpec spec, int conversations, int turnsPerConversation) {
        Random random = new Random(42);
        String[] text = spec.textEncoder().split("@", 2);
        String[] speech = spec.speechEncoder().split("@", 2);
        List<UtteranceEmbedding> feed = new ArrayList<>(conversations * turnsPerConversation);
        for (int seq = 0; seq < turnsPerConversation; seq++) {
            for (int c = 0; c < conversations; c++) {
                String id = "bench-" + c;
                boolean hasSpeech = (seq + c) % 5 != 0; // some chat-like turns without audio
                feed.add(UtteranceEmbedding.newBuilder()
                        .setConversationId(id).setUtteranceId(id + "-" + seq).setSeq(seq)
                        .setEventTime(Instant.ofEpochMilli(T0 + seq * 1000L + c))
                        .setTextEmbedding(vector(random, spec.textDim()))
                        .setSpeechEmbedding(hasSpeech ? vector(random, spec.speechDim()) : null)
                        .setTextEncoder(new EncoderInfo(text[0], text.length > 1 ? text[1] : "", spec.textDim()))
                        .setSpeechEncoder(new EncoderInfo(speech[0], speech.length > 1 ? speech[1] : "", spec.speechDim()))
                        .setEncodedAt(Instant.ofEpochMilli(T0))
                        .build());
            }
        }
        return feed;
    }

    private static List<Float> vector(Random random, int dim) {
        List<Float> values = new ArrayList<>(dim);
        for (int i = 0; i < dim; i++) {
            values.add((float) random.nextGaussian());
        }
        return values;
    }



    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    private static Path mkdirs(Path dir) {
        try {
            return Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code ProcessorBenchmark <model.onnx> [conversations] [turns-per-conversation] [W] [batch]}. */
    public static void main(String[] args) throws IOException {
        if (args.length < 1) {
            System.err.println("usage: ProcessorBenchmark <model.onnx> [conversations=32] [turns=64] [W=32] [batch=32]");
            System.exit(2);
        }
        Path stateDir = Files.createTempDirectory(Path.of(System.getProperty("mister.bench.dir", System.getProperty("java.io.tmpdir"))), "mister-bench");
        Options defaults = Options.defaults(Path.of(args[0]), stateDir);
        int w = args.length > 3 ? Integer.parseInt(args[3]) : 32;
        int batch = args.length > 4 ? Integer.parseInt(args[4]) : 32;
        Options options = new Options(defaults.model(),
                args.length > 1 ? Integer.parseInt(args[1]) : defaults.conversations(),
                args.length > 2 ? Integer.parseInt(args[2]) : defaults.turnsPerConversation(),
                defaults.settings().withWindow(w, Math.min(4, w - 1)).withBatching(batch, Duration.ofMillis(20)),
                defaults.session(), stateDir);
        BenchmarkResult result = run(options);
        System.out.println(result.summary());
        System.out.println(new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(result));
    }
}
