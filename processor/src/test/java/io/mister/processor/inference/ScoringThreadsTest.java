package io.mister.processor.inference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.mister.processor.support.Latches;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class ScoringThreadsTest {

    @Test
    void callsRunOnDaemonScoringThreadsEachWithItsOwnInputBuffers() {
        try (ScoringThreads threads = ScoringThreads.start(2)) {
            CountDownLatch bothRunning = new CountDownLatch(2);
            Function<HeadInputs, HeadInputs> meetTheOther = inputs -> {
                bothRunning.countDown();
                Latches.await(bothRunning); // two calls at once: one on each thread
                assertThat(Thread.currentThread().getName()).startsWith("mister-scoring-");
                assertThat(Thread.currentThread().isDaemon()).isTrue();
                return inputs;
            };
            var first = threads.submit(meetTheOther);
            var second = threads.submit(meetTheOther);
            assertThat(first.join()).isNotSameAs(second.join());
            assertThat(threads.threads()).isEqualTo(2);
        }
    }

    @Test
    void withoutThreadsACallRunsOnTheCallingThreadBeforeSubmitReturns() {
        try (ScoringThreads inline = ScoringThreads.onCallingThread()) {
            Thread caller = Thread.currentThread();
            var future = inline.submit(inputs -> Thread.currentThread());
            assertThat(future).isCompleted();
            assertThat(future.join()).isSameAs(caller);
        }
    }

    @Test
    void aFailingCallFailsItsFutureNotTheCaller() {
        try (ScoringThreads inline = ScoringThreads.onCallingThread(); ScoringThreads pool = ScoringThreads.start(1)) {
            for (ScoringThreads threads : new ScoringThreads[] {inline, pool}) {
                var future = threads.submit(inputs -> {
                    throw new IllegalStateException("head failed");
                });
                assertThatThrownBy(future::join).isInstanceOf(CompletionException.class)
                        .hasCauseInstanceOf(IllegalStateException.class).hasRootCauseMessage("head failed");
            }
        }
    }

    @Test
    void aClosedPoolRefusesNewCalls() {
        ScoringThreads threads = ScoringThreads.start(1);
        threads.close();
        assertThatThrownBy(() -> threads.submit(inputs -> 1)).isInstanceOf(RejectedExecutionException.class);
    }

    @Test
    void aNegativeThreadCountIsRefused() {
        assertThatThrownBy(() -> ScoringThreads.start(-1)).hasMessageContaining(">= 0");
    }
}
