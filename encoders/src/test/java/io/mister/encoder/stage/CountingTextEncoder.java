package io.mister.encoder.stage;

import io.mister.encoder.EncoderId;
import io.mister.encoder.text.TextEncoder;
import java.util.ArrayList;
import java.util.List;

/** Wraps the real text encoder and records the size of every batch it is given. */
final class CountingTextEncoder implements TextEncoder {

  private final TextEncoder delegate;
  final List<Integer> batchSizes = new ArrayList<>();

  CountingTextEncoder(TextEncoder delegate) {
    this.delegate = delegate;
  }

  @Override
  public EncoderId id() {
    return delegate.id();
  }

  @Override
  public synchronized List<float[]> encode(List<String> inputs) {
    batchSizes.add(inputs.size());
    return delegate.encode(inputs);
  }

  @Override
  public int contextTurns() {
    return delegate.contextTurns();
  }

  @Override
  public synchronized List<float[]> encode(List<String> inputs, List<List<String>> previous) {
    batchSizes.add(inputs.size());
    return delegate.encode(inputs, previous);
  }

  @Override
  public void close() {}
}
