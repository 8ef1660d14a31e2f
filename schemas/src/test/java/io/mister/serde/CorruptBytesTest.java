package io.mister.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.mister.events.Utterance;
import io.mister.serde.RecordDecodingException.Reason;
import io.mister.testing.ApicurioRegistryExtension;
import io.mister.testing.SampleEvents;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import org.apache.kafka.common.serialization.Deserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Corrupt or foreign bytes fail with one typed exception that says why, in both modes. */
@ExtendWith(ApicurioRegistryExtension.class)
class CorruptBytesTest {

    private final EventSerdes single = new EventSerdes(SerdeSettings.singleObject());
    private final EventSerdes registry = new EventSerdes(SerdeSettings.registry(ApicurioRegistryExtension.coreApiUrl()));
    private final byte[] valid = single.utterance().serializer().serialize("t", SampleEvents.utterance("c1", 1, "hi", null));

    @Test
    void emptyBytesAreEmpty() {
        assertThat(reasonOf(single.utterance().deserializer(), new byte[0])).isEqualTo(Reason.EMPTY);
        assertThat(reasonOf(registry.utterance().deserializer(), new byte[0])).isEqualTo(Reason.EMPTY);
    }

    @Test
    void foreignBytesAreNotFramed() {
        byte[] json = "{\"conversation_id\":\"c1\"}".getBytes(StandardCharsets.UTF_8);
        assertThat(reasonOf(single.utterance().deserializer(), json)).isEqualTo(Reason.NOT_FRAMED);
        assertThat(reasonOf(registry.utterance().deserializer(), json)).isEqualTo(Reason.NOT_FRAMED);
    }

    @Test
    void anUnknownFingerprintIsAnUnknownSchema() {
        byte[] bytes = valid.clone();
        bytes[5] ^= 0x5A; // inside the 8-byte fingerprint
        assertThat(reasonOf(single.utterance().deserializer(), bytes)).isEqualTo(Reason.UNKNOWN_SCHEMA);
    }

    @Test
    void anUnknownRegistryIdIsAnUnknownSchema() {
        byte[] bytes = {0, 0x7f, 0x7f, 0x7f, 0x7f, 2, 4, 6};
        assertThat(reasonOf(registry.utterance().deserializer(), bytes)).isEqualTo(Reason.UNKNOWN_SCHEMA);
    }

    @Test
    void aTruncatedPayloadIsCorrupt() {
        byte[] bytes = Arrays.copyOf(valid, valid.length - 6);
        assertThat(reasonOf(single.utterance().deserializer(), bytes)).isEqualTo(Reason.CORRUPT_PAYLOAD);
    }

    @Test
    void registryFramedGarbageIsCorrupt() {
        byte[] good = registry.utterance().serializer().serialize("corrupt-utterances", SampleEvents.utterance("c1", 1, "hi", null));
        byte[] bytes = Arrays.copyOf(good, 9); // keeps the magic byte and a valid id, cuts the payload
        assertThat(reasonOf(registry.utterance().deserializer(), bytes)).isEqualTo(Reason.CORRUPT_PAYLOAD);
    }

    @Test
    void randomMutationsNeverEscapeAsAnotherException() {
        Random random = new Random(42);
        Deserializer<Utterance> deserializer = single.utterance().deserializer();
        for (int i = 0; i < 2000; i++) {
            byte[] bytes = valid.clone();
            int flips = 1 + random.nextInt(4);
            for (int f = 0; f < flips; f++) {
                bytes[10 + random.nextInt(bytes.length - 10)] = (byte) random.nextInt(256);
            }
            byte[] input = random.nextBoolean() ? bytes : Arrays.copyOf(bytes, random.nextInt(bytes.length));
            try {
                deserializer.deserialize("t", input);
            } catch (RecordDecodingException expected) {
                // the only exception allowed
            }
        }
    }

    private static Reason reasonOf(Deserializer<Utterance> deserializer, byte[] bytes) {
        RecordDecodingException e = catchThrowableOfType(RecordDecodingException.class, () -> deserializer.deserialize("corrupt-utterances", bytes));
        assertThat(e).as("a RecordDecodingException").isNotNull();
        return e.reason();
    }
}
