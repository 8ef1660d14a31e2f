package io.mister.encoder.stage;

import io.mister.events.ConversationControl;
import io.mister.serde.EventSerdes;
import java.nio.ByteBuffer;
import java.util.Arrays;
import org.apache.kafka.common.serialization.Serde;

/**
 * A validated control event waiting to be forwarded to {@code embeddings-control}, with the
 * timestamp of the record it came in. Stored like {@link BufferedTurn}: the 8-byte timestamp
 * followed by the Avro single-object encoding of the event.
 *
 * @param timestamp the input record's timestamp (the forwarded one may be later, never earlier)
 * @param control the event
 */
record BufferedControl(long timestamp, ConversationControl control) {

  private static final Serde<ConversationControl> SERDE =
      EventSerdes.singleObject(ConversationControl.class);

  byte[] toBytes() {
    byte[] body = SERDE.serializer().serialize(null, control);
    return ByteBuffer.allocate(Long.BYTES + body.length).putLong(timestamp).put(body).array();
  }

  static BufferedControl fromBytes(byte[] bytes) {
    long timestamp = ByteBuffer.wrap(bytes, 0, Long.BYTES).getLong();
    ConversationControl control =
        SERDE.deserializer().deserialize(null, Arrays.copyOfRange(bytes, Long.BYTES, bytes.length));
    return new BufferedControl(timestamp, control);
  }

  String conversationId() {
    return control.getConversationId().toString();
  }
}
