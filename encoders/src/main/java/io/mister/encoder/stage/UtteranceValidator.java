package io.mister.encoder.stage;

import io.mister.deadletter.DeadLetterReason;
import io.mister.deadletter.InputGate;
import io.mister.deadletter.RejectedRecordException;
import io.mister.encoder.audio.AudioDecoder;
import io.mister.encoder.audio.PcmAudio;
import io.mister.events.Utterance;

/**
 * The encoder stage's semantic checks, run by the {@link InputGate} before a turn is buffered, so
 * that every reason to reject a turn is found while the offending record is at hand (and its
 * original bytes go to the dead-letter topic). Audio is decoded here at its native rate, which is
 * cheap, to find undecodable or over-long audio; resampling waits for the batch.
 */
final class UtteranceValidator implements InputGate.Validator<Utterance> {

  private final AudioDecoder decoder;
  private final long maxAudioMs;

  UtteranceValidator(AudioDecoder decoder, long maxAudioMs) {
    this.decoder = decoder;
    this.maxAudioMs = maxAudioMs;
  }

  @Override
  public Utterance check(String key, Utterance utterance) {
    String conversationId = utterance.getConversationId().toString();
    if (conversationId.isBlank()) {
      throw new RejectedRecordException(
          DeadLetterReason.EMPTY_CONVERSATION_ID, "conversation_id is empty or blank");
    }
    if (!conversationId.equals(key)) {
      throw new RejectedRecordException(
          DeadLetterReason.KEY_MISMATCH,
          "record key '" + key + "' differs from conversation_id '" + conversationId + "'");
    }
    if (utterance.getSeq() < 0) {
      throw new RejectedRecordException(
          DeadLetterReason.NEGATIVE_SEQ, "seq must be >= 0, was " + utterance.getSeq());
    }
    boolean hasAudio = false;
    if (utterance.getAudio() != null) {
      PcmAudio pcm = decoder.decodeNative(utterance.getAudio()); // throws the audio reasons
      if (pcm.durationMs() > maxAudioMs) {
        throw new RejectedRecordException(
            DeadLetterReason.AUDIO_TOO_LONG,
            "audio of " + pcm.durationMs() + " ms is longer than the limit of " + maxAudioMs + " ms");
      }
      hasAudio = pcm.length() > 0;
    }
    if (!hasAudio && !TurnContent.hasText(utterance)) {
      throw new RejectedRecordException(
          DeadLetterReason.NO_MODALITY, "the turn has neither text nor audio to encode");
    }
    return utterance;
  }
}
