package io.mister.app.stages;

import io.mister.app.config.MisterConfig;
import io.mister.app.runner.StreamsStage;
import io.mister.processor.inference.InputExpectations;
import io.mister.processor.inference.ModelHolder;
import io.mister.processor.inference.ScoringThreads;
import io.mister.processor.inference.ModelWatcher;
import io.mister.serde.EventSerdes;
import io.mister.topics.TopicNames;
import io.mister.topics.Topics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Builds the pipeline's stages from the configuration: the one place that knows which stages exist. */
public final class PipelineStages {

    /** The stages `run --stage` accepts. */
    public enum Kind { ENCODER, PROCESSOR, ALL }

    private final MisterConfig config;
    private final Topics topics;

    public PipelineStages(MisterConfig config) {
        this.config = config;
        this.topics = new Topics(config.topicNames(), new EventSerdes(config.serdeSettings()));
    }

    public Topics topics() {
        return topics;
    }

    /** The stages of a kind, in start order (encoder before processor). */
    public List<StreamsStage> build(Kind kind) {
        List<StreamsStage> stages = new ArrayList<>();
        try {
            InputExpectations expected = InputExpectations.fromModel();
            if (kind == Kind.ENCODER || kind == Kind.ALL) {
                EncoderStage encoder = (EncoderStage) encoder();
                stages.add(encoder);
                // Both stages in one process: refuse at start-up a model the encoders do not feed.
                expected = encoder.expectations();
            }
            if (kind == Kind.PROCESSOR || kind == Kind.ALL) {
                stages.add(processor(config.modelPath(), expected));
            }
        } catch (RuntimeException e) {
            stages.forEach(StreamsStage::close);
            throw e;
        }
        return stages;
    }

    public StreamsStage encoder() {
        return EncoderStages.create(config, topics);
    }

    /** The live processor; it hot-swaps the model when the file at {@code model} changes (model.watch-interval.ms). */
    public ProcessorStage processor(Path model, InputExpectations expected) {
        ModelHolder holder = loadModel(model, expected);
        ModelWatcher watcher = config.modelWatchInterval().isZero() ? null
                : new ModelWatcher(holder, model).start(config.modelWatchInterval());
        return new ProcessorStage("processor", topics, holder, ScoringThreads.start(config.scoringThreads()),
                config.processorSettings(), watcher);
    }

    /**
     * A re-scoring stage: the processor with another model, writing to {@code targetTopic} (and its
     * dead letters to {@code <targetTopic>-dlq}, so the live DLQ gets no duplicates).
     */
    public ProcessorStage rescore(Path model, String targetTopic) {
        TopicNames names = topics.names().withEmotions(targetTopic).withEmbeddingsDlq(targetTopic + "-dlq");
        return new ProcessorStage("rescore", new Topics(names, topics.serdes()), loadModel(model, InputExpectations.fromModel()),
                ScoringThreads.start(config.scoringThreads()), config.processorSettings(), null);
    }

    private ModelHolder loadModel(Path model, InputExpectations expected) {
        if (!Files.isRegularFile(model)) {
            throw new MissingModelException(model);
        }
        return ModelHolder.load(model, config.sessionSettings(), expected);
    }
}
