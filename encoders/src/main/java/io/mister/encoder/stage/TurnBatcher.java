package io.mister.encoder.stage;

import io.mister.deadletter.DeadLetterReason;
import io.mister.deadletter.DeadLetters;
import io.mister.deadletter.RejectedInput;
import io.mister.deadletter.RejectedRecordException;
import io.mister.encoder.EmbeddingVectors;
import io.mister.encoder.Encoder;
import io.mister.encoder.audio.AudioDecoder;
import io.mister.encoder.audio.PcmAudio;
import io.mister.encoder.text.TextEncoder;
import io.mister.events.ControlType;
import io.mister.events.ConversationControl;
import io.mister.events.EncoderInfo;
import io.mister.events.Utterance;
import io.mister.events.UtteranceEmbedding;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Micro-batches inference across the turns of a task. Validated turns are appended to a persistent
 * key-value store (key: arrival number, so iteration is arrival order) and encoded together when
 * the buffer holds {@code maxBatchSize} turns or when the oldest has waited {@code maxBatchWait}
 * (wall-clock punctuator). A flush encodes every buffered turn, forwards the embeddings in arrival
 * order (so each conversation's order is kept) and deletes them from the store; under exactly-once
 * the deletes, the outputs and the consumed offsets commit together.
 *
 * <p>Control events (STARTED, ENDED) are passed on to {@code embeddings-control}, but not at once:
 * each waits in a second persistent store for at least {@code maxBatchWait}, until the task has
 * taken in a later-stamped utterance or been idle for a whole wait, and then leaves at the end of a
 * flush, after the embeddings of every turn taken in before (so also a last turn taken in just
 * after its ENDED: same-millisecond timestamps leave the order between the two input topics to
 * chance). It is stamped later than every embedding this task has forwarded, so that the processor,
 * which reads both outputs in timestamp order, takes the turns first. See docs/encoders.md,
 * "Control events follow the turns".
 *
 * <p>For a context-aware text encoder ({@link TextEncoder#contextTurns()} > 0), each turn is
 * encoded with the transcripts of its conversation's turns before it, latest first, kept in
 * {@link RecentTranscripts} (docs/encoders.md, "Previous turns for a context-aware text encoder").
 *
 * <p>Inputs: {@link Utterance} and {@link ConversationControl} from their input gates.
 */
final class TurnBatcher implements Processor<String, Object, Object, Object> {

  private static final Logger LOG = LoggerFactory.getLogger(TurnBatcher.class);

  private final TextEncoder textEncoder;
  private final Encoder<PcmAudio> speechEncoder;
  private final AudioDecoder audioDecoder;
  private final EncoderStageSettings settings;
  private final EncoderInfo textInfo;
  private final EncoderInfo speechInfo;

  private ProcessorContext<Object, Object> context;
  private KeyValueStore<Long, byte[]> buffer;
  private KeyValueStore<Long, byte[]> controls;
  private ConversationTurnCounts turnCounts;
  /** The context a context-aware text encoder reads; never touches its store when it reads none. */
  private RecentTranscripts recentTranscripts;
  /** The waiting control events, oldest first. */
  private final ArrayDeque<WaitingControl> pendingControls = new ArrayDeque<>();
  private long nextControl;
  private DeadLetters deadLetters;
  private int bufferedCount;
  private long nextArrival;
  /** Wall-clock time the oldest buffered turn arrived (or the task started), -1 when empty. */
  private long oldestSince = -1;
  /**
   * Highest record timestamp of the embeddings this task forwarded since it started; a forwarded
   * control event is stamped after it. In memory: embeddings forwarded before a restart were
   * committed in earlier transactions.
   */
  private long latestTurnTimestamp = Long.MIN_VALUE;
  /** Highest record timestamp of the utterances this task has taken in since it started. */
  private long latestUtteranceTimestamp = Long.MIN_VALUE;
  /** Wall-clock time the task last took in a record or finished a flush. */
  private long lastActivity;

  TurnBatcher(
      TextEncoder textEncoder,
      Encoder<PcmAudio> speechEncoder,
      AudioDecoder audioDecoder,
      EncoderStageSettings settings) {
    this.textEncoder = textEncoder;
    this.speechEncoder = speechEncoder;
    this.audioDecoder = audioDecoder;
    this.settings = settings;
    this.textInfo = textEncoder.id().toEncoderInfo();
    this.speechInfo = speechEncoder.id().toEncoderInfo();
  }

  @Override
  public void init(ProcessorContext<Object, Object> context) {
    this.context = context;
    this.buffer = context.getStateStore(EncoderTopology.BUFFER_STORE);
    this.deadLetters = new DeadLetters(context, EncoderTopology.STAGE, EncoderTopology.DLQ_SINK);
    // Turns buffered before a restart are still here: count them and continue their numbering.
    try (KeyValueIterator<Long, byte[]> all = buffer.all()) {
      while (all.hasNext()) {
        KeyValue<Long, byte[]> entry = all.next();
        bufferedCount++;
        nextArrival = entry.key + 1;
      }
    }
    this.controls = context.getStateStore(EncoderTopology.CONTROL_BUFFER_STORE);
    this.turnCounts = new ConversationTurnCounts(
        context.getStateStore(EncoderTopology.TURN_COUNT_STORE), settings.turnCountRetention());
    this.recentTranscripts = new RecentTranscripts(
        context.getStateStore(EncoderTopology.RECENT_TEXTS_STORE), textEncoder.contextTurns(),
        settings.turnCountRetention());
    long now = context.currentSystemTimeMs();
    lastActivity = now;
    try (KeyValueIterator<Long, byte[]> all = controls.all()) {
      while (all.hasNext()) {
        KeyValue<Long, byte[]> entry = all.next();
        pendingControls.add(WaitingControl.of(entry.key, BufferedControl.fromBytes(entry.value), now));
        nextControl = entry.key + 1;
      }
    }
    if (bufferedCount > 0 || !pendingControls.isEmpty()) {
      oldestSince = bufferedCount > 0 ? now : -1;
      LOG.info("Task {} resumes with {} buffered turns and {} control events", context.taskId(),
          bufferedCount, pendingControls.size());
    }
    context.schedule(settings.flushCheckInterval(), PunctuationType.WALL_CLOCK_TIME, this::onTick);
    context.schedule(settings.turnCountPurgeInterval(), PunctuationType.WALL_CLOCK_TIME, this::purgeTurnCounts);
  }

  @Override
  public void process(Record<String, Object> record) {
    lastActivity = context.currentSystemTimeMs();
    if (record.value() instanceof Utterance utterance) {
      latestUtteranceTimestamp = Math.max(latestUtteranceTimestamp, record.timestamp());
      turnCounts.takenIn(utterance.getConversationId(), lastActivity);
      buffer.put(nextArrival++, new BufferedTurn(record.timestamp(), utterance).toBytes());
      if (bufferedCount++ == 0) {
        oldestSince = context.currentSystemTimeMs();
      }
      if (bufferedCount >= settings.maxBatchSize()) {
        flush(false);
      }
    } else if (record.value() instanceof RejectedInput) {
      // A turn of this conversation dead-lettered at the gate: it still counts towards an announced ENDED.
      turnCounts.takenIn(record.key(), lastActivity);
    } else if (record.value() instanceof ConversationControl control) {
      // Not forwarded yet: a turn of this conversation may still come in behind it (see class doc).
      BufferedControl buffered = new BufferedControl(record.timestamp(), control);
      controls.put(nextControl, buffered.toBytes());
      pendingControls.add(WaitingControl.of(nextControl++, buffered, lastActivity));
    }
  }

  private void purgeTurnCounts(long now) {
    int purged = turnCounts.purgeIdle(now);
    if (purged > 0) {
      LOG.info("Task {} dropped the turn counts of {} conversations idle for {} without an ENDED",
          context.taskId(), purged, settings.turnCountRetention());
    }
    int purgedContexts = recentTranscripts.purgeIdle(now);
    if (purgedContexts > 0) {
      LOG.info("Task {} dropped the recent transcripts of {} conversations idle for {} without an ENDED",
          context.taskId(), purgedContexts, settings.turnCountRetention());
    }
  }

  private void onTick(long now) {
    long wait = settings.maxBatchWait().toMillis();
    // Idle: nothing taken in for a whole wait, so every turn already fetched has been taken in.
    boolean idle = now - lastActivity >= wait;
    boolean turnsDue = bufferedCount > 0 && now - oldestSince >= wait;
    boolean controlDue = pendingControls.stream().anyMatch(c -> releasable(c, now, idle));
    if (turnsDue || controlDue) {
      flush(idle);
    }
  }

  /**
   * Whether no turn that belongs before a waiting control event can still come in. An ENDED that
   * announces its turns ({@code turn_count} set by the producer) knows: as soon as that many turns
   * of its conversation have been taken in (or, if some never come, after {@code endWait}).
   * Otherwise a heuristic: it has waited {@code maxBatchWait}, and the task has either taken in a
   * later-stamped utterance (Kafka Streams takes the two inputs in timestamp order, so the earlier
   * ones are in) or been idle for a whole wait. Wall-clock time alone is not enough: a long flush
   * (audio) blocks the thread while the control event's time passes and the last turns still wait
   * in the consumer.
   */
  private boolean releasable(WaitingControl control, long now, boolean idle) {
    if (control.announcedTurns() >= 0) {
      return turnCounts.takenIn(control.conversationId()) >= control.announcedTurns()
          || now - control.since() >= settings.endWait().toMillis();
    }
    return now - control.since() >= settings.maxBatchWait().toMillis()
        && (latestUtteranceTimestamp > control.timestamp() || idle);
  }

  /**
   * Forwards the control events that are {@link #releasable}, in arrival order, each stamped strictly after
   * every embedding this task has forwarded (ties would leave the processor's choice between the two
   * topics to chance). Called at the end of a flush, when no turn older than them is left behind. A
   * conversation's control events keep their order; one still waiting does not hold back other
   * conversations'. An ENDED carries the number of embeddings written for its conversation (replacing
   * the producer's count of turns sent): the processor waits for that many, as the two topics'
   * partitions can reach it in either order.
   */
  private void releaseControls(boolean idle) {
    long now = context.currentSystemTimeMs();
    Set<String> held = new HashSet<>();
    for (Iterator<WaitingControl> it = pendingControls.iterator(); it.hasNext(); ) {
      WaitingControl next = it.next();
      if (held.contains(next.conversationId()) || !releasable(next, now, idle)) {
        held.add(next.conversationId());
        continue;
      }
      it.remove();
      long key = next.key();
      BufferedControl waiting = BufferedControl.fromBytes(controls.get(key));
      ConversationControl control = waiting.control();
      if (control.getType() == ControlType.ENDED) {
        long takenIn = turnCounts.takenIn(waiting.conversationId());
        if (next.announcedTurns() > takenIn) {
          LOG.warn("Conversation {}: its ENDED announced {} turns, {} came in within {}; forwarding it anyway",
              waiting.conversationId(), next.announcedTurns(), takenIn, settings.endWait());
        }
        control = ConversationControl.newBuilder(control)
            .setTurnCount(turnCounts.takeWritten(waiting.conversationId()))
            .build();
        recentTranscripts.remove(waiting.conversationId());
      }
      long stamped = latestTurnTimestamp == Long.MIN_VALUE
          ? waiting.timestamp()
          : Math.max(waiting.timestamp(), latestTurnTimestamp + 1);
      context.forward(
          new Record<>((Object) waiting.conversationId(), (Object) control, stamped),
          EncoderTopology.EMBEDDINGS_CONTROL_SINK);
      controls.delete(key);
    }
  }

  /**
   * Encodes every buffered turn, forwards the embeddings in arrival order, empties the buffer, then
   * forwards the control events whose wait is over.
   */
  private void flush(boolean idle) {
    List<Long> keys = new ArrayList<>(bufferedCount);
    List<BufferedTurn> turns = new ArrayList<>(bufferedCount);
    try (KeyValueIterator<Long, byte[]> all = buffer.all()) {
      while (all.hasNext()) {
        KeyValue<Long, byte[]> entry = all.next();
        keys.add(entry.key);
        turns.add(BufferedTurn.fromBytes(entry.value));
      }
    }
    if (!turns.isEmpty()) {
      // Each turn's previous transcripts, in arrival order, so turns of one conversation in this
      // batch see each other. Saved in this flush, like the embeddings and the buffer deletes: under
      // exactly-once they commit (or, after a crash, roll back) together, so a replayed batch sees
      // the context it saw the first time.
      RecentTranscripts.BatchContext batchContext = recentTranscripts.forBatch(
          turns.stream().map(BufferedTurn::conversationId).toList(),
          turns.stream().map(turn -> TurnContent.text(turn.utterance())).toList());
      // One count update per conversation and flush, not per turn (a store read-modify-write each).
      Map<String, Integer> written = new HashMap<>();
      for (EncodedTurn encoded : encode(turns, batchContext.previous())) {
        if (encoded.failure != null) {
          deadLetter(encoded.turn, encoded.failure);
        } else {
          forward(encoded);
          written.merge(encoded.turn.conversationId(), 1, Integer::sum);
        }
      }
      long now = context.currentSystemTimeMs();
      written.forEach((conversationId, count) -> turnCounts.written(conversationId, count, now));
      recentTranscripts.save(batchContext, now);
    }
    for (Long key : keys) {
      buffer.delete(key);
    }
    bufferedCount = 0;
    oldestSince = -1;
    releaseControls(idle);
    lastActivity = context.currentSystemTimeMs();
  }

  /**
   * Encodes a batch; if the batch fails, each turn alone (with the same previous transcripts), so
   * one bad turn cannot block the rest.
   */
  private List<EncodedTurn> encode(List<BufferedTurn> turns, List<List<String>> previous) {
    try {
      return encodeBatch(turns, previous);
    } catch (RuntimeException batchFailure) {
      LOG.warn("Batch of {} turns failed ({}); encoding them one by one", turns.size(),
          batchFailure.toString());
      List<EncodedTurn> out = new ArrayList<>(turns.size());
      for (int i = 0; i < turns.size(); i++) {
        BufferedTurn turn = turns.get(i);
        try {
          out.addAll(encodeBatch(List.of(turn), List.of(previous.get(i))));
        } catch (RuntimeException e) {
          out.add(new EncodedTurn(turn, null, null, e));
        }
      }
      return out;
    }
  }

  private List<EncodedTurn> encodeBatch(List<BufferedTurn> turns, List<List<String>> previous) {
    List<String> texts = new ArrayList<>();
    List<List<String>> textPrevious = new ArrayList<>();
    List<Integer> textOwners = new ArrayList<>();
    List<PcmAudio> audios = new ArrayList<>();
    List<Integer> audioOwners = new ArrayList<>();
    List<RuntimeException> failures = new ArrayList<>();
    for (int i = 0; i < turns.size(); i++) {
      Utterance utterance = turns.get(i).utterance();
      failures.add(null);
      String text = TurnContent.text(utterance);
      if (text != null) {
        texts.add(text);
        textPrevious.add(previous.get(i));
        textOwners.add(i);
      }
      if (utterance.getAudio() != null) {
        try {
          PcmAudio pcm = audioDecoder.decode(utterance.getAudio());
          if (pcm.length() > 0) {
            audios.add(pcm);
            audioOwners.add(i);
          }
        } catch (RejectedRecordException e) {
          failures.set(i, e); // validated already, so only a decoder change could bring us here
        }
      }
    }
    float[][] textVectors = scatter(textEncoder.encode(texts, textPrevious), textOwners, turns.size());
    float[][] speechVectors = scatter(speechEncoder.encode(audios), audioOwners, turns.size());
    List<EncodedTurn> out = new ArrayList<>(turns.size());
    for (int i = 0; i < turns.size(); i++) {
      out.add(new EncodedTurn(turns.get(i), textVectors[i], speechVectors[i], failures.get(i)));
    }
    return out;
  }

  private static float[][] scatter(List<float[]> vectors, List<Integer> owners, int size) {
    if (vectors.size() != owners.size()) {
      throw new IllegalStateException(
          "encoder returned " + vectors.size() + " outputs for " + owners.size() + " inputs");
    }
    float[][] out = new float[size][];
    for (int k = 0; k < owners.size(); k++) {
      out[owners.get(k)] = vectors.get(k);
    }
    return out;
  }

  private void forward(EncodedTurn encoded) {
    Utterance u = encoded.turn.utterance();
    CharSequence label = u.getAttributes() == null ? null : u.getAttributes().get("label");
    UtteranceEmbedding embedding =
        UtteranceEmbedding.newBuilder()
            .setConversationId(u.getConversationId())
            .setUtteranceId(u.getUtteranceId())
            .setSeq(u.getSeq())
            .setSpeakerRole(u.getSpeakerRole())
            .setEventTime(u.getEventTime())
            .setText(u.getText())
            .setTextEmbedding(EmbeddingVectors.toAvro(encoded.text))
            .setSpeechEmbedding(EmbeddingVectors.toAvro(encoded.speech))
            .setTextEncoder(textInfo)
            .setSpeechEncoder(speechInfo)
            .setLabel(label == null ? null : label.toString())
            .setEncodedAt(java.time.Instant.ofEpochMilli(context.currentSystemTimeMs()))
            .build();
    // The input's timestamp, not the wall clock: the control events forwarded after this turn are
    // stamped later, so the processor's timestamp synchronisation takes this turn first.
    latestTurnTimestamp = Math.max(latestTurnTimestamp, encoded.turn.timestamp());
    context.forward(
        new Record<>((Object) encoded.turn.conversationId(), (Object) embedding, encoded.turn.timestamp()),
        EncoderTopology.EMBEDDINGS_SINK);
  }

  private void deadLetter(BufferedTurn turn, RuntimeException failure) {
    DeadLetterReason reason =
        failure instanceof RejectedRecordException rejected
            ? rejected.reason()
            : DeadLetterReason.PROCESSING_ERROR;
    byte[] key = turn.conversationId().getBytes(StandardCharsets.UTF_8);
    deadLetters.send(
        new Record<>(key, turn.utteranceBytes(), turn.timestamp()), key, turn.utteranceBytes(),
        reason, failure);
  }

  /**
   * A control event in the control store: its key, conversation, record timestamp, wall-clock
   * arrival, and the turns its producer announced (-1: none).
   */
  private record WaitingControl(
      long key, String conversationId, long timestamp, long since, long announcedTurns) {

    static WaitingControl of(long key, BufferedControl control, long since) {
      Long announced = control.control().getType() == ControlType.ENDED ? control.control().getTurnCount() : null;
      return new WaitingControl(key, control.conversationId(), control.timestamp(), since,
          announced == null ? -1 : announced);
    }
  }

  /** One turn after encoding: its vectors (null where absent) or why it failed. */
  private record EncodedTurn(
      BufferedTurn turn, float[] text, float[] speech, RuntimeException failure) {}
}
