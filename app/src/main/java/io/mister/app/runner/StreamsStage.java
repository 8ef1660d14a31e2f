package io.mister.app.runner;

import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.Topology;

/**
 * One stage of the pipeline as the framework sees it: a topology factory with a name. The runner
 * ({@link StageRunner}) configures, starts, stops and resets any stage the same way, so a stage
 * holds only its business wiring (as bakdata's streams-bootstrap apps do).
 *
 * <p>A stage owns what its topology needs at run time (ONNX sessions): {@link #close()} releases it
 * after the streams have stopped.
 */
public interface StreamsStage extends AutoCloseable {

    /** Short name: encoder, processor, rescore. The application id is {@code <prefix>-<name>}. */
    String name();

    /** Topics the stage consumes from outside; a reset moves the group's offsets on these. */
    List<String> inputTopics();

    /** Topics the stage writes (created with the inputs when topics.create is on). */
    List<String> outputTopics();

    /** Builds the topology; called once per start. */
    Topology buildTopology();

    /** Streams settings this stage needs beyond the common ones (e.g. a punctuation-friendly commit interval). */
    default Map<String, Object> streamsOverrides() {
        return Map.of();
    }

    @Override
    default void close() {}
}
