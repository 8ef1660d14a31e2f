package io.mister.encoder.offline;

import java.util.Objects;

/**
 * One row of a MELD CSV file.
 *
 * @param dialogueId {@code Dialogue_ID}
 * @param utteranceId {@code Utterance_ID}, the turn's index within the dialogue (not always
 *     contiguous)
 * @param text {@code Utterance}
 * @param speaker {@code Speaker}
 * @param emotion {@code Emotion} as written in the file
 * @param startTime {@code StartTime} (hh:mm:ss,mmm within the episode), empty when absent
 * @param line the CSV record number, for error messages
 */
public record MeldTurn(
    int dialogueId,
    int utteranceId,
    String text,
    String speaker,
    String emotion,
    String startTime,
    long line) {

  public MeldTurn {
    Objects.requireNonNull(text, "text");
    Objects.requireNonNull(speaker, "speaker");
    Objects.requireNonNull(emotion, "emotion");
    Objects.requireNonNull(startTime, "startTime");
  }

  /** The name MELD's media files use: {@code dia{D}_utt{U}}. */
  public String mediaName() {
    return "dia" + dialogueId + "_utt" + utteranceId;
  }
}
