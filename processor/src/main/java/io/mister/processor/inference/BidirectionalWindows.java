package io.mister.processor.inference;

import java.util.ArrayList;
import java.util.List;

/**
 * How a whole conversation is scored with full context: in one window when it has at most {@code W}
 * turns, else in windows of {@code W} turns overlapping by half, each turn taking its scores from the
 * window where it sits most centrally (ties to the earlier window). About {@code 2n/W} windows instead
 * of one per turn.
 */
public final class BidirectionalWindows {

    /** A window {@code [start, start + length)} and, for each turn it serves, the turn's index. */
    public record Window(int start, int length) {}

    /** For turn {@code i}: which window and which row of it. */
    public record Assignment(int window, int row) {}

    private final List<Window> windows;
    private final List<Assignment> assignments;

    private BidirectionalWindows(List<Window> windows, List<Assignment> assignments) {
        this.windows = List.copyOf(windows);
        this.assignments = List.copyOf(assignments);
    }

    public static BidirectionalWindows plan(int turns, int windowTurns) {
        List<Window> windows = new ArrayList<>();
        if (turns <= windowTurns) {
            windows.add(new Window(0, turns));
        } else {
            int stride = Math.max(1, windowTurns / 2);
            int start = 0;
            while (true) {
                if (start + windowTurns >= turns) {
                    windows.add(new Window(turns - windowTurns, windowTurns));
                    break;
                }
                windows.add(new Window(start, windowTurns));
                start += stride;
            }
        }
        List<Assignment> assignments = new ArrayList<>(turns);
        for (int i = 0; i < turns; i++) {
            int best = -1;
            double bestDistance = Double.MAX_VALUE;
            for (int w = 0; w < windows.size(); w++) {
                Window window = windows.get(w);
                if (i < window.start() || i >= window.start() + window.length()) {
                    continue;
                }
                double distance = Math.abs(i - (window.start() + (window.length() - 1) / 2.0));
                if (distance < bestDistance) {
                    bestDistance = distance;
                    best = w;
                }
            }
            assignments.add(new Assignment(best, i - windows.get(best).start()));
        }
        return new BidirectionalWindows(windows, assignments);
    }

    public List<Window> windows() {
        return windows;
    }

    public Assignment assignment(int turn) {
        return assignments.get(turn);
    }
}
