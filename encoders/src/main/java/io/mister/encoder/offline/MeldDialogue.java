package io.mister.encoder.offline;

import java.util.List;

/**
 * A MELD dialogue: its turns ordered by {@code Utterance_ID}.
 *
 * @param dialogueId {@code Dialogue_ID}
 * @param turns the turns, in conversation order
 */
public record MeldDialogue(int dialogueId, List<MeldTurn> turns) {

  public MeldDialogue {
    turns = List.copyOf(turns);
  }
}
