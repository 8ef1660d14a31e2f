package io.mister.encoder;

import java.util.ArrayList;
import java.util.List;

/** Embeddings as the Avro records carry them (a list of floats, null where the modality is absent). */
public final class EmbeddingVectors {

  private EmbeddingVectors() {}

  /** The Avro form of an encoder output; null stays null (modality absent). */
  public static List<Float> toAvro(float[] vector) {
    if (vector == null) {
      return null;
    }
    List<Float> list = new ArrayList<>(vector.length);
    for (float v : vector) {
      list.add(v);
    }
    return list;
  }
}
