package io.mister.encoder.stage;

import java.nio.ByteBuffer;
import java.util.Arrays;
import org.apache.kafka.common.serialization.Serde;

/**
 * The stored form of a buffered record ({@link BufferedTurn}, {@link BufferedControl}): the input
 * record's 8-byte timestamp, then the value's Avro single-object encoding.
 */
final class StampedBytes {

  private StampedBytes() {}

  static <T> byte[] encode(long timestamp, T value, Serde<T> serde) {
    byte[] body = serde.serializer().serialize(null, value);
    return ByteBuffer.allocate(Long.BYTES + body.length).putLong(timestamp).put(body).array();
  }

  static long timestamp(byte[] bytes) {
    return ByteBuffer.wrap(bytes, 0, Long.BYTES).getLong();
  }

  static <T> T value(byte[] bytes, Serde<T> serde) {
    return serde.deserializer().deserialize(null, Arrays.copyOfRange(bytes, Long.BYTES, bytes.length));
  }
}
