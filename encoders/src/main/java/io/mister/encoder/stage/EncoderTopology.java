package io.mister.encoder.stage;

import io.mister.deadletter.ControlValidator;
import io.mister.deadletter.InputGate;
import io.mister.encoder.Encoder;
import io.mister.encoder.audio.AudioDecoder;
import io.mister.encoder.audio.PcmAudio;
import io.mister.encoder.text.TextEncoder;
import io.mister.topics.Topics;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/**
 * Stage 1 of the pipeline: turns on {@code utterances} become embeddings on
 * {@code utterance-embeddings}. Reads top to bottom:
 *
 * <pre>
 * utterances (raw bytes)
 *   -> utterance-gate: decode + validate        (poison -> utterances-dlq, with headers)
 *   -> turn-batcher: buffer in a persistent store, encode text + speech in micro-batches
 *   -> utterance-embeddings                     (keyed by conversation_id, per-conversation order)
 * conversation-control (raw bytes)
 *   -> control-gate: decode + validate          (poison -> utterances-dlq, with headers)
 *   -> turn-batcher: waits maxBatchWait, leaves at the end of a flush, behind the turns
 *   -> embeddings-control                       (same key, timestamp after the forwarded turns';
 *                                               ENDED carries the count of embeddings written)
 * </pre>
 *
 * <p>{@code utterances} and {@code conversation-control} feed one sub-topology, so they must be
 * co-partitioned (same partition count, keyed by conversation_id), as the pipeline requires anyway;
 * so must {@code utterance-embeddings} and {@code embeddings-control}, which the processor reads
 * together. Every control event leaves in the same transaction as the embeddings of the turns that
 * preceded it (docs/encoders.md, "Control events follow the turns"). The encoders are shared by all
 * tasks and threads; they must be thread-safe.
 */
public final class EncoderTopology {

  /** The stage name in dead-letter headers and metrics. */
  public static final String STAGE = "encoder";

  public static final String UTTERANCES_SOURCE = "utterances-source";
  public static final String UTTERANCE_GATE = "utterance-gate";
  public static final String CONTROL_SOURCE = "control-source";
  public static final String CONTROL_GATE = "control-gate";
  public static final String TURN_BATCHER = "turn-batcher";
  public static final String EMBEDDINGS_SINK = "embeddings-sink";
  public static final String EMBEDDINGS_CONTROL_SINK = "embeddings-control-sink";
  public static final String DLQ_SINK = "utterances-dlq-sink";

  /** Turns waiting for their batch; persistent and changelogged so they survive commits and crashes. */
  public static final String BUFFER_STORE = "encoder-turn-buffer";

  /** Control events waiting to follow the turns; persistent and changelogged like the turn buffer. */
  public static final String CONTROL_BUFFER_STORE = "encoder-control-buffer";

  /** Per conversation, the embeddings written so far (an ENDED carries the count); changelogged. */
  public static final String TURN_COUNT_STORE = "encoder-turn-counts";

  /**
   * Per conversation, the transcripts of its latest turns with text, for a context-aware text
   * encoder; changelogged. Always in the topology, so its shape does not depend on the encoder; left
   * empty when the encoder reads each turn alone.
   */
  public static final String RECENT_TEXTS_STORE = "encoder-recent-texts";

  private EncoderTopology() {}

  public static Topology buildTopology(
      Topics topics,
      TextEncoder text,
      Encoder<PcmAudio> speech,
      EncoderStageSettings settings) {
    AudioDecoder audioDecoder = new AudioDecoder();
    UtteranceValidator validator = new UtteranceValidator(audioDecoder, settings.maxAudioMs());
    Topology topology = new Topology();

    // Raw bytes in, so that undecodable records reach the DLQ instead of killing the thread.
    topology.addSource(
        UTTERANCES_SOURCE,
        new ByteArrayDeserializer(),
        new ByteArrayDeserializer(),
        topics.names().utterances());
    // With rejection notices: a dead-lettered turn still counts towards its conversation's ENDED.
    topology.addProcessor(
        UTTERANCE_GATE,
        InputGate.withRejectionNotices(
            STAGE,
            () -> topics.utterances().valueSerde().deserializer(),
            validator,
            TURN_BATCHER,
            DLQ_SINK),
        UTTERANCES_SOURCE);

    // Control events pass through this stage so that they reach the processor behind the turns
    // still in the buffer; raw bytes again, poison to this stage's DLQ.
    topology.addSource(
        CONTROL_SOURCE,
        new ByteArrayDeserializer(),
        new ByteArrayDeserializer(),
        topics.names().control());
    topology.addProcessor(
        CONTROL_GATE,
        InputGate.supplier(
            STAGE,
            () -> topics.control().valueSerde().deserializer(),
            new ControlValidator(),
            TURN_BATCHER,
            DLQ_SINK),
        CONTROL_SOURCE);

    // Micro-batching of inference; the buffer lives in a changelogged RocksDB store.
    topology.addProcessor(
        TURN_BATCHER,
        () -> new TurnBatcher(text, speech, audioDecoder, settings),
        UTTERANCE_GATE,
        CONTROL_GATE);
    topology.addStateStore(bufferStore(BUFFER_STORE), TURN_BATCHER);
    topology.addStateStore(bufferStore(CONTROL_BUFFER_STORE), TURN_BATCHER);
    topology.addStateStore(conversationStore(TURN_COUNT_STORE), TURN_BATCHER);
    topology.addStateStore(conversationStore(RECENT_TEXTS_STORE), TURN_BATCHER);

    topology.addSink(
        EMBEDDINGS_SINK,
        topics.embeddings().name(),
        topics.embeddings().keySerde().serializer(),
        topics.embeddings().valueSerde().serializer(),
        TURN_BATCHER);
    topology.addSink(
        EMBEDDINGS_CONTROL_SINK,
        topics.embeddingsControl().name(),
        topics.embeddingsControl().keySerde().serializer(),
        topics.embeddingsControl().valueSerde().serializer(),
        TURN_BATCHER);
    topology.addSink(
        DLQ_SINK,
        topics.names().utterancesDlq(),
        new ByteArraySerializer(),
        new ByteArraySerializer(),
        UTTERANCE_GATE,
        CONTROL_GATE,
        TURN_BATCHER);
    return topology;
  }

  private static StoreBuilder<KeyValueStore<String, byte[]>> conversationStore(String name) {
    // Keyed by conversation_id.
    return Stores.keyValueStoreBuilder(
            Stores.persistentKeyValueStore(name), Serdes.String(), Serdes.ByteArray())
        .withLoggingEnabled(java.util.Map.of())
        .withCachingDisabled();
  }

  private static StoreBuilder<KeyValueStore<Long, byte[]>> bufferStore(String name) {
    // Keys are arrival numbers; the Long serde is big-endian, so RocksDB iterates in arrival order.
    return Stores.keyValueStoreBuilder(
            Stores.persistentKeyValueStore(name), Serdes.Long(), Serdes.ByteArray())
        .withLoggingEnabled(java.util.Map.of())
        .withCachingDisabled();
  }
}
