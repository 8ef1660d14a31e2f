package io.mister.processor.lifecycle;

import io.mister.events.UtteranceEmbedding;
import org.apache.kafka.common.serialization.Deserializer;

/** Decodes an embedding and keeps the raw bytes beside it (see {@link EmbeddingArrival}). */
public final class EmbeddingArrivalDeserializer implements Deserializer<EmbeddingArrival> {

    private final Deserializer<UtteranceEmbedding> inner;

    public EmbeddingArrivalDeserializer(Deserializer<UtteranceEmbedding> inner) {
        this.inner = inner;
    }

    @Override
    public EmbeddingArrival deserialize(String topic, byte[] data) {
        UtteranceEmbedding embedding = inner.deserialize(topic, data);
        return embedding == null ? null : new EmbeddingArrival(embedding, data);
    }

    @Override
    public void close() {
        inner.close();
    }
}
