package io.mister.app.demo;

import io.mister.events.EmotionEvent;
import io.mister.events.ExpertWeights;
import java.io.PrintStream;
import java.util.Locale;

/**
 * The terminal view of the demo. Rich mode redraws the whole screen (ANSI) with one line per turn:
 * who, what, the provisional label, its revisions, the final label with its confidence, and the
 * gate's three weights (speech, text, cross-modal) as small bars. Plain mode (--plain, for logs and
 * CI) prints one line per emotion event instead.
 */
public final class LiveView {

    private static final String CLEAR = "\033[H\033[2J";
    private static final String BOLD = "\033[1m";
    private static final String DIM = "\033[2m";
    private static final String RESET = "\033[0m";
    private static final String[] BLOCKS = {" ", "\u2581", "\u2582", "\u2583", "\u2584", "\u2585", "\u2586", "\u2587", "\u2588"};

    private final PrintStream out;
    private final boolean plain;
    private final TurnTimeline timeline;
    private long lastDraw;

    public LiveView(PrintStream out, boolean plain, TurnTimeline timeline) {
        this.out = out;
        this.plain = plain;
        this.timeline = timeline;
    }

    /** Called for every emotion event. */
    public synchronized void onEvent(EmotionEvent event, TurnTimeline.TurnView turn) {
        if (plain) {
            out.println(plainLine(event, turn));
            return;
        }
        long now = System.currentTimeMillis();
        if (now - lastDraw > 150 || event.getFinal$()) {
            draw();
            lastDraw = now;
        }
    }

    /** Called when a turn is published (it shows before its first emotion event). */
    public synchronized void onPublished(String conversationId, long seq, String text) {
        if (plain) {
            out.printf("%-22s #%02d  published: %s%n", conversationId, seq, ellipsis(text, 70));
        } else {
            draw();
        }
    }

    public synchronized void draw() {
        if (plain) {
            return;
        }
        StringBuilder screen = new StringBuilder(CLEAR);
        screen.append(BOLD).append("MiSTER-E live demo").append(RESET)
              .append(DIM).append("   provisional -> revisions -> FINAL (confidence)   gate: S speech, T text, X cross-modal")
              .append(RESET).append("\n");
        String current = null;
        for (TurnTimeline.TurnView turn : timeline.turns()) {
            if (!turn.conversationId.equals(current)) {
                current = turn.conversationId;
                screen.append('\n').append(BOLD).append(current).append(RESET)
                      .append(turn.audio ? DIM + "  (voice)" + RESET : DIM + "  (chat, no audio)" + RESET).append('\n');
            }
            screen.append(richLine(turn)).append('\n');
        }
        screen.append(String.format("%n%d of %d turns final%n", timeline.finalCount(), timeline.turns().size()));
        out.print(screen);
        out.flush();
    }

    private String richLine(TurnTimeline.TurnView turn) {
        StringBuilder line = new StringBuilder(String.format(" #%02d %-8s %-46s ", turn.seq, turn.speaker, ellipsis(turn.text, 46)));
        if (turn.events.isEmpty()) {
            return line.append(DIM).append("...").append(RESET).toString();
        }
        StringBuilder labels = new StringBuilder();
        for (EmotionEvent e : turn.events) {
            if (labels.length() > 0) {
                labels.append(" > ");
            }
            labels.append(e.getFinal$() ? BOLD + e.getLabel().toUpperCase(Locale.ROOT) + RESET : e.getLabel());
        }
        EmotionEvent latest = turn.latest();
        line.append(String.format("%-40s %3.0f%%  %s", labels, latest.getConfidence() * 100, bars(latest.getExpertWeights())));
        return line.toString();
    }

    private static String plainLine(EmotionEvent e, TurnTimeline.TurnView turn) {
        String kind = e.getFinal$() ? "FINAL" : e.getRevision() == 0 ? "provisional" : "revision " + e.getRevision();
        ExpertWeights w = e.getExpertWeights();
        return String.format("%-22s #%02d  %-11s %-9s %4.0f%%  gate S%.2f T%.2f X%.2f  %5d ms  %s",
                e.getConversationId(), e.getSeq(), kind, e.getLabel(), e.getConfidence() * 100,
                w.getSpeech(), w.getText(), w.getCrossModal(), e.getLatencyMs(),
                turn == null ? "" : "\"" + ellipsis(turn.text, 60) + "\"");
    }

    static String bars(ExpertWeights w) {
        return "S" + bar(w.getSpeech()) + " T" + bar(w.getText()) + " X" + bar(w.getCrossModal());
    }

    /** A weight in [0, 1] as a three-character bar. */
    static String bar(float weight) {
        int eighths = Math.round(Math.max(0, Math.min(1, weight)) * 24);
        StringBuilder bar = new StringBuilder();
        for (int i = 0; i < 3; i++) {
            bar.append(BLOCKS[Math.max(0, Math.min(8, eighths - i * 8))]);
        }
        return bar.toString();
    }

    private static String ellipsis(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max - 1) + "\u2026";
    }
}
