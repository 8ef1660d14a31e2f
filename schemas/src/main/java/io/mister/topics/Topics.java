package io.mister.topics;

import io.mister.events.ConversationControl;
import io.mister.events.EmotionEvent;
import io.mister.events.Utterance;
import io.mister.events.UtteranceEmbedding;
import io.mister.serde.EventSerdes;
import org.apache.kafka.common.serialization.Serdes;

/**
 * Every topic of the pipeline with its serdes, gathered in one place. Keys are conversation ids
 * (UTF-8 strings) everywhere. Stages that must dead-letter undecodable input read the raw form.
 */
public final class Topics {

    private final TopicNames names;
    private final EventSerdes serdes;
    private final Topic<String, Utterance> utterances;
    private final Topic<String, ConversationControl> control;
    private final Topic<String, UtteranceEmbedding> embeddings;
    private final Topic<String, ConversationControl> embeddingsControl;
    private final Topic<String, EmotionEvent> emotions;

    public Topics(TopicNames names, EventSerdes serdes) {
        this.names = names;
        this.serdes = serdes;
        this.utterances = new Topic<>(names.utterances(), Serdes.String(), serdes.utterance());
        this.control = new Topic<>(names.control(), Serdes.String(), serdes.control());
        this.embeddings = new Topic<>(names.embeddings(), Serdes.String(), serdes.embedding());
        this.embeddingsControl = new Topic<>(names.embeddingsControl(), Serdes.String(), serdes.control());
        this.emotions = new Topic<>(names.emotions(), Serdes.String(), serdes.emotion());
    }

    public TopicNames names() {
        return names;
    }

    public EventSerdes serdes() {
        return serdes;
    }

    public Topic<String, Utterance> utterances() {
        return utterances;
    }

    public Topic<String, ConversationControl> control() {
        return control;
    }

    public Topic<String, UtteranceEmbedding> embeddings() {
        return embeddings;
    }

    /** Control events as the encoder stage forwards them, ordered behind the embeddings of earlier turns. */
    public Topic<String, ConversationControl> embeddingsControl() {
        return embeddingsControl;
    }

    public Topic<String, EmotionEvent> emotions() {
        return emotions;
    }

    /** Any topic read or written as raw bytes (inputs that may hold poison, and dead-letter topics). */
    public static Topic<byte[], byte[]> raw(String name) {
        return new Topic<>(name, Serdes.ByteArray(), Serdes.ByteArray());
    }
}
