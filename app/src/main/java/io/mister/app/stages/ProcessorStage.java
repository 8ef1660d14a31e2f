package io.mister.app.stages;

import io.mister.app.runner.StreamsStage;
import io.mister.processor.EmotionProcessor;
import io.mister.processor.EmotionTopology;
import io.mister.processor.ProcessorSettings;
import io.mister.processor.inference.ModelHolder;
import io.mister.processor.inference.ModelWatcher;
import io.mister.processor.inference.ScoringThreads;
import io.mister.topics.Topics;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.StreamsConfig;

/**
 * The emotion processor as a runnable stage: utterance embeddings and embeddings-control in, emotion
 * events out. The same class serves the live stage ("processor") and a re-scoring run ("rescore"),
 * which differ only in name, model and output topic.
 */
public final class ProcessorStage implements StreamsStage {

    private final String name;
    private final Topics topics;
    private final ModelHolder model;
    private final ScoringThreads scoring;
    private final ProcessorSettings settings;
    private final ModelWatcher watcher;
    private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();

    /**
     * @param scoring the threads for head calls, closed with the stage (after the model's users stopped)
     * @param watcher hot swap of the served model, closed with the stage; null when the model is fixed
     *     (re-scoring runs, tests)
     */
    public ProcessorStage(String name, Topics topics, ModelHolder model, ScoringThreads scoring, ProcessorSettings settings,
                          ModelWatcher watcher) {
        this.name = name;
        this.topics = topics;
        this.model = model;
        this.scoring = scoring;
        this.settings = settings;
        this.watcher = watcher;
    }

    @Override
    public String name() {
        return name;
    }

    public Topics topics() {
        return topics;
    }

    public ModelHolder model() {
        return model;
    }

    @Override
    public List<String> inputTopics() {
        // The control events as the encoder forwards them (a rescore replays both topics together).
        return List.of(topics.names().embeddings(), topics.names().embeddingsControl());
    }

    @Override
    public List<String> outputTopics() {
        return List.of(topics.names().emotions(), topics.names().embeddingsDlq());
    }

    @Override
    public org.apache.kafka.streams.Topology buildTopology() {
        return EmotionTopology.buildTopology(topics, model, scoring, settings);
    }

    @Override
    public Map<String, Object> streamsOverrides() {
        // Provisional events are latency-critical: commit (and so publish, under EOS) often. No max.task.idle.ms:
        // an ENDED that overtakes its conversation's last embeddings waits for them by count (EmotionProcessor).
        // poll.ms at the batch punctuator's interval: with sparse input the stream thread would otherwise sit in
        // poll for 100 ms while a batch waits to be handed over or its scores are back (they are emitted by the
        // punctuator, never waited for on the stream thread).
        return Map.of(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100,
                StreamsConfig.POLL_MS_CONFIG, EmotionProcessor.flushCheckInterval(settings.batchWait()).toMillis());
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            if (watcher != null) {
                watcher.close();
            }
            scoring.close();
            model.close();
        }
    }
}
