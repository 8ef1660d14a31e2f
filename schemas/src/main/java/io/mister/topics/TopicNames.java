package io.mister.topics;

/**
 * The names of the pipeline's topics; the defaults are those of DESIGN.md. Configurable so that
 * several pipelines (or a re-scoring run into {@code emotions-v2}) can share a cluster.
 *
 * <p>{@code embeddingsControl} carries the control events (STARTED / ENDED) as the encoder stage
 * forwards them, in order behind the embeddings of the turns that preceded them; the emotion
 * processor reads it, never {@code control} itself. It must be co-partitioned with
 * {@code embeddings}.
 */
public record TopicNames(
        String utterances,
        String control,
        String embeddings,
        String embeddingsControl,
        String emotions,
        String utterancesDlq,
        String embeddingsDlq) {

    public static final TopicNames DEFAULTS = new TopicNames(
            "utterances", "conversation-control", "utterance-embeddings", "embeddings-control", "emotions",
            "utterances-dlq", "utterance-embeddings-dlq");

    public TopicNames withEmotions(String emotionsTopic) {
        return new TopicNames(utterances, control, embeddings, embeddingsControl, emotionsTopic, utterancesDlq,
                embeddingsDlq);
    }

    public TopicNames withEmbeddingsDlq(String embeddingsDlqTopic) {
        return new TopicNames(utterances, control, embeddings, embeddingsControl, emotions, utterancesDlq,
                embeddingsDlqTopic);
    }

    public java.util.List<String> all() {
        return java.util.List.of(utterances, control, embeddings, embeddingsControl, emotions, utterancesDlq,
                embeddingsDlq);
    }
}
