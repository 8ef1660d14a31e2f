package io.mister.encoder.stage;

import io.mister.deadletter.DeadLetterReason;
import io.mister.deadletter.InputGate;
import io.mister.deadletter.RejectedRecordException;
import io.mister.events.ConversationControl;

/**
 * Checks a control event's identity before the stage forwards it to {@code embeddings-control}: the
 * key must be the conversation id, or the event would land in another partition than the
 * conversation's embeddings and lose its ordering guarantee.
 */
final class ControlValidator implements InputGate.Validator<ConversationControl> {

  @Override
  public ConversationControl check(String key, ConversationControl control) {
    String id = control.getConversationId();
    if (id == null || id.isBlank()) {
      throw new RejectedRecordException(DeadLetterReason.EMPTY_CONVERSATION_ID, "conversation_id is empty");
    }
    if (!id.equals(key)) {
      throw new RejectedRecordException(DeadLetterReason.KEY_MISMATCH,
          "record key '" + key + "' differs from conversation_id '" + id + "'");
    }
    return control;
  }
}
