package io.mister.encoder.stage;

import io.mister.encoder.Encoder;
import io.mister.encoder.EncoderId;
import java.util.ArrayList;
import java.util.List;

/** Wraps the real text encoder and records the size of every batch it is given. */
final class CountingTextEncoder implements Encoder<String> {

  private final Encoder<String> delegate;
  final List<Integer> batchSizes = new ArrayList<>();

  CountingTextEncoder(Encoder<String> delegate) {
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
  public void close() {}
}
