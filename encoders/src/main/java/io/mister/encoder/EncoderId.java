package io.mister.encoder;

import io.mister.events.EncoderInfo;
import java.util.Objects;

/**
 * The identity of an encoder: a stable id, a version (a change means embeddings are not
 * comparable), and the embedding length. Carried in every {@code UtteranceEmbedding} so the emotion
 * processor can refuse embeddings its model was not trained on.
 *
 * @param id stable identifier, e.g. {@code all-minilm-l6-v2-q}
 * @param version version string, e.g. {@code 1}
 * @param dim embedding length, positive
 */
public record EncoderId(String id, String version, int dim) {

  public EncoderId {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(version, "version");
    if (id.isBlank() || id.contains("@")) {
      throw new IllegalArgumentException("encoder id must be non-blank and free of '@': " + id);
    }
    if (version.isBlank()) {
      throw new IllegalArgumentException("encoder version must be non-blank");
    }
    if (dim <= 0) {
      throw new IllegalArgumentException("encoder dim must be positive: " + dim);
    }
  }

  /** {@code id@version}, the form used in logs, model metadata and file names. */
  public String tag() {
    return id + "@" + version;
  }

  /** The Avro form carried in {@code UtteranceEmbedding}. */
  public EncoderInfo toEncoderInfo() {
    return EncoderInfo.newBuilder().setId(id).setVersion(version).setDim(dim).build();
  }

  /** The inverse of {@link #toEncoderInfo()}. */
  public static EncoderId fromEncoderInfo(EncoderInfo info) {
    return new EncoderId(info.getId().toString(), info.getVersion().toString(), info.getDim());
  }

  @Override
  public String toString() {
    return tag() + "[" + dim + "]";
  }
}
