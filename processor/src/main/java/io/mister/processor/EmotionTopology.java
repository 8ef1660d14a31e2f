package io.mister.processor;

import io.mister.deadletter.InputGate;
import io.mister.processor.context.ContextStores;
import io.mister.processor.inference.ModelHolder;
import io.mister.processor.inference.ScoringThreads;
import io.mister.deadletter.ControlValidator;
import io.mister.processor.lifecycle.EmbeddingArrivalDeserializer;
import io.mister.processor.lifecycle.EmbeddingValidator;
import io.mister.topics.Topics;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.Topology;

/**
 * The emotion stage: utterance embeddings and control events (from embeddings-control) in, emotion events out,
 * poison to the embeddings DLQ. Both inputs are keyed by conversation_id and must have the same partition count
 * (one task sees all of a conversation's turns and its ENDED).
 */
public final class EmotionTopology {

    public static final String EMBEDDINGS_SOURCE = "embeddings-source";
    public static final String CONTROL_SOURCE = "control-source";
    public static final String EMBEDDINGS_GATE = "embeddings-gate";
    public static final String CONTROL_GATE = "control-gate";
    public static final String PROCESSOR = "emotion-processor";
    public static final String EMOTIONS_SINK = "emotions-sink";
    public static final String DLQ_SINK = "embeddings-dlq-sink";

    private EmotionTopology() {}

    /**
     * @param scoring the instance's threads for head calls (shared by its tasks, like the model); owned and
     *     closed by the caller, after the Kafka Streams instance
     */
    public static Topology buildTopology(Topics topics, ModelHolder model, ScoringThreads scoring, ProcessorSettings settings) {
        Topology topology = new Topology();
        // Raw bytes in: decoding happens in the gates so that poison goes to the DLQ instead of killing the thread.
        topology.addSource(EMBEDDINGS_SOURCE, Serdes.ByteArray().deserializer(), Serdes.ByteArray().deserializer(),
                topics.names().embeddings());
        // Control events as the encoder forwards them, behind the embeddings of the turns before them
        // (not conversation-control itself, where an ENDED can overtake turns still being encoded).
        topology.addSource(CONTROL_SOURCE, Serdes.ByteArray().deserializer(), Serdes.ByteArray().deserializer(),
                topics.names().embeddingsControl());
        // Decode and validate: identity, modality present, encoders/dims as the model expects, finite values. A
        // dead-lettered embedding is noticed to the processor: it still counts towards its conversation's ENDED.
        topology.addProcessor(EMBEDDINGS_GATE, InputGate.withRejectionNotices(EmotionProcessor.STAGE,
                () -> new EmbeddingArrivalDeserializer(topics.embeddings().valueSerde().deserializer()),
                new EmbeddingValidator(model.expectations()), PROCESSOR, DLQ_SINK), EMBEDDINGS_SOURCE);
        // Control events are checked the same way; a poison control event also goes to this stage's DLQ.
        topology.addProcessor(CONTROL_GATE, InputGate.supplier(EmotionProcessor.STAGE,
                () -> topics.embeddingsControl().valueSerde().deserializer(), new ControlValidator(), PROCESSOR, DLQ_SINK), CONTROL_SOURCE);
        // Context, batched scoring, provisional/revised/final events, lifecycle.
        topology.addProcessor(PROCESSOR, () -> new EmotionProcessor(model, scoring, settings, EMOTIONS_SINK, DLQ_SINK),
                EMBEDDINGS_GATE, CONTROL_GATE);
        topology.addStateStore(ContextStores.context(), PROCESSOR);
        topology.addStateStore(ContextStores.outputs(), PROCESSOR);
        topology.addSink(EMOTIONS_SINK, topics.names().emotions(), Serdes.String().serializer(),
                topics.emotions().valueSerde().serializer(), PROCESSOR);
        topology.addSink(DLQ_SINK, topics.names().embeddingsDlq(), Serdes.ByteArray().serializer(),
                Serdes.ByteArray().serializer(), EMBEDDINGS_GATE, CONTROL_GATE, PROCESSOR);
        return topology;
    }
}
