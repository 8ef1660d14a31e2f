package io.mister.deadletter;

import io.mister.events.ConversationControl;

/**
 * Checks a control event's identity at a stage's gate: the conversation id must be set and equal the
 * record key, or the event would land in another partition than the conversation's turns and lose
 * its ordering guarantee. Used by the encoder stage (conversation-control) and the processor
 * (embeddings-control).
 */
public final class ControlValidator implements InputGate.Validator<ConversationControl> {

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
