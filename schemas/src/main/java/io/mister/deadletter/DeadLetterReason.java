package io.mister.deadletter;

/**
 * Why a record went to a dead-letter topic; the value of the {@link DeadLetterHeaders#REASON}
 * header. One list for the whole pipeline so that dashboards and replays speak one language.
 */
public enum DeadLetterReason {
    /** The value bytes are not a record of the expected type (see the error message for why). */
    UNDECODABLE,
    /** conversation_id is empty or blank. */
    EMPTY_CONVERSATION_ID,
    /** The record key differs from the value's conversation_id (would break per-conversation ordering). */
    KEY_MISMATCH,
    /** seq is negative. */
    NEGATIVE_SEQ,
    /** The audio is longer than the configured limit. */
    AUDIO_TOO_LONG,
    /** The audio encoding is not one the encoder stage decodes. */
    UNSUPPORTED_ENCODING,
    /** The audio bytes could not be decoded (truncated WAV, odd byte count, bad header...). */
    UNDECODABLE_AUDIO,
    /** The turn has neither usable text nor audio. */
    NO_MODALITY,
    /** An embedding's length differs from what the model expects. */
    DIMENSION_MISMATCH,
    /** An embedding comes from an encoder other than the one the model was trained on. */
    ENCODER_MISMATCH,
    /** An embedding contains NaN or infinity. */
    NON_FINITE,
    /** The conversation reached the configured cap on turns. */
    CONVERSATION_TOO_LONG,
    /** A turn reuses a seq already held by a different utterance_id. */
    SEQ_CONFLICT,
    /** The turn arrived after its conversation was finalised. */
    CONVERSATION_ENDED,
    /** Processing this one record failed unexpectedly; the stream went on without it. */
    PROCESSING_ERROR
}
