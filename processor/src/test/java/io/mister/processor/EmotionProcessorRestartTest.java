package io.mister.processor;

import static org.assertj.core.api.Assertions.assertThat;

import io.mister.events.EmotionEvent;
import io.mister.processor.context.ContextStores;
import io.mister.processor.inference.ModelHolder;
import io.mister.processor.inference.ScoringThreads;
import io.mister.processor.lifecycle.EmbeddingArrival;
import io.mister.processor.support.Fixtures;
import io.mister.processor.support.Latches;
import io.mister.processor.support.Turns;
import io.mister.events.ControlType;
import io.mister.events.ConversationControl;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.TaskId;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.StoreBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One EmotionProcessor in a MockProcessorContext over real RocksDB stores in a state directory that
 * outlives the processor: what a restarted instance finds (TopologyTestDriver wipes its state directory
 * on close, so it cannot show this).
 */
class EmotionProcessorRestartTest {

    private static ModelHolder model;

    @TempDir
    Path stateDir;

    @BeforeAll
    static void loadModel() {
        model = Fixtures.holder(Fixtures.TINY_HEAD);
    }

    @AfterAll
    static void closeModel() {
        model.close();
    }

    /** A processor instance with its context and stores opened on {@link #stateDir}. */
    private final class Instance implements AutoCloseable {
        final MockProcessorContext<Object, Object> context;
        final EmotionProcessor processor;
        final List<StateStore> stores = new ArrayList<>();

        /** Scoring on the stream thread: a flushed batch's events are forwarded before the call returns. */
        Instance() {
            this(16, ScoringThreads.onCallingThread());
        }

        Instance(int batchSize, ScoringThreads scoring) {
            Properties props = new Properties();
            props.put(StreamsConfig.APPLICATION_ID_CONFIG, "restart-test");
            props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
            context = new MockProcessorContext<>(props, new TaskId(0, 0), stateDir.toFile());
            context.setCurrentSystemTimeMs(Turns.T0);
            context.setRecordMetadata("utterance-embeddings", 0, 0);
            for (StoreBuilder<?> builder : List.of(ContextStores.context(), ContextStores.outputs())) {
                StateStore store = builder.withLoggingDisabled().withCachingDisabled().build();
                store.init(context.getStateStoreContext(), store);
                stores.add(store);
            }
            processor = new EmotionProcessor(model, scoring, ProcessorSettings.defaults().withWindow(8, 2)
                    .withBatching(batchSize, Duration.ofMillis(20)), "emotions", "dlq");
            processor.init(context);
        }

        void send(long seq) {
            var e = Turns.embedding("call-s", seq);
            processor.process(new Record<>("call-s", new EmbeddingArrival(e, new byte[0]), e.getEventTime().toEpochMilli()));
        }

        /** The punctuators at the moment the batch's oldest turn (enqueued at T0) has waited batchWait. */
        void flushBatch() {
            context.scheduledPunctuators().forEach(p -> p.getPunctuator().punctuate(Turns.T0 + 20));
        }

        void end(Long turnCount) {
            processor.process(new Record<>("call-s",
                    new ConversationControl("call-s", ControlType.ENDED, Instant.ofEpochMilli(Turns.T0 + 10_000), turnCount), Turns.T0 + 10_000));
        }

        long deadLetterCount() {
            return context.forwarded().stream().filter(f -> "dlq".equals(f.childName().orElse(null))).count();
        }

        List<EmotionEvent> events() {
            List<EmotionEvent> events = context.forwarded().stream().filter(f -> f.record().value() instanceof EmotionEvent)
                    .map(f -> (EmotionEvent) f.record().value()).toList();
            context.resetForwards();
            return events;
        }

        @Override
        public void close() {
            processor.close();
            // What a commit and a clean shutdown do: flush, then close.
            stores.forEach(StateStore::flush);
            stores.forEach(StateStore::close);
        }
    }

    @Test
    void turnsAndPendingArrivalsSurviveARestart() {
        try (Instance first = new Instance()) {
            first.send(0);
            first.send(1);
            first.flushBatch();
            assertThat(first.events()).extracting(EmotionEvent::getSeq).containsExactly(0L, 1L);
            first.send(2); // stored and noted as pending, but not scored before the instance stops
            assertThat(first.events()).isEmpty();
        }
        try (Instance second = new Instance()) {
            second.flushBatch();
            assertThat(second.events()).extracting(EmotionEvent::getSeq, EmotionEvent::getRevision)
                    .contains(org.assertj.core.groups.Tuple.tuple(2L, 0));
            second.send(3);
            second.processor.process(new Record<>("call-s",
                    new ConversationControl("call-s", ControlType.ENDED, Instant.ofEpochMilli(Turns.T0 + 10_000), null), Turns.T0 + 10_000));
            List<EmotionEvent> finals = second.events().stream().filter(EmotionEvent::getFinal$).toList();
            assertThat(finals).extracting(EmotionEvent::getSeq).containsExactly(0L, 1L, 2L, 3L);
        }
    }

    @Test
    void batchesStillBeingScoredWhenTheInstanceStopsAreScoredByTheNextOne() throws InterruptedException {
        CountDownLatch release = new CountDownLatch(1);
        try (ScoringThreads one = ScoringThreads.start(1)) {
            // Holds the only scoring thread, so the batches below stay out until the instance stops.
            one.submit(inputs -> {
                Latches.await(release);
                return null;
            });
            try (Instance first = new Instance(2, one)) {
                try {
                    first.send(0);
                    first.send(1); // a full batch: handed to the (busy) scoring thread
                    first.send(2); // its arrival rewrites the pending notes: those of turns 0 and 1 must stay
                    assertThat(first.events()).isEmpty();
                } finally {
                    release.countDown(); // the instance's close waits for the work it handed over
                }
            }
        }
        try (Instance second = new Instance(2, ScoringThreads.onCallingThread())) {
            second.flushBatch();
            assertThat(second.events()).extracting(EmotionEvent::getSeq, EmotionEvent::getRevision)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple(0L, 0), org.assertj.core.groups.Tuple.tuple(1L, 0),
                            org.assertj.core.groups.Tuple.tuple(2L, 0));
        }
    }

    @Test
    void aConversationWhoseFinalsWereStillBeingScoredIsFinalisedByTheNextInstance() {
        CountDownLatch release = new CountDownLatch(1);
        try (ScoringThreads one = ScoringThreads.start(1)) {
            one.submit(inputs -> { // holds the only scoring thread: the work below stays out until the instance stops
                Latches.await(release);
                return null;
            });
            try (Instance first = new Instance(16, one)) {
                try {
                    first.send(0);
                    first.send(1);
                    first.end(2L); // both announced turns are in: the batch and the finals are handed over
                    first.send(2); // after the end: dead-lettered, not scored into the finals
                    assertThat(first.deadLetterCount()).isEqualTo(1);
                    assertThat(first.events()).isEmpty();
                } finally {
                    release.countDown(); // the instance's close waits for the work it handed over
                }
            }
        }
        try (Instance second = new Instance(16, ScoringThreads.onCallingThread())) {
            second.flushBatch(); // the first punctuation finalises what the first instance could not
            assertThat(second.events()).extracting(EmotionEvent::getSeq, EmotionEvent::getFinal$)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple(0L, false), org.assertj.core.groups.Tuple.tuple(1L, false),
                            org.assertj.core.groups.Tuple.tuple(0L, true), org.assertj.core.groups.Tuple.tuple(1L, true));
            second.send(3);
            assertThat(second.deadLetterCount()).as("the conversation stays ended").isEqualTo(1);
        }
    }

    @Test
    void anEndedWaitingForItsLastTurnsStillWaitsAfterARestart() {
        try (Instance first = new Instance()) {
            first.send(0);
            first.processor.process(new Record<>("call-s",
                    new ConversationControl("call-s", ControlType.ENDED, Instant.ofEpochMilli(Turns.T0 + 10_000), 2L), Turns.T0 + 10_000));
            assertThat(first.events()).noneMatch(EmotionEvent::getFinal$);
        }
        try (Instance second = new Instance()) {
            second.send(1); // the second announced turn, received by the next instance

            List<EmotionEvent> finals = second.events().stream().filter(EmotionEvent::getFinal$).toList();
            assertThat(finals).extracting(EmotionEvent::getSeq).containsExactly(0L, 1L);
        }
    }
}
