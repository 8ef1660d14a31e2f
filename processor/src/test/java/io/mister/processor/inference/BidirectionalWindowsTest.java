package io.mister.processor.inference;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BidirectionalWindowsTest {

    @Test
    void aShortConversationIsOneWindow() {
        BidirectionalWindows plan = BidirectionalWindows.plan(5, 8);
        assertThat(plan.windows()).containsExactly(new BidirectionalWindows.Window(0, 5));
        assertThat(plan.assignment(4)).isEqualTo(new BidirectionalWindows.Assignment(0, 4));
    }

    @Test
    void aLongConversationUsesHalfOverlappingWindowsAndEachTurnItsMostCentralOne() {
        BidirectionalWindows plan = BidirectionalWindows.plan(11, 4);
        assertThat(plan.windows()).extracting(BidirectionalWindows.Window::start).containsExactly(0, 2, 4, 6, 7);
        assertThat(plan.windows()).allSatisfy(w -> assertThat(w.length()).isEqualTo(4));
        for (int turn = 0; turn < 11; turn++) {
            BidirectionalWindows.Window w = plan.windows().get(plan.assignment(turn).window());
            assertThat(turn).isBetween(w.start(), w.start() + w.length() - 1);
            assertThat(plan.assignment(turn).row()).isEqualTo(turn - w.start());
        }
        // Turn 5 has context on both sides: it is served by the window 4..7 (rows 1), not 2..5 (its last row).
        assertThat(plan.assignment(5).window()).isEqualTo(2);
        assertThat(plan.assignment(10).window()).isEqualTo(4);
    }
}
