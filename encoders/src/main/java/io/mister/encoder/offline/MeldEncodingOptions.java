package io.mister.encoder.offline;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Options of {@link MeldEncoder}.
 *
 * @param audioDir where {@code dia{D}_utt{U}.wav} files are looked up; {@code null} for text only
 * @param conversationPrefix conversation ids are this prefix followed by the Dialogue_ID
 * @param batchSize utterances per inference batch
 */
public record MeldEncodingOptions(Path audioDir, String conversationPrefix, int batchSize) {

  /** No audio, prefix {@code dia}, batches of 64. */
  public static final MeldEncodingOptions DEFAULTS = new MeldEncodingOptions(null, "dia", 64);

  public MeldEncodingOptions {
    Objects.requireNonNull(conversationPrefix, "conversationPrefix");
    if (batchSize < 1) {
      throw new IllegalArgumentException("batchSize must be >= 1, was " + batchSize);
    }
  }

  public MeldEncodingOptions withAudioDir(Path dir) {
    return new MeldEncodingOptions(dir, conversationPrefix, batchSize);
  }

  public MeldEncodingOptions withConversationPrefix(String prefix) {
    return new MeldEncodingOptions(audioDir, prefix, batchSize);
  }
}
