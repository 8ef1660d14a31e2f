package io.mister.deadletter;

/**
 * What an {@link InputGate} built with rejection notices forwards to its accepted child, under the
 * record's key, after dead-lettering a record: the stage counts the key's input records (a conversation's
 * turns) and a dead-lettered one still counts.
 *
 * @param reason why the record was dead-lettered
 */
public record RejectedInput(DeadLetterReason reason) {}
