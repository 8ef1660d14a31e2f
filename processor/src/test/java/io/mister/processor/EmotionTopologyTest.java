package io.mister.processor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.mister.deadletter.DeadLetterHeaders;
import io.mister.events.EmotionEvent;
import io.mister.events.UtteranceEmbedding;
import io.mister.processor.context.ContextStores;
import io.mister.processor.context.Turn;
import io.mister.processor.inference.ConversationScorer;
import io.mister.processor.inference.EmotionHead;
import io.mister.processor.inference.ModelHolder;
import io.mister.processor.inference.ScoredTurn;
import io.mister.processor.inference.ScoringThreads;
import io.mister.processor.support.EmotionDriver;
import io.mister.processor.support.Fixtures;
import io.mister.processor.support.Turns;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The emotion topology as a specification: records in, events out, with real RocksDB and the real ONNX head. */
class EmotionTopologyTest {

    private static final double SAME = 1e-5;
    private static ModelHolder model;
    private static EmotionHead offlineHead;

    @TempDir
    Path stateDir;

    @BeforeAll
    static void loadModel() {
        model = Fixtures.holder(Fixtures.TINY_HEAD);
        offlineHead = Fixtures.head(Fixtures.TINY_HEAD);
    }

    @AfterAll
    static void closeModel() {
        model.close();
        offlineHead.close();
    }

    private static ProcessorSettings settings() {
        return ProcessorSettings.defaults().withWindow(8, 2).withBatching(16, Duration.ofMillis(20));
    }

    private EmotionDriver driver(ProcessorSettings settings) {
        return new EmotionDriver(model, settings, stateDir);
    }

    @Test
    void everyTurnGetsAProvisionalEventScoredOnTheTurnsSoFar() {
        try (EmotionDriver d = driver(settings())) {
            for (int seq = 0; seq < 5; seq++) {
                d.send(Turns.embedding("call-1", seq));
            }
            d.flushBatch();
            List<EmotionEvent> events = d.events();

            assertThat(events).extracting(EmotionEvent::getSeq).containsExactly(0L, 1L, 2L, 3L, 4L);
            List<ScoredTurn> offline = ConversationScorer.offline(offlineHead, 8, 16).scorePrefixes(Turns.conversation("call-1", 5));
            for (int i = 0; i < 5; i++) {
                EmotionEvent e = events.get(i);
                assertThat(e.getRevision()).isZero();
                assertThat(e.getFinal$()).isFalse();
                assertSameScores(e, offline.get(i));
                assertThat(e.getModelVersion()).isEqualTo("tiny-1");
                assertThat(e.getTextEncoder()).isEqualTo(Fixtures.TEXT_ENCODER);
                assertThat(e.getSpeechEncoder()).isEqualTo(Fixtures.SPEECH_ENCODER);
                assertThat(e.getLabels()).hasSize(7).startsWith("neutral");
                assertThat(e.getProbabilities().stream().mapToDouble(Float::doubleValue).sum()).isCloseTo(1.0, within(1e-4));
                assertThat(e.getExpertWeights().getSpeech() + e.getExpertWeights().getText() + e.getExpertWeights().getCrossModal())
                        .isCloseTo(1f, within(1e-4f));
                assertThat(e.getConfidence()).isEqualTo(e.getProbabilities().get(e.getLabels().indexOf(e.getLabel())));
                assertThat(e.getTextPresent()).isTrue();
                assertThat(e.getSpeechPresent()).isTrue();
                assertThat(e.getLatencyMs()).isEqualTo(e.getEmittedAt().toEpochMilli() - e.getEventTime().toEpochMilli());
            }
            assertThat(metric(d, "open-conversations")).isEqualTo(1.0);
            assertThat(metric(d, "turns-scored-total")).isEqualTo(15.0); // windows of 1 + 2 + 3 + 4 + 5 turns
            assertThat(metric(d, "inference-latency-max-ms")).isPositive();
        }
    }

    @Test
    void aPartlyFilledBatchWaitsUntilItsOldestTurnHasWaitedBatchWait() {
        try (EmotionDriver d = driver(settings())) {
            d.send(Turns.embedding("call-1", 0));
            d.advance(Duration.ofMillis(10));
            d.send(Turns.embedding("call-1", 1));
            d.advance(Duration.ofMillis(5)); // the oldest turn has waited 15 ms of 20: the batch keeps filling
            assertThat(d.events()).isEmpty();
            assertThat(metric(d, ProcessorMetrics.EVENTS_PENDING)).as("a batch being filled").isEqualTo(1.0);

            d.advance(Duration.ofMillis(5)); // 20 ms: both turns are scored together
            assertThat(d.events()).extracting(EmotionEvent::getSeq).containsExactly(0L, 1L);
            assertThat(metric(d, "batch-size-max")).isEqualTo(2.0);
            assertThat(metric(d, ProcessorMetrics.EVENTS_PENDING)).isZero();
        }
    }

    @Test
    void interleavedConversationsAreScoredInOneBatchWithoutMixingContext() {
        try (EmotionDriver d = driver(settings())) {
            for (int seq = 0; seq < 4; seq++) {
                d.send(Turns.embedding("call-a", seq));
                d.send(Turns.embedding("call-b", seq));
            }
            d.flushBatch();
            Map<String, List<EmotionEvent>> byCall = d.events().stream()
                    .collect(Collectors.groupingBy(EmotionEvent::getConversationId));

            for (String call : List.of("call-a", "call-b")) {
                List<ScoredTurn> offline = ConversationScorer.offline(offlineHead, 8, 16).scorePrefixes(Turns.conversation(call, 4));
                List<EmotionEvent> provisional = byCall.get(call).stream().filter(e -> e.getRevision() == 0).toList();
                assertThat(provisional).extracting(EmotionEvent::getSeq).containsExactly(0L, 1L, 2L, 3L);
                for (int i = 0; i < 4; i++) {
                    assertSameScores(provisional.get(i), offline.get(i));
                }
            }
            assertThat(metric(d, "batch-size-max")).isEqualTo(8.0);
            // One scan seeds each conversation's window cache; the other six windows come from memory.
            assertThat(metric(d, "windows-scanned-total")).isEqualTo(2.0);
            assertThat(metric(d, "windows-from-memory-total")).isEqualTo(6.0);
        }
    }

    @Test
    void duplicatesAreIgnoredLateTurnsAreInsertedAndGapsDoNotBlock() {
        try (EmotionDriver d = driver(settings())) {
            d.send(Turns.embedding("call-1", 0));
            d.send(Turns.embedding("call-1", 1));
            d.send(Turns.embedding("call-1", 3));
            d.flushBatch();
            assertThat(d.events()).extracting(EmotionEvent::getSeq).containsExactly(0L, 1L, 3L); // the gap at 2 blocks nothing

            d.send(Turns.embedding("call-1", 1)); // duplicate: same utterance id and seq
            d.send(Turns.embedding("call-1", 2)); // late
            d.flushBatch();
            List<EmotionEvent> afterLate = d.events();

            assertThat(afterLate).filteredOn(e -> e.getSeq() == 2).first().satisfies(e -> {
                assertThat(e.getRevision()).isZero();
                // A late turn is scored with the turns after it within the look-ahead (here: 0..3).
                List<Turn> window = List.of(Turns.turn(Turns.embedding("call-1", 0)), Turns.turn(Turns.embedding("call-1", 1)),
                        Turns.turn(Turns.embedding("call-1", 2)), Turns.turn(Turns.embedding("call-1", 3)));
                assertSameScores(e, ConversationScorer.offline(offlineHead, 8, 16).scoreWhole(window).get(2));
            });
            assertThat(afterLate).allSatisfy(e -> assertThat(e.getRevision() == 0 ? e.getSeq() : 2L).isEqualTo(2L));
            assertThat(metric(d, "duplicate-turns-total")).isEqualTo(1.0);

            UtteranceEmbedding conflicting = Turns.embedding("call-1", 1);
            conflicting.setUtteranceId("someone-else");
            d.send(conflicting);
            assertThat(reasons(d)).containsExactly("SEQ_CONFLICT");

            d.end("call-1");
            List<EmotionEvent> finals = d.events();
            assertThat(finals).extracting(EmotionEvent::getSeq).containsExactly(0L, 1L, 2L, 3L);
            assertThat(finals).allSatisfy(e -> assertThat(e.getFinal$()).isTrue());
        }
    }

    @Test
    void revisionsReEmitChangedLabelsWithinTheLookAheadAndFinalsCloseEveryTurn() {
        ProcessorSettings settings = ProcessorSettings.defaults().withWindow(6, 3).withBatching(1, Duration.ofMillis(20));
        try (EmotionDriver d = driver(settings)) {
            for (int seq = 0; seq < 20; seq++) {
                d.send(Turns.embedding("call-r", seq));
            }
            d.end("call-r");
            List<TestRecord<String, EmotionEvent>> records = d.emotions.readRecordsToList();
            List<EmotionEvent> events = records.stream().map(TestRecord::value).toList();

            Map<Long, List<EmotionEvent>> perTurn = events.stream().collect(Collectors.groupingBy(EmotionEvent::getSeq));
            assertThat(perTurn).hasSize(20);
            perTurn.forEach((seq, history) -> {
                for (int i = 0; i < history.size(); i++) {
                    assertThat(history.get(i).getRevision()).isEqualTo(i);
                    if (i > 0 && !history.get(i).getFinal$()) {
                        assertThat(history.get(i).getLabel()).isNotEqualTo(history.get(i - 1).getLabel());
                    }
                }
                assertThat(history).filteredOn(EmotionEvent::getFinal$).hasSize(1);
                assertThat(history.get(history.size() - 1).getFinal$()).isTrue();
            });
            // A revision of turn t is triggered by the arrival of a turn at most L = 3 later (its record time).
            for (TestRecord<String, EmotionEvent> r : records) {
                EmotionEvent e = r.value();
                if (e.getRevision() > 0 && !e.getFinal$()) {
                    long triggeredBySeq = (r.timestamp() - Turns.T0) / 1000;
                    assertThat(triggeredBySeq - e.getSeq()).isBetween(1L, 3L);
                }
            }
            assertThat(metric(d, "revisions-total")).isGreaterThan(0.0);
        }
    }

    @Test
    void finalEventsEqualAnOfflineBidirectionalScoringAndStateIsDeleted() {
        ProcessorSettings settings = ProcessorSettings.defaults().withWindow(4, 2).withBatching(4, Duration.ofMillis(20));
        try (EmotionDriver d = driver(settings)) {
            for (int seq = 0; seq < 11; seq++) {
                d.send(Turns.embedding("call-f", seq));
            }
            d.end("call-f");
            List<EmotionEvent> finals = d.events().stream().filter(EmotionEvent::getFinal$).toList();

            List<ScoredTurn> offline = ConversationScorer.offline(offlineHead, 4, 4).scoreWhole(Turns.conversation("call-f", 11));
            assertThat(finals).extracting(EmotionEvent::getSeq).containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L);
            for (int i = 0; i < 11; i++) {
                assertSameScores(finals.get(i), offline.get(i));
            }
            assertThat(count(d, ContextStores.CONTEXT)).as("only the end marker is left").isEqualTo(1);
            assertThat(count(d, ContextStores.OUTPUTS)).isZero();
        }
    }

    @Test
    void turnsAfterTheEndAreDeadLetteredDuringTheGraceThenForgotten() {
        ProcessorSettings settings = settings().withEndGrace(Duration.ofMinutes(1));
        try (EmotionDriver d = driver(settings)) {
            d.send(Turns.embedding("call-e", 0));
            d.end("call-e");
            d.events();
            d.send(Turns.embedding("call-e", 1));
            assertThat(reasons(d)).containsExactly("CONVERSATION_ENDED");

            d.advance(Duration.ofMinutes(2));
            assertThat(count(d, ContextStores.CONTEXT)).isZero();
        }
    }

    @Test
    void anEndedThatOvertakesItsLastTurnsWaitsForAsManyTurnsAsItAnnouncesThenFinalises() {
        try (EmotionDriver d = driver(settings())) {
            d.send(Turns.embedding("call-s", 0));
            d.end("call-s", 3L); // the encoder wrote 3 embeddings; 2 are still on their way to this task
            d.end("call-s", 3L); // repeated (a replay, a second producer): still one waiting conversation
            d.send(Turns.embedding("call-s", 1));
            d.flushBatch();
            assertThat(d.events()).as("no final while announced turns are missing")
                    .allSatisfy(e -> assertThat(e.getFinal$()).isFalse());
            assertThat(metric(d, ProcessorMetrics.ENDS_WAITING)).as("the gauge a bounded replay waits on").isEqualTo(1.0);

            d.send(Turns.embedding("call-s", 2)); // the last announced turn: finalised at once, no clock involved
            assertThat(metric(d, ProcessorMetrics.ENDS_WAITING)).isZero();

            List<EmotionEvent> finals = d.events().stream().filter(EmotionEvent::getFinal$).toList();
            assertThat(finals).extracting(EmotionEvent::getSeq).containsExactly(0L, 1L, 2L);
            assertThat(reasons(d)).isEmpty();
            assertThat(metric(d, "end-waits-total")).isEqualTo(1.0);
            d.send(Turns.embedding("call-s", 3));
            assertThat(reasons(d)).as("after the end, stragglers are dead-lettered").containsExactly("CONVERSATION_ENDED");
        }
    }

    @Test
    void anEndedThatArrivesBeforeAnyOfItsTurnsWaitsForThemToo() {
        try (EmotionDriver d = driver(settings())) {
            d.end("call-f", 2L);
            d.send(Turns.embedding("call-f", 0));
            d.send(Turns.embedding("call-f", 1));

            assertThat(d.events().stream().filter(EmotionEvent::getFinal$).toList())
                    .extracting(EmotionEvent::getSeq).containsExactly(0L, 1L);
            assertThat(reasons(d)).isEmpty();
        }
    }

    @Test
    void duplicatesAndDeadLetteredTurnsCountTowardsTheAnnouncedTurns() {
        try (EmotionDriver d = driver(settings().withMaxTurns(2))) {
            d.end("call-c", 4L); // the encoder wrote 4: a duplicate and one over the limit among them
            d.send(Turns.embedding("call-c", 0));
            d.send(Turns.embedding("call-c", 0));
            d.send(Turns.embedding("call-c", 1));
            assertThat(d.events()).noneMatch(EmotionEvent::getFinal$);
            d.send(Turns.embedding("call-c", 2));

            assertThat(d.events().stream().filter(EmotionEvent::getFinal$).toList())
                    .extracting(EmotionEvent::getSeq).containsExactly(0L, 1L);
            assertThat(reasons(d)).containsExactly("CONVERSATION_TOO_LONG");
        }
    }

    @Test
    void anEmbeddingDeadLetteredAtTheGateCountsTowardsTheAnnouncedTurns() {
        try (EmotionDriver d = driver(settings())) {
            d.end("call-g", 2L);
            d.send(Turns.embedding("call-g", 0));
            UtteranceEmbedding nan = Turns.embedding("call-g", 1);
            nan.getTextEmbedding().set(3, Float.NaN);
            d.send(nan);

            assertThat(reasons(d)).containsExactly("NON_FINITE");
            assertThat(d.events().stream().filter(EmotionEvent::getFinal$).toList())
                    .as("finalised at once, not after the end wait").extracting(EmotionEvent::getSeq).containsExactly(0L);
        }
    }

    @Test
    void anEndedWhoseAnnouncedTurnsNeverComeFinalisesAfterTheEndWait() {
        try (EmotionDriver d = driver(settings().withEndWait(Duration.ofSeconds(30)))) {
            d.send(Turns.embedding("call-w", 0));
            d.end("call-w", 2L); // turn 1 was lost on the way (deleted from the topic, say)
            d.advance(Duration.ofSeconds(15));
            assertThat(d.events()).noneMatch(EmotionEvent::getFinal$);
            assertThat(metric(d, ProcessorMetrics.ENDS_WAITING)).isEqualTo(1.0);

            d.advance(Duration.ofSeconds(20));
            assertThat(metric(d, ProcessorMetrics.ENDS_WAITING)).isZero();

            assertThat(d.events().stream().filter(EmotionEvent::getFinal$).toList())
                    .extracting(EmotionEvent::getSeq).containsExactly(0L);
            assertThat(metric(d, "end-waits-expired-total")).isEqualTo(1.0);
        }
    }

    @Test
    void anEndedWithoutATurnCountFinalisesAtOnce() {
        try (EmotionDriver d = driver(settings())) {
            d.send(Turns.embedding("call-n", 0));
            d.end("call-n");

            assertThat(d.events().stream().filter(EmotionEvent::getFinal$).toList())
                    .extracting(EmotionEvent::getSeq).containsExactly(0L);
        }
    }

    @Test
    void aReplayWithOtherBatchTimingReproducesEveryConversationsEvents() {
        List<UtteranceEmbedding> feed = new ArrayList<>();
        for (int seq : new int[] {0, 1, 3, 4, 2, 5, 6, 7}) { // 2 arrives late
            feed.add(Turns.embedding("call-x", seq));
            feed.add(Turns.embedding("call-y", seq, seq % 3 != 0, true));
        }
        Map<String, List<EmotionEvent>> scoredOneByOne = run(settings().withWindow(4, 2).withBatching(1, Duration.ofMillis(20)), feed);
        Map<String, List<EmotionEvent>> scoredInBatches = run(settings().withWindow(4, 2).withBatching(64, Duration.ofMillis(20)), feed);

        assertThat(scoredInBatches.keySet()).containsExactlyInAnyOrder("call-x", "call-y");
        scoredOneByOne.forEach((call, expected) -> {
            List<EmotionEvent> actual = scoredInBatches.get(call);
            assertThat(actual).extracting(EmotionEvent::getSeq, EmotionEvent::getRevision, EmotionEvent::getFinal$, EmotionEvent::getLabel)
                    .containsExactlyElementsOf(expected.stream().map(e -> org.assertj.core.groups.Tuple.tuple(
                            e.getSeq(), e.getRevision(), e.getFinal$(), e.getLabel())).toList());
            for (int i = 0; i < expected.size(); i++) {
                for (int c = 0; c < 7; c++) {
                    assertThat(actual.get(i).getProbabilities().get(c)).isCloseTo(expected.get(i).getProbabilities().get(c), within((float) SAME));
                }
            }
        });
    }

    @Test
    void scoringThreadsEmitTheSameEventsInTheSameOrderAsScoringOnTheStreamThread() {
        List<UtteranceEmbedding> feed = new ArrayList<>();
        for (int seq : new int[] {0, 1, 2, 4, 5, 3, 6, 7, 8, 9, 10, 11}) { // 3 arrives late
            feed.add(Turns.embedding("call-a", seq));
            feed.add(Turns.embedding("call-b", seq, seq % 4 != 1, true)); // some turns without text
            if (seq % 3 == 0) {
                feed.add(Turns.embedding("call-c", seq / 3));
                feed.add(Turns.embedding("call-a", seq)); // a duplicate
            }
        }
        // Batches of 3 fill as turns arrive, so most are handed over from process() and several are out at once.
        ProcessorSettings settings = settings().withWindow(4, 2).withBatching(3, Duration.ofMillis(20));
        List<EmotionEvent> onStreamThread = runAll(settings, feed, ScoringThreads.onCallingThread());
        List<EmotionEvent> onScoringThreads = runAll(settings, feed, ScoringThreads.start(2));

        assertThat(onStreamThread).hasSizeGreaterThan(2 * 30);
        assertThat(onScoringThreads).extracting(EmotionEvent::getConversationId, EmotionEvent::getSeq, EmotionEvent::getRevision,
                        EmotionEvent::getFinal$, EmotionEvent::getLabel)
                .containsExactlyElementsOf(onStreamThread.stream().map(e -> org.assertj.core.groups.Tuple.tuple(
                        e.getConversationId(), e.getSeq(), e.getRevision(), e.getFinal$(), e.getLabel())).toList());
        for (int i = 0; i < onStreamThread.size(); i++) {
            for (int c = 0; c < 7; c++) {
                assertThat(onScoringThreads.get(i).getProbabilities().get(c))
                        .isCloseTo(onStreamThread.get(i).getProbabilities().get(c), within((float) SAME));
            }
        }
    }

    /** Every event of a feed followed by ENDED for each of its conversations, in the order they were emitted. */
    private List<EmotionEvent> runAll(ProcessorSettings settings, List<UtteranceEmbedding> feed, ScoringThreads scoring) {
        try (EmotionDriver d = new EmotionDriver(model, settings, stateDir.resolve("threads-" + scoring.threads()), scoring)) {
            feed.forEach(d::send);
            feed.stream().map(UtteranceEmbedding::getConversationId).distinct().forEach(d::end);
            d.settle(); // the last finals may still be out on a scoring thread
            assertThat(metric(d, ProcessorMetrics.EVENTS_PENDING)).as("nothing left out").isZero();
            assertThat(metric(d, "open-conversations")).isZero();
            return d.events();
        }
    }

    /** Runs a feed through a fresh topology (a replay) and returns each conversation's events in order. */
    private Map<String, List<EmotionEvent>> run(ProcessorSettings settings, List<UtteranceEmbedding> feed) {
        try (EmotionDriver d = new EmotionDriver(model, settings, stateDir.resolve("run-" + settings.batchSize()))) {
            feed.forEach(d::send);
            d.end("call-x");
            d.end("call-y");
            return d.events().stream().collect(Collectors.groupingBy(EmotionEvent::getConversationId));
        }
    }

    @Test
    void missingModalitiesAreRoutedAroundByTheGate() {
        try (EmotionDriver d = driver(settings())) {
            d.send(Turns.embedding("call-m", 0, true, false));  // chat turn: no audio
            d.send(Turns.embedding("call-m", 1, false, true));  // ASR failed: no text
            d.send(Turns.embedding("call-m", 2, true, true));
            d.flushBatch();
            List<EmotionEvent> events = d.events();

            assertThat(events.get(0).getSpeechPresent()).isFalse();
            assertThat(events.get(0).getTextPresent()).isTrue();
            assertThat(events.get(0).getExpertWeights().getSpeech()).isEqualTo(0f);
            assertThat(events.get(1).getTextPresent()).isFalse();
            assertThat(events.get(1).getSpeechPresent()).isTrue();
            assertThat(events.get(1).getExpertWeights().getText()).isEqualTo(0f);
            assertThat(events.get(2).getExpertWeights().getSpeech()).isGreaterThan(0f);
            assertThat(events.get(2).getExpertWeights().getText()).isGreaterThan(0f);
        }
    }

    @Test
    void inactiveConversationsAreFinalisedByTheWallClock() {
        ProcessorSettings settings = settings().withInactivity(Duration.ofMinutes(5), Duration.ofSeconds(10));
        try (EmotionDriver d = driver(settings)) {
            d.send(Turns.embedding("call-i", 0));
            d.send(Turns.embedding("call-i", 1));
            d.flushBatch();
            assertThat(d.events()).noneMatch(EmotionEvent::getFinal$);

            d.advance(Duration.ofMinutes(4));
            assertThat(d.events()).isEmpty();
            d.advance(Duration.ofMinutes(2));
            assertThat(d.events()).extracting(EmotionEvent::getSeq, EmotionEvent::getFinal$)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple(0L, true), org.assertj.core.groups.Tuple.tuple(1L, true));
        }
    }

    @Test
    void poisonGoesToTheDeadLetterTopicWithItsReasonAndOriginalBytes() {
        try (EmotionDriver d = driver(settings())) {
            UtteranceEmbedding nan = Turns.embedding("call-p", 0);
            nan.getTextEmbedding().set(3, Float.NaN);
            UtteranceEmbedding shortText = Turns.embedding("call-p", 1);
            shortText.setTextEmbedding(shortText.getTextEmbedding().subList(0, 5));
            UtteranceEmbedding otherEncoder = Turns.embedding("call-p", 2);
            otherEncoder.getSpeechEncoder().setVersion("2");
            d.send(nan);
            d.send(shortText);
            d.send(otherEncoder);
            d.rawEmbeddings.pipeInput("call-p".getBytes(), new byte[] {1, 2, 3});

            List<TestRecord<byte[], byte[]>> letters = d.deadLetters.readRecordsToList();
            assertThat(letters).extracting(r -> DeadLetterHeaders.read(r.headers(), DeadLetterHeaders.REASON))
                    .containsExactly("NON_FINITE", "DIMENSION_MISMATCH", "ENCODER_MISMATCH", "UNDECODABLE");
            assertThat(letters.get(0).value()).isEqualTo(d.topics.embeddings().valueSerde().serializer().serialize("x", nan));
            d.flushBatch();
            assertThat(d.events()).isEmpty();
        }
    }

    @Test
    void aConversationIsCappedAtMaxTurns() {
        try (EmotionDriver d = driver(settings().withMaxTurns(3))) {
            for (int seq = 0; seq < 4; seq++) {
                d.send(Turns.embedding("call-long", seq));
            }
            assertThat(reasons(d)).containsExactly("CONVERSATION_TOO_LONG");
        }
    }

    private static void assertSameScores(EmotionEvent event, ScoredTurn expected) {
        assertThat(event.getUtteranceId()).isEqualTo(expected.turn().utteranceId());
        assertThat(event.getLabels().indexOf(event.getLabel())).isEqualTo(expected.label());
        float[] probabilities = expected.probabilities();
        for (int c = 0; c < probabilities.length; c++) {
            assertThat(event.getProbabilities().get(c)).isCloseTo(probabilities[c], within((float) SAME));
        }
    }

    private static List<String> reasons(EmotionDriver d) {
        return d.deadLetters.readRecordsToList().stream()
                .map(r -> DeadLetterHeaders.read(r.headers(), DeadLetterHeaders.REASON)).toList();
    }

    private static double metric(EmotionDriver d, String name) {
        return d.driver.metrics().entrySet().stream().filter(e -> e.getKey().name().equals(name))
                .mapToDouble(e -> ((Number) e.getValue().metricValue()).doubleValue()).max().orElseThrow();
    }

    private static int count(EmotionDriver d, String store) {
        KeyValueStore<Bytes, byte[]> kv = d.driver.getKeyValueStore(store);
        List<Object> keys = new ArrayList<>();
        try (KeyValueIterator<Bytes, byte[]> all = kv.all()) {
            all.forEachRemaining(keys::add);
        }
        return keys.size();
    }
}
