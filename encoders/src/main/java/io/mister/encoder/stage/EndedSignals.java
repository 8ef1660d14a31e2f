package io.mister.encoder.stage;

import io.mister.events.ControlType;
import io.mister.events.ConversationControl;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads {@code conversation-control} and tells the batcher when a conversation ENDED, so that it
 * encodes that conversation's buffered turns before the emotion processor, which reads the control
 * topic itself, can see the ENDED (see docs/encoders.md). Nothing is forwarded to any topic: the
 * control events reach the processor directly. A control record this stage cannot decode is not
 * its to dead-letter (the processor owns that topic's validation); it only means no early flush.
 */
final class EndedSignals implements Processor<byte[], byte[], String, Object> {

  private static final Logger LOG = LoggerFactory.getLogger(EndedSignals.class);

  private final Deserializer<ConversationControl> deserializer;
  private ProcessorContext<String, Object> context;

  EndedSignals(Deserializer<ConversationControl> deserializer) {
    this.deserializer = deserializer;
  }

  @Override
  public void init(ProcessorContext<String, Object> context) {
    this.context = context;
  }

  @Override
  public void process(Record<byte[], byte[]> record) {
    if (record.key() == null || record.value() == null) {
      return;
    }
    ConversationControl control;
    try {
      String topic = context.recordMetadata().map(m -> m.topic()).orElse("");
      control = deserializer.deserialize(topic, record.value());
    } catch (SerializationException e) {
      LOG.debug("Undecodable control record ignored by the encoder stage: {}", e.getMessage());
      return;
    }
    if (control != null && control.getType() == ControlType.ENDED) {
      String key = new String(record.key(), StandardCharsets.UTF_8);
      context.forward(new Record<>(key, (Object) control, record.timestamp()));
    }
  }
}
