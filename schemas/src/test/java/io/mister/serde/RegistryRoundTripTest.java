package io.mister.serde;

import static org.assertj.core.api.Assertions.assertThat;

import io.apicurio.registry.serde.SerdeConfig;
import io.apicurio.registry.serde.avro.AvroKafkaSerializer;
import io.mister.events.Utterance;
import io.mister.testing.ApicurioRegistryExtension;
import io.mister.testing.SampleEvents;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Round trips through a real Apicurio Registry server process, in the Confluent wire format. */
@ExtendWith(ApicurioRegistryExtension.class)
class RegistryRoundTripTest {

    private final EventSerdes serdes = new EventSerdes(SerdeSettings.registry(ApicurioRegistryExtension.coreApiUrl()));

    @Test
    void everyRecordTypeSurvivesTheRoundTrip() {
        roundTrip("rt-utterances", serdes.utterance(), SampleEvents.utterance("c1", 1, "hello", SampleEvents.pcmAudio((short) 7)));
        roundTrip("rt-control", serdes.control(), SampleEvents.ended("c1"));
        roundTrip("rt-embeddings", serdes.embedding(), SampleEvents.embedding("c1", 1, new float[] {1f, 2f}, new float[] {3f}));
        roundTrip("rt-emotions", serdes.emotion(), SampleEvents.emotion("c1", 1));
    }

    @Test
    void bytesAreConfluentFramedAndTheIdResolvesThroughTheConfluentCompatibleApi() throws Exception {
        byte[] bytes = serdes.control().serializer().serialize("wire-control", SampleEvents.ended("c9"));
        assertThat(bytes[0]).as("magic byte").isZero();
        int id = ByteBuffer.wrap(bytes, 1, 4).getInt();

        HttpResponse<String> schema = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(ApicurioRegistryExtension.ccompatUrl() + "/schemas/ids/" + id)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(schema.statusCode()).isEqualTo(200);
        assertThat(schema.body()).contains("ConversationControl");
    }

    @Test
    void readsARecordWrittenUnderAnOlderSchemaVersion() throws Exception {
        Schema previous;
        try (InputStream in = getClass().getResourceAsStream("/evolution/Utterance-previous.avsc")) {
            previous = new Schema.Parser().parse(in);
        }
        GenericRecord old = new GenericData.Record(previous);
        old.put("conversation_id", "c-old");
        old.put("utterance_id", "c-old-u0");
        old.put("seq", 0L);
        old.put("event_time", SampleEvents.T0);
        old.put("text", "written by an older producer");
        old.put("audio", null);

        try (AvroKafkaSerializer<GenericRecord> oldProducer = new AvroKafkaSerializer<>()) {
            oldProducer.configure(Map.of(
                    SerdeConfig.REGISTRY_URL, ApicurioRegistryExtension.coreApiUrl(),
                    SerdeConfig.AUTO_REGISTER_ARTIFACT, true,
                    SerdeConfig.ENABLE_HEADERS, false,
                    SerdeConfig.ID_HANDLER, io.apicurio.registry.serde.Legacy4ByteIdHandler.class.getName(),
                    SerdeConfig.USE_ID, "contentId"), false);
            byte[] bytes = oldProducer.serialize("evolution-utterances", old);

            Utterance read = serdes.utterance().deserializer().deserialize("evolution-utterances", bytes);

            assertThat(read.getConversationId()).isEqualTo("c-old");
            assertThat(read.getText()).isEqualTo("written by an older producer");
            assertThat(read.getLanguage()).as("field added later takes its default").isNull();
            assertThat(read.getAttributes()).as("field added later takes its default").isEmpty();
        }
    }

    private static <T extends SpecificRecord> void roundTrip(String topic, Serde<T> serde, T record) {
        byte[] bytes = serde.serializer().serialize(topic, record);
        assertThat(bytes[0]).isZero();
        assertThat(serde.deserializer().deserialize(topic, bytes)).isEqualTo(record);
    }
}
