package io.mister.processor;

import io.mister.deadletter.DeadLetterReason;
import io.mister.deadletter.DeadLetters;
import io.mister.deadletter.RejectedInput;
import io.mister.deadletter.RejectedRecordException;
import io.mister.events.ControlType;
import io.mister.events.ConversationControl;
import io.mister.events.UtteranceEmbedding;
import io.mister.processor.context.ContextStores;
import io.mister.processor.context.ConversationMeta;
import io.mister.processor.context.ConversationState;
import io.mister.processor.context.PendingArrival;
import io.mister.processor.context.StoredTurn;
import io.mister.processor.context.Turn;
import io.mister.processor.emission.RevisionRule;
import io.mister.processor.emission.TurnEmitter;
import io.mister.processor.inference.BatchScorer;
import io.mister.processor.inference.ConversationScorer;
import io.mister.processor.inference.HeadSpec;
import io.mister.processor.inference.ModelHolder;
import io.mister.processor.inference.ScoredTurn;
import io.mister.processor.inference.ScoringThreads;
import io.mister.processor.inference.SequenceScores;
import io.mister.processor.lifecycle.EmbeddingArrival;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Function;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The emotion processor of one task: stores each accepted turn, scores arrivals in batches
 * (provisional events and revisions), and finalises a conversation on ENDED or inactivity (final events,
 * then its state is deleted). See docs/processor.md for the ordering and output semantics.
 *
 * <p>ENDED and the last turns: the encoder stage writes a conversation's ENDED to another partition than its
 * embeddings, so the ENDED can reach this task first. It carries the number of embeddings the encoder wrote
 * before it ({@code turn_count}); the conversation is finalised once that many have been received, so no turn
 * is lost to the race, whatever the timing. The wait is in the committed metadata (it survives restarts) and
 * bounded by {@code endWait}.
 *
 * <p>Batching and exactly-once: a turn is written to the store together with a "pending" note in its
 * conversation's metadata when it arrives; the batch itself lives in memory and is flushed when full or
 * by a short wall-clock punctuator. Whatever a commit captures is consistent: a pending turn's provisional
 * event is either in the same transaction (flushed) or still noted as pending in the committed state, and
 * {@link #init} rebuilds the batch from those notes after a restart. A pending turn's window is defined by
 * its arrival ordinal, so its scores do not depend on when the flush happened.
 *
 * <p>Scoring off the stream thread: a flushed batch is handed to the {@link ScoringThreads} and the task goes
 * on taking turns, producing and committing while it is scored. Its events are emitted by the stream thread
 * once the scores are back (at the next record or punctuation), batches in the order they were handed over,
 * so events leave in arrival order exactly as if scored on the stream thread ({@link ScoringQueue}). Their turns
 * keep their pending notes until their events are emitted, so a commit while a batch is out is consistent in the
 * same way. A conversation's finals are handed over behind its pending batch, and until they are emitted its
 * metadata says its end is due: a restart finalises it again, and no turn is taken for it meanwhile.
 */
public final class EmotionProcessor implements Processor<String, Object, Object, Object> {

    public static final String STAGE = "emotion-processor";

    private static final Logger LOG = LoggerFactory.getLogger(EmotionProcessor.class);

    private final ModelHolder model;
    private final ScoringThreads scoring;
    private final ProcessorSettings settings;
    private final String emotionsChild;
    private final String deadLetterChild;
    private final List<PendingArrival> batch = new ArrayList<>();
    /** Per conversation: its arrivals whose events are not emitted yet (batched or in flight); their notes stay. */
    private final Map<String, Integer> unemittedPerConversation = new HashMap<>();
    /** Wall-clock time the oldest turn of the current batch was enqueued (its wait is bounded by batchWait). */
    private long oldestBatchedAtMs;
    /** Work handed to the scoring threads whose events are not emitted yet. */
    private final ScoringQueue inFlight;
    /** Conversations whose finals are out (handed over, not emitted yet). */
    private final Set<String> finalising = new HashSet<>();
    /** Conversations whose end was due in the restored state (finals that were out at a restart): finalised first. */
    private final List<String> endsDueAtStart = new ArrayList<>();

    private ProcessorContext<Object, Object> context;
    private ConversationState state;
    private DeadLetters deadLetters;
    private ProcessorMetrics metrics;
    private TurnEmitter emitter;
    private int openConversations;
    /** Conversations whose ENDED waits for the turns it announced (a gauge, so a bounded replay knows when it is done). */
    private int endsWaiting;

    /** Arrivals to score causally: their windows and the model that scores them. */
    private record ArrivalBatch(List<PendingArrival> work, List<List<Turn>> windows, HeadSpec spec,
                                CompletableFuture<List<SequenceScores>> result) implements ScoringQueue.Work {}

    /** A conversation scored whole; {@code waited}: its ENDED was counted in {@code ends-waiting}. */
    private record Finals(String conversationId, boolean waited, long timestamp, HeadSpec spec,
                          CompletableFuture<List<ScoredTurn>> result) implements ScoringQueue.Work {}

    public EmotionProcessor(ModelHolder model, ScoringThreads scoring, ProcessorSettings settings, String emotionsChild,
                            String deadLetterChild) {
        this.model = model;
        this.scoring = scoring;
        this.inFlight = new ScoringQueue(scoring, this::emit);
        this.settings = settings;
        this.emotionsChild = emotionsChild;
        this.deadLetterChild = deadLetterChild;
    }

    @Override
    public void init(ProcessorContext<Object, Object> context) {
        this.context = context;
        // A revived task re-initialises the same processor: start from the committed state only.
        inFlight.dropAll();
        finalising.clear();
        batch.clear();
        unemittedPerConversation.clear();
        endsDueAtStart.clear();
        // A new state (and an empty window cache) per init: a revived or restored task reads the store afresh.
        this.state = new ConversationState(context.getStateStore(ContextStores.CONTEXT), context.getStateStore(ContextStores.OUTPUTS),
                settings.windowCacheConversations(), settings.windowCacheTurns());
        this.deadLetters = new DeadLetters(context, STAGE, deadLetterChild);
        this.metrics = new ProcessorMetrics(context);
        this.emitter = new TurnEmitter(context, state, emotionsChild, new RevisionRule(settings.lookAhead()), metrics::revisionEmitted);
        recoverPendingArrivals();
        // The batch is flushed when its oldest turn has waited batchWait, not on a fixed beat: a beat would
        // flush a batch whose turns just arrived, so a busy task would score in needlessly small batches.
        context.schedule(flushCheckInterval(settings.batchWait()), PunctuationType.WALL_CLOCK_TIME, this::flushIfDue);
        context.schedule(settings.inactivityCheckInterval(), PunctuationType.WALL_CLOCK_TIME, this::expireConversations);
    }

    /** Rebuilds the in-memory batch from the pending notes of the restored state (see class comment). */
    private void recoverPendingArrivals() {
        List<PendingArrival> recovered = new ArrayList<>();
        int[] open = {0};
        int[] waiting = {0};
        state.forEachConversation((id, meta) -> {
            if (!meta.ended()) {
                open[0]++;
                if (meta.endRequested()) {
                    waiting[0]++;
                }
                if (meta.endDue()) {
                    endsDueAtStart.add(id);
                }
            }
            meta.pending().stream().filter(p -> state.output(id, p.seq()) == null).forEach(recovered::add);
        });
        recovered.forEach(this::enqueue);
        oldestBatchedAtMs = Long.MIN_VALUE / 2; // they waited across the restart already: due at the first check
        openConversations = open[0];
        metrics.openConversations(openConversations);
        endsWaiting = waiting[0];
        metrics.endsWaiting(endsWaiting);
    }

    @Override
    public void process(Record<String, Object> record) {
        inFlight.emitScored();
        try {
            processRecord(record);
        } finally {
            metrics.eventsPending(eventsPending());
        }
    }

    /** Batches and finals out for scoring, plus the batch being filled. */
    private int eventsPending() {
        return inFlight.size() + (batch.isEmpty() ? 0 : 1);
    }

    private void processRecord(Record<String, Object> record) {
        if (record.value() instanceof EmbeddingArrival arrival) {
            byte[] key = record.key() == null ? null : record.key().getBytes(StandardCharsets.UTF_8);
            ConversationMeta after = null;
            try {
                after = acceptTurn(record, arrival);
            } catch (RejectedRecordException e) {
                deadLetters.send(record, key, arrival.original(), e.reason(), e);
            } catch (RuntimeException e) {
                // One record's unexpected failure must not stop the stream thread; it is kept, with why.
                deadLetters.send(record, key, arrival.original(), DeadLetterReason.PROCESSING_ERROR, e);
            }
            if (after == null) {
                after = countUnstored(record.key());
            }
            // Outside the try: a failing head call is not this record's fault and must not be dead-lettered as such.
            if (after != null && after.endDue()) {
                finalise(record.key(), after);
            } else if (batch.size() >= settings.batchSize()) {
                submitBatch();
            }
        } else if (record.value() instanceof RejectedInput) {
            // Dead-lettered at the gate; it counts towards the turns the conversation's ENDED announces.
            ConversationMeta after = countUnstored(record.key());
            if (after != null && after.endDue()) {
                finalise(record.key(), after);
            }
        } else if (record.value() instanceof ConversationControl control) {
            if (control.getType() == ControlType.ENDED) {
                end(record.key(), control.getTurnCount());
            }
        } else {
            throw new IllegalArgumentException("Unexpected value for the emotion processor: " + record.value());
        }
    }

    /** Stores and enqueues a turn; returns the conversation's metadata after it, or null for a duplicate. */
    private ConversationMeta acceptTurn(Record<String, Object> record, EmbeddingArrival arrival) {
        String conversationId = record.key();
        UtteranceEmbedding embedding = arrival.embedding();
        long seq = embedding.getSeq();
        long now = context.currentSystemTimeMs();
        ConversationMeta meta = state.meta(conversationId);
        if (meta != null && (meta.ended() || meta.endDue())) { // finalised, or its finals are being scored
            throw new RejectedRecordException(DeadLetterReason.CONVERSATION_ENDED,
                    "turn " + seq + " arrived after conversation " + conversationId + " was finalised");
        }
        StoredTurn existing = state.turn(conversationId, seq);
        if (existing != null) {
            if (existing.turn().utteranceId().equals(embedding.getUtteranceId())) {
                metrics.duplicateIgnored();
                return null;
            }
            throw new RejectedRecordException(DeadLetterReason.SEQ_CONFLICT, "seq " + seq + " already holds utterance "
                    + existing.turn().utteranceId() + ", not " + embedding.getUtteranceId());
        }
        if (meta == null) {
            meta = ConversationMeta.open(now);
            openConversations++;
            metrics.openConversations(openConversations);
        }
        if (meta.turnCount() >= settings.maxTurns()) {
            throw new RejectedRecordException(DeadLetterReason.CONVERSATION_TOO_LONG,
                    "conversation " + conversationId + " already has the maximum of " + settings.maxTurns() + " turns");
        }
        int arrivalOrdinal = meta.arrivals() + 1;
        // A late turn is scored in the window that ends at the newest turn within its look-ahead, so the
        // turns after it that it affects are re-scored (and revised if their label changes).
        long windowEnd = seq >= meta.maxSeq() ? seq : Math.min(meta.maxSeq(), seq + settings.lookAhead());
        Turn turn = Turn.of(embedding);
        state.putTurn(conversationId, new StoredTurn(turn, arrivalOrdinal));
        PendingArrival pending = new PendingArrival(conversationId, seq, arrivalOrdinal, windowEnd);
        List<PendingArrival> notes = meta.pending();
        int stillBatched = Math.min(notes.size(), unemittedPerConversation.getOrDefault(conversationId, 0));
        ConversationMeta after = meta.withArrival(pending, notes.subList(notes.size() - stillBatched, notes.size()), now);
        state.putMeta(conversationId, after);
        enqueue(pending);
        return after;
    }

    /**
     * Counts an embedding that was not stored (a duplicate, or dead-lettered) as received: the encoder counted
     * it in the ENDED's turn count too. Returns the updated metadata, or null when the conversation is unknown
     * or already finalised.
     */
    private ConversationMeta countUnstored(String conversationId) {
        ConversationMeta meta = conversationId == null ? null : state.meta(conversationId);
        if (meta == null || meta.ended() || meta.endDue()) {
            return null;
        }
        ConversationMeta after = meta.withUnstoredArrival();
        state.putMeta(conversationId, after);
        return after;
    }

    private void enqueue(PendingArrival pending) {
        if (batch.isEmpty()) {
            oldestBatchedAtMs = context.currentSystemTimeMs();
        }
        batch.add(pending);
        unemittedPerConversation.merge(pending.conversationId(), 1, Integer::sum);
    }

    /**
     * How often the batch's age is checked and scored batches are emitted: a quarter of batchWait, so no turn
     * waits much beyond it. The processor stage also polls at this interval when input is sparse.
     */
    public static Duration flushCheckInterval(Duration batchWait) {
        return Duration.ofMillis(Math.max(1, batchWait.toMillis() / 4));
    }

    /**
     * Wall-clock punctuator: emits the batches scored meanwhile, and hands over the batch once its oldest turn
     * has waited batchWait. It never waits for the scoring threads: with sparse input the stream thread comes
     * back within poll.ms (the processor stage sets it to this punctuator's interval).
     */
    private void flushIfDue(long now) {
        metrics.modelRefusals(model.refusedCount());
        finaliseEndsDueAtStart();
        inFlight.emitScored();
        if (!batch.isEmpty() && now - oldestBatchedAtMs >= settings.batchWait().toMillis()) {
            submitBatch();
        }
        metrics.eventsPending(eventsPending());
    }

    /** Conversations whose finals were out when the task last stopped: finalised again (forwarding is not allowed in init). */
    private void finaliseEndsDueAtStart() {
        for (String id : endsDueAtStart) {
            ConversationMeta meta = state.meta(id);
            if (meta != null && !meta.ended() && !finalising.contains(id)) {
                finalise(id, meta);
            }
        }
        endsDueAtStart.clear();
    }

    /**
     * Hands the batch to the scoring threads (first waiting for the oldest work out if there is as much as
     * {@link ScoringQueue} allows). The windows are read here, on the stream thread; the scoring thread only runs
     * the head on them.
     */
    private void submitBatch() {
        inFlight.emitScored();
        if (batch.isEmpty()) {
            return;
        }
        List<PendingArrival> work = List.copyOf(batch);
        batch.clear();
        List<List<Turn>> windows = new ArrayList<>(work.size());
        for (PendingArrival p : work) {
            windows.add(state.window(p.conversationId(), p.windowEnd(), p.arrival(), settings.windowTurns()));
        }
        ConversationState.WindowReads reads = state.windowReads();
        metrics.windowReads(reads.fromMemory(), reads.scanned());
        inFlight.makeRoom();
        ModelHolder.Lease lease = model.lease();
        HeadSpec spec = lease.head().spec();
        inFlight.handOver(new ArrivalBatch(work, windows, spec, submit(lease, scorer -> scorer.score(windows))));
    }

    /** Runs {@code call} on a scoring thread with the leased model, returning the lease when done. */
    private <T> CompletableFuture<T> submit(ModelHolder.Lease lease, Function<BatchScorer, T> call) {
        try {
            return scoring.submit(threadInputs -> {
                try (lease) {
                    return call.apply(new BatchScorer(lease.head(), threadInputs, settings.batchSize(), metrics));
                }
            });
        } catch (RuntimeException e) { // refused by a closing pool: the lease is ours to return
            lease.close();
            throw e;
        }
    }

    /** Waits for a piece of work's scores and emits its events (the queue calls it in hand-over order). */
    private void emit(ScoringQueue.Work done) {
        if (done instanceof ArrivalBatch arrivals) {
            emitArrivals(arrivals, await(arrivals.result()));
        } else if (done instanceof Finals finals) {
            emitFinals(finals, await(finals.result()));
        }
    }

    /** The result, or the head call's own exception, as a failing call on this thread would throw it. */
    private static <T> T await(CompletableFuture<T> result) {
        try {
            return result.join();
        } catch (CompletionException e) {
            // The work stays noted in the committed state (pending notes, an end due): a restart redoes it.
            throw e.getCause() instanceof RuntimeException cause ? cause : e;
        }
    }

    /** Provisional events and revisions, in arrival order: a revision compares against what the previous arrivals emitted. */
    private void emitArrivals(ArrivalBatch done, List<SequenceScores> scores) {
        for (int i = 0; i < done.work().size(); i++) {
            PendingArrival arrival = done.work().get(i);
            emitArrival(arrival, done.windows().get(i), scores.get(i), done.spec());
            unemittedPerConversation.computeIfPresent(arrival.conversationId(), (id, n) -> n > 1 ? n - 1 : null);
        }
    }

    private void emitArrival(PendingArrival arrival, List<Turn> window, SequenceScores scores, HeadSpec spec) {
        long timestamp = 0;
        for (Turn turn : window) {
            if (turn.seq() == arrival.seq()) {
                timestamp = turn.eventTime();
            }
        }
        for (int row = 0; row < window.size(); row++) {
            ScoredTurn scored = new ScoredTurn(window.get(row), scores, row);
            long seq = scored.turn().seq();
            if (seq == arrival.seq()) {
                emitter.provisional(arrival.conversationId(), scored, spec, timestamp);
            } else if (emitter.rule().inLookAhead(seq, arrival.seq(), arrival.windowEnd())) {
                emitter.maybeRevise(arrival.conversationId(), scored, spec, timestamp);
            }
        }
    }

    /**
     * ENDED: final scoring now if every turn the encoder wrote before it has been received (or it carries no
     * count: an ENDED written by another producer); otherwise the conversation waits for the missing ones, at
     * most {@code endWait}. An ENDED for an unknown conversation that announces no turns leaves the end marker.
     */
    private void end(String conversationId, Long turnCount) {
        ConversationMeta meta = state.meta(conversationId);
        long now = context.currentSystemTimeMs();
        if (meta != null && (meta.ended() || finalising.contains(conversationId))) {
            return; // a repeated ENDED (a replay, a second producer)
        }
        long expected = turnCount == null ? -1 : turnCount;
        long received = meta == null ? 0 : meta.received();
        if (expected <= received) {
            if (meta == null) {
                state.putMeta(conversationId, ConversationMeta.open(now).endedAt(now));
            } else {
                finalise(conversationId, meta);
            }
            return;
        }
        if (meta == null) {
            meta = ConversationMeta.open(now);
            openConversations++;
            metrics.openConversations(openConversations);
        }
        if (!meta.endRequested()) { // a repeated ENDED (a replay, a second producer) is the same wait
            endsWaiting++;
            metrics.endsWaiting(endsWaiting);
            metrics.endWaiting();
        }
        state.putMeta(conversationId, meta.withEndRequested(expected, now));
    }

    /**
     * Hands over the pending arrivals and then the whole conversation for final scoring (so every turn gets its
     * provisional event before its final one). Until the finals are emitted the conversation takes no more turns,
     * and its metadata says its end is due, so a restart meanwhile finalises it again.
     */
    private void finalise(String conversationId, ConversationMeta meta) {
        submitBatch();
        List<Turn> turns = state.allTurns(conversationId);
        if (!meta.endDue()) { // inactivity, or an ENDED that stopped waiting: due from now on
            state.putMeta(conversationId, meta.withEndRequested(meta.received(), context.currentSystemTimeMs()));
        }
        finalising.add(conversationId);
        long timestamp = turns.stream().mapToLong(Turn::eventTime).max().orElse(0);
        inFlight.makeRoom();
        ModelHolder.Lease lease = model.lease();
        HeadSpec spec = lease.head().spec();
        inFlight.handOver(new Finals(conversationId, meta.endRequested(), timestamp, spec, submit(lease,
                scorer -> new ConversationScorer(scorer, settings.windowTurns()).scoreWhole(turns))));
    }

    /** One final event per turn; then the turns and outputs are deleted and only an end marker is kept for the end grace. */
    private void emitFinals(Finals done, List<ScoredTurn> scored) {
        String conversationId = done.conversationId();
        for (ScoredTurn turn : scored) {
            emitter.finalEvent(conversationId, turn, done.spec(), done.timestamp());
        }
        long now = context.currentSystemTimeMs();
        ConversationMeta meta = state.meta(conversationId);
        state.deleteTurnsAndOutputs(conversationId);
        state.putMeta(conversationId, (meta == null ? ConversationMeta.open(now) : meta).endedAt(now));
        finalising.remove(conversationId);
        openConversations = Math.max(0, openConversations - 1);
        metrics.openConversations(openConversations);
        if (done.waited()) {
            endsWaiting = Math.max(0, endsWaiting - 1);
            metrics.endsWaiting(endsWaiting);
        }
    }

    /**
     * Wall-clock punctuator: finalises idle conversations and those whose ENDED waited {@code endWait} for turns
     * that never came (dead-lettered at the gate, or lost upstream), and forgets end markers older than the grace.
     */
    private void expireConversations(long now) {
        List<String> idle = new ArrayList<>();
        List<String> forgotten = new ArrayList<>();
        int[] open = {0};
        state.forEachConversation((id, meta) -> {
            if (meta.ended()) {
                if (now - meta.endedAtMs() >= settings.endGrace().toMillis()) {
                    forgotten.add(id);
                }
            } else {
                open[0]++;
                if (finalising.contains(id)) {
                    return; // its finals are being scored
                }
                if (now - meta.lastActivityMs() >= settings.inactivityTimeout().toMillis()) {
                    idle.add(id);
                } else if (meta.endRequested() && now - meta.endRequestedAtMs() >= settings.endWait().toMillis()) {
                    LOG.warn("Conversation {}: its ENDED announced {} turns, {} arrived within {}; finalising without the rest",
                            id, meta.expectedTurns(), meta.received(), settings.endWait());
                    metrics.endWaitExpired();
                    idle.add(id);
                }
            }
        });
        openConversations = open[0];
        for (String id : idle) {
            finalise(id, state.meta(id));
        }
        forgotten.forEach(state::deleteMeta);
        metrics.openConversations(openConversations);
    }


    @Override
    public void close() {
        // The batches are not emitted here: their turns are noted as pending in the committed state and are
        // scored by whichever instance opens the task next. Batches in flight are let finish (they hold a model
        // lease), and their scores are dropped.
        inFlight.dropAll();
        finalising.clear();
    }
}
