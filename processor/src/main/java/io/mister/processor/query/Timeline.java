package io.mister.processor.query;

import java.util.List;
import java.util.Map;

/**
 * The current emotion timeline of an open conversation: the latest emitted (provisional or revised)
 * result of each turn so far, in seq order. A finalised conversation has no timeline (its state is
 * deleted; its final events are on the emotions topic).
 *
 * @param conversationId the conversation
 * @param servedBy {@code host:port} of the instance that owns the conversation's state
 * @param turns one entry per turn with an emitted result
 */
public record Timeline(String conversationId, String servedBy, List<Entry> turns) {

    /** One turn's latest result. */
    public record Entry(String utteranceId, long seq, long eventTime, String label, float confidence, int revision,
                        String modelVersion, Map<String, Float> probabilities) {}
}
