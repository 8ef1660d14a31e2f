package io.mister.processor.lifecycle;

import io.mister.deadletter.DeadLetterReason;
import io.mister.deadletter.InputGate;
import io.mister.deadletter.RejectedRecordException;
import io.mister.events.ConversationControl;

/** Checks a control event's identity before it may end a conversation. */
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
