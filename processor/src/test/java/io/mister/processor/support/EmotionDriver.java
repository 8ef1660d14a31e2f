package io.mister.processor.support;

import io.mister.events.ControlType;
import io.mister.events.ConversationControl;
import io.mister.events.EmotionEvent;
import io.mister.events.UtteranceEmbedding;
import io.mister.processor.EmotionTopology;
import io.mister.processor.ProcessorMetrics;
import io.mister.processor.ProcessorSettings;
import io.mister.processor.inference.ModelHolder;
import io.mister.processor.inference.ScoringThreads;
import io.mister.serde.EventSerdes;
import io.mister.serde.SerdeSettings;
import io.mister.topics.TopicNames;
import io.mister.topics.Topics;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;

/** The production topology in a TopologyTestDriver with real RocksDB stores in {@code stateDir}. */
public final class EmotionDriver implements AutoCloseable {

    public final Topics topics = new Topics(TopicNames.DEFAULTS, new EventSerdes(SerdeSettings.singleObject()));
    public final TopologyTestDriver driver;
    public final TestInputTopic<String, UtteranceEmbedding> embeddings;
    public final TestInputTopic<byte[], byte[]> rawEmbeddings;
    public final TestInputTopic<String, ConversationControl> control;
    public final TestOutputTopic<String, EmotionEvent> emotions;
    public final TestOutputTopic<byte[], byte[]> deadLetters;
    public final ProcessorSettings settings;
    private final ScoringThreads scoring;

    /**
     * Scoring on the stream thread (processor.scoring-threads = 0): a flushed batch's events are in the output
     * topic when the call that flushed it returns, so a specification can read them right after.
     */
    public EmotionDriver(ModelHolder model, ProcessorSettings settings, Path stateDir) {
        this(model, settings, stateDir, ScoringThreads.onCallingThread());
    }

    /** With {@code scoring} (closed with the driver): threads make the events of a batch come later. */
    public EmotionDriver(ModelHolder model, ProcessorSettings settings, Path stateDir, ScoringThreads scoring) {
        this.settings = settings;
        this.scoring = scoring;
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "emotion-processor-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        driver = new TopologyTestDriver(EmotionTopology.buildTopology(topics, model, scoring, settings), props, Instant.ofEpochMilli(Turns.T0));
        embeddings = driver.createInputTopic(topics.names().embeddings(), Serdes.String().serializer(),
                topics.embeddings().valueSerde().serializer());
        rawEmbeddings = driver.createInputTopic(topics.names().embeddings(), Serdes.ByteArray().serializer(),
                Serdes.ByteArray().serializer());
        control = driver.createInputTopic(topics.names().embeddingsControl(), Serdes.String().serializer(),
                topics.embeddingsControl().valueSerde().serializer());
        emotions = driver.createOutputTopic(topics.names().emotions(), Serdes.String().deserializer(),
                topics.emotions().valueSerde().deserializer());
        deadLetters = driver.createOutputTopic(topics.names().embeddingsDlq(), Serdes.ByteArray().deserializer(),
                Serdes.ByteArray().deserializer());
    }

    public void send(UtteranceEmbedding embedding) {
        embeddings.pipeInput(embedding.getConversationId(), embedding, embedding.getEventTime());
    }

    /** An ENDED without a turn count (as a producer other than the encoder stage writes it). */
    public void end(String conversationId) {
        end(conversationId, null);
    }

    /** An ENDED as the encoder stage forwards it: with the number of embeddings it wrote for the conversation. */
    public void end(String conversationId, Long turnCount) {
        control.pipeInput(conversationId,
                new ConversationControl(conversationId, ControlType.ENDED, Instant.ofEpochMilli(Turns.T0 + 999_000), turnCount));
    }

    /**
     * Lets the scoring threads finish and the batch punctuator emit what they scored (and hand over a batch that
     * became due), until no event is pending: what a running instance does within a few punctuations.
     */
    public void settle() {
        for (int round = 0; round < 10 && pendingEvents() > 0; round++) {
            scoring.awaitIdle(Duration.ofSeconds(30));
            driver.advanceWallClockTime(settings.batchWait());
        }
    }

    private double pendingEvents() {
        return driver.metrics().entrySet().stream()
                .filter(m -> m.getKey().group().equals(ProcessorMetrics.GROUP) && m.getKey().name().equals(ProcessorMetrics.EVENTS_PENDING))
                .mapToDouble(m -> ((Number) m.getValue().metricValue()).doubleValue()).filter(Double::isFinite).sum();
    }

    /** Lets the batch punctuator fire (wall clock, as in production). */
    public void flushBatch() {
        driver.advanceWallClockTime(settings.batchWait());
    }

    public void advance(Duration wallClock) {
        driver.advanceWallClockTime(wallClock);
    }

    public List<EmotionEvent> events() {
        return emotions.readRecordsToList().stream().map(TestRecord::value).toList();
    }

    @Override
    public void close() {
        driver.close();
        scoring.close();
    }
}
