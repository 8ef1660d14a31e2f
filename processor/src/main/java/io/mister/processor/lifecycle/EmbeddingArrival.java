package io.mister.processor.lifecycle;

import io.mister.events.UtteranceEmbedding;

/**
 * A decoded embedding together with the bytes it came from, so that a turn refused later by business
 * rules (conversation ended, too long, seq conflict) reaches the DLQ as its original bytes.
 */
public record EmbeddingArrival(UtteranceEmbedding embedding, byte[] original) {}
