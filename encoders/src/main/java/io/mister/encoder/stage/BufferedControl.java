package io.mister.encoder.stage;

import io.mister.events.ConversationControl;
import io.mister.serde.EventSerdes;
import org.apache.kafka.common.serialization.Serde;

/**
 * A validated control event waiting to be forwarded to {@code embeddings-control}, with the
 * timestamp of the record it came in. Stored like {@link BufferedTurn} ({@link StampedBytes}).
 *
 * @param timestamp the input record's timestamp (the forwarded one may be later, never earlier)
 * @param control the event
 */
record BufferedControl(long timestamp, ConversationControl control) {

  private static final Serde<ConversationControl> SERDE =
      EventSerdes.singleObject(ConversationControl.class);

  byte[] toBytes() {
    return StampedBytes.encode(timestamp, control, SERDE);
  }

  static BufferedControl fromBytes(byte[] bytes) {
    return new BufferedControl(StampedBytes.timestamp(bytes), StampedBytes.value(bytes, SERDE));
  }

  String conversationId() {
    return control.getConversationId().toString();
  }
}
