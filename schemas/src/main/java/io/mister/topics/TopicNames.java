package io.mister.topics;

/**
 * The names of the pipeline's topics; the defaults are those of DESIGN.md. Configurable so that
 * several pipelines (or a re-scoring run into {@code emotions-v2}) can share a cluster.
 */
public record TopicNames(
        String utterances,
        String control,
        String embeddings,
        String emotions,
        String utterancesDlq,
        String embeddingsDlq) {

    public static final TopicNames DEFAULTS = new TopicNames(
            "utterances", "conversation-control", "utterance-embeddings", "emotions",
            "utterances-dlq", "utterance-embeddings-dlq");

    public TopicNames withEmotions(String emotionsTopic) {
        return new TopicNames(utterances, control, embeddings, emotionsTopic, utterancesDlq, embeddingsDlq);
    }

    public java.util.List<String> all() {
        return java.util.List.of(utterances, control, embeddings, emotions, utterancesDlq, embeddingsDlq);
    }
}
