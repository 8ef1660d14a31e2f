package io.mister.encoder.text;

import io.mister.encoder.Encoder;
import java.util.List;

/**
 * A sentence encoder for turns of a conversation. A context-aware encoder ({@link #contextTurns()} > 0)
 * reads each turn together with the transcripts of the turns just before it, so that the same words
 * can be embedded differently after, say, an apology or an insult; the embedding is still the turn's
 * own. Only the past is used, so a stream can compute it when the turn arrives.
 */
public interface TextEncoder extends Encoder<String> {

  /** How many previous turns this encoder reads with each turn; 0 when it reads a turn alone. */
  default int contextTurns() {
    return 0;
  }

  /**
   * Encodes each text with the transcripts of the turns before it in its conversation.
   *
   * @param texts the turns' texts; blank or null texts are absent (null output), as in {@link #encode(List)}
   * @param previous per text, the previous turns' transcripts, latest first (only the first
   *     {@link #contextTurns()} are read; an empty list for a conversation's first turn)
   */
  default List<float[]> encode(List<String> texts, List<List<String>> previous) {
    if (previous.size() != texts.size()) {
      throw new IllegalArgumentException(texts.size() + " texts but " + previous.size() + " contexts");
    }
    return encode(texts);
  }
}
