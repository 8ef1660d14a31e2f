package io.mister.app.demo;

import io.mister.events.EmotionEvent;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What the view knows about every turn: what was said, and each emotion event it received so far. */
public final class TurnTimeline {

    /** One turn's history. */
    public static final class TurnView {
        final String conversationId;
        final int seq;
        final String speaker;
        final String text;
        final String intended;
        final boolean audio;
        final List<EmotionEvent> events = new ArrayList<>();

        TurnView(String conversationId, int seq, String speaker, String text, String intended, boolean audio) {
            this.conversationId = conversationId;
            this.seq = seq;
            this.speaker = speaker;
            this.text = text;
            this.intended = intended;
            this.audio = audio;
        }

        public EmotionEvent latest() {
            return events.isEmpty() ? null : events.get(events.size() - 1);
        }

        public EmotionEvent provisional() {
            return events.isEmpty() ? null : events.get(0);
        }

        public boolean isFinal() {
            EmotionEvent last = latest();
            return last != null && last.getFinal$();
        }

        public String intended() {
            return intended;
        }
    }

    private final Map<String, TurnView> turns = new LinkedHashMap<>();
    private final List<String> conversations = new ArrayList<>();

    public TurnTimeline(DemoScript script) {
        for (DemoScript.Conversation c : script.conversations()) {
            conversations.add(c.id());
            for (int t = 0; t < c.turns().size(); t++) {
                DemoScript.Turn turn = c.turns().get(t);
                turns.put(key(c.id(), t), new TurnView(c.id(), t, turn.speaker(), turn.text(), turn.emotion(), c.spoken()));
            }
        }
    }

    private static String key(String conversationId, long seq) {
        return conversationId + "#" + seq;
    }

    /** Records an event; returns the turn it belongs to, or null for an unknown turn. */
    public synchronized TurnView add(EmotionEvent event) {
        TurnView turn = turns.get(key(event.getConversationId(), event.getSeq()));
        if (turn != null) {
            turn.events.add(event);
        }
        return turn;
    }

    public synchronized boolean allFinal() {
        return turns.values().stream().allMatch(TurnView::isFinal);
    }

    public synchronized long finalCount() {
        return turns.values().stream().filter(TurnView::isFinal).count();
    }

    public synchronized List<TurnView> turns() {
        return List.copyOf(turns.values());
    }

    public List<String> conversations() {
        return conversations;
    }
}
