package io.mister.processor.emission;

import io.mister.events.EmotionEvent;
import io.mister.processor.context.ConversationState;
import io.mister.processor.context.TurnOutput;
import io.mister.processor.inference.HeadSpec;
import io.mister.processor.inference.ScoredTurn;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Emits events and records what was emitted, so the next revision compares against it: provisional
 * (revision 0), revisions (previous + 1, only when the label changed) and finals (previous + 1, always,
 * exactly once per turn).
 */
public final class TurnEmitter {

    /** Counts what was emitted (metrics). */
    public interface Listener {
        void revisionEmitted();
    }

    private final ProcessorContext<Object, Object> context;
    private final ConversationState state;
    private final String emotionsChild;
    private final RevisionRule rule;
    private final Listener listener;

    public TurnEmitter(ProcessorContext<Object, Object> context, ConversationState state, String emotionsChild,
                       RevisionRule rule, Listener listener) {
        this.context = context;
        this.state = state;
        this.emotionsChild = emotionsChild;
        this.rule = rule;
        this.listener = listener;
    }

    public RevisionRule rule() {
        return rule;
    }

    /** The first event of a turn that just arrived. */
    public void provisional(String conversationId, ScoredTurn scored, HeadSpec spec, long timestamp) {
        emit(conversationId, scored, spec, 0, false, timestamp);
    }

    /** Re-emits a turn whose label changed; does nothing when it did not. */
    public void maybeRevise(String conversationId, ScoredTurn scored, HeadSpec spec, long timestamp) {
        TurnOutput previous = state.output(conversationId, scored.turn().seq());
        if (rule.changes(previous, scored.label())) {
            emit(conversationId, scored, spec, previous.revision() + 1, false, timestamp);
            listener.revisionEmitted();
        }
    }

    /** The one final event of a turn. */
    public void finalEvent(String conversationId, ScoredTurn scored, HeadSpec spec, long timestamp) {
        TurnOutput previous = state.output(conversationId, scored.turn().seq());
        emit(conversationId, scored, spec, previous == null ? 0 : previous.revision() + 1, true, timestamp);
    }

    private void emit(String conversationId, ScoredTurn scored, HeadSpec spec, int revision, boolean isFinal, long timestamp) {
        EmotionEvent event = new EmotionEventFactory(spec)
                .event(conversationId, scored, revision, isFinal, context.currentSystemTimeMs());
        if (!isFinal) {
            state.putOutput(conversationId, new TurnOutput(scored.turn().utteranceId(), scored.turn().seq(),
                    scored.turn().eventTime(), scored.label(), revision, scored.probabilities(), spec.modelVersion()));
        }
        // The record timestamp is an event time, never the wall clock: a replay writes the same records.
        context.forward(new Record<>(conversationId, event, timestamp), emotionsChild);
    }
}
