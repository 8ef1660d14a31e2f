package io.mister.processor.query;

import io.mister.processor.context.TurnKey;
import io.mister.processor.context.TurnOutput;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/** Reads a conversation's timeline from this instance's outputs store with one prefix range scan. */
public final class LocalTimelineReader {

    private final Supplier<ReadOnlyKeyValueStore<Bytes, byte[]>> outputs;
    private final List<String> labels;

    /**
     * @param outputs the outputs store (looked up per call: it moves between instances on rebalances)
     * @param labels the model's labels, to name each turn's label index
     */
    public LocalTimelineReader(Supplier<ReadOnlyKeyValueStore<Bytes, byte[]>> outputs, List<String> labels) {
        this.outputs = outputs;
        this.labels = List.copyOf(labels);
    }

    public List<Timeline.Entry> read(String conversationId) {
        List<Timeline.Entry> entries = new ArrayList<>();
        try (KeyValueIterator<Bytes, byte[]> scan = outputs.get().range(TurnKey.first(conversationId), TurnKey.last(conversationId))) {
            while (scan.hasNext()) {
                var entry = scan.next();
                TurnOutput out = TurnOutput.fromBytes(TurnKey.seq(entry.key), entry.value);
                Map<String, Float> probabilities = new LinkedHashMap<>();
                for (int c = 0; c < labels.size() && c < out.probabilities().length; c++) {
                    probabilities.put(labels.get(c), out.probabilities()[c]);
                }
                entries.add(new Timeline.Entry(out.utteranceId(), out.seq(), out.eventTime(), labels.get(out.label()),
                        out.confidence(), out.revision(), out.modelVersion(), probabilities));
            }
        }
        return entries;
    }
}
