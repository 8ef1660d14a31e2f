package io.mister.encoder.stage;

import io.mister.events.Utterance;
import io.mister.serde.EventSerdes;
import java.nio.ByteBuffer;
import java.util.Arrays;
import org.apache.kafka.common.serialization.Serde;

/**
 * A validated turn waiting in the batch buffer, with the timestamp of the record it came in. Its
 * stored form is the 8-byte timestamp followed by the Avro single-object encoding of the
 * utterance: registry-free (the buffer is internal state) and schema-fingerprinted, so a turn
 * buffered by an older release is still read after an upgrade.
 *
 * @param timestamp the input record's timestamp, given to the output record as well
 * @param utterance the turn
 */
record BufferedTurn(long timestamp, Utterance utterance) {

  private static final Serde<Utterance> SERDE = EventSerdes.singleObject(Utterance.class);

  byte[] toBytes() {
    byte[] body = SERDE.serializer().serialize(null, utterance);
    return ByteBuffer.allocate(Long.BYTES + body.length).putLong(timestamp).put(body).array();
  }

  static BufferedTurn fromBytes(byte[] bytes) {
    long timestamp = ByteBuffer.wrap(bytes, 0, Long.BYTES).getLong();
    Utterance utterance =
        SERDE.deserializer().deserialize(null, Arrays.copyOfRange(bytes, Long.BYTES, bytes.length));
    return new BufferedTurn(timestamp, utterance);
  }

  /** The utterance alone in single-object form: what a dead letter raised after buffering carries. */
  byte[] utteranceBytes() {
    return SERDE.serializer().serialize(null, utterance);
  }

  String conversationId() {
    return utterance.getConversationId().toString();
  }
}
