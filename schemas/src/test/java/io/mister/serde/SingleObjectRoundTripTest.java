package io.mister.serde;

import static org.assertj.core.api.Assertions.assertThat;

import io.mister.testing.SampleEvents;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;
import org.junit.jupiter.api.Test;

class SingleObjectRoundTripTest {

    private final EventSerdes serdes = new EventSerdes(SerdeSettings.singleObject());

    @Test
    void utteranceWithTextAndAudioSurvivesTheRoundTrip() {
        roundTrip(serdes.utterance(), SampleEvents.utterance("c1", 3, "I want a refund", SampleEvents.pcmAudio((short) 1, (short) -2, (short) 300)));
    }

    @Test
    void utteranceWithoutTextOrAudioSurvivesTheRoundTrip() {
        roundTrip(serdes.utterance(), SampleEvents.utterance("c1", 0, null, null));
    }

    @Test
    void controlSurvivesTheRoundTrip() {
        roundTrip(serdes.control(), SampleEvents.ended("c1"));
    }

    @Test
    void embeddingSurvivesTheRoundTrip() {
        roundTrip(serdes.embedding(), SampleEvents.embedding("c1", 2, new float[] {0.1f, -0.2f, Float.MIN_VALUE}, null));
    }

    @Test
    void emotionSurvivesTheRoundTrip() {
        roundTrip(serdes.emotion(), SampleEvents.emotion("c1", 5));
    }

    @Test
    void bytesCarryTheSingleObjectMarker() {
        byte[] bytes = serdes.control().serializer().serialize("t", SampleEvents.ended("c1"));
        assertThat(bytes[0]).isEqualTo((byte) 0xC3);
        assertThat(bytes[1]).isEqualTo((byte) 0x01);
    }

    private static <T extends SpecificRecord> void roundTrip(Serde<T> serde, T record) {
        byte[] bytes = serde.serializer().serialize("topic", record);
        T back = serde.deserializer().deserialize("topic", bytes);
        assertThat(back).isEqualTo(record);
    }
}
