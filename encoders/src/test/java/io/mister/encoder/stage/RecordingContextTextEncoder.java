package io.mister.encoder.stage;

import io.mister.encoder.EncoderId;
import io.mister.encoder.text.TextEncoder;
import java.util.ArrayList;
import java.util.List;

/**
 * A context-aware stand-in: declares it reads the {@code contextTurns} turns before each turn,
 * records every (text, previous transcripts) pair it is given, and takes the vectors from the real
 * encoder it wraps.
 */
final class RecordingContextTextEncoder implements TextEncoder {

  /** One text as the stage handed it over, with its previous transcripts (latest first). */
  record Seen(String text, List<String> previous) {}

  private final TextEncoder delegate;
  private final int contextTurns;
  final List<Seen> seen = new ArrayList<>();

  RecordingContextTextEncoder(TextEncoder delegate, int contextTurns) {
    this.delegate = delegate;
    this.contextTurns = contextTurns;
  }

  @Override
  public EncoderId id() {
    return delegate.id();
  }

  @Override
  public int contextTurns() {
    return contextTurns;
  }

  @Override
  public synchronized List<float[]> encode(List<String> texts, List<List<String>> previous) {
    for (int i = 0; i < texts.size(); i++) {
      seen.add(new Seen(texts.get(i), List.copyOf(previous.get(i))));
    }
    return delegate.encode(texts);
  }

  @Override
  public List<float[]> encode(List<String> texts) {
    throw new AssertionError("a context-aware encoder is given the previous transcripts");
  }

  @Override
  public void close() {}
}
