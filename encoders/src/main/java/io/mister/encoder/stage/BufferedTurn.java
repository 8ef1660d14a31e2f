package io.mister.encoder.stage;

import io.mister.events.Utterance;
import io.mister.serde.EventSerdes;
import org.apache.kafka.common.serialization.Serde;

/**
 * A validated turn waiting in the batch buffer, with the timestamp of the record it came in. Its
 * stored form ({@link StampedBytes}) is the 8-byte timestamp followed by the Avro single-object encoding of the
 * utterance: registry-free (the buffer is internal state) and schema-fingerprinted, so a turn
 * buffered by an older release is still read after an upgrade.
 *
 * @param timestamp the input record's timestamp, given to the output record as well
 * @param utterance the turn
 */
record BufferedTurn(long timestamp, Utterance utterance) {

  private static final Serde<Utterance> SERDE = EventSerdes.singleObject(Utterance.class);

  byte[] toBytes() {
    return StampedBytes.encode(timestamp, utterance, SERDE);
  }

  static BufferedTurn fromBytes(byte[] bytes) {
    return new BufferedTurn(StampedBytes.timestamp(bytes), StampedBytes.value(bytes, SERDE));
  }

  /** The utterance alone in single-object form: what a dead letter raised after buffering carries. */
  byte[] utteranceBytes() {
    return SERDE.serializer().serialize(null, utterance);
  }

  String conversationId() {
    return utterance.getConversationId().toString();
  }
}
