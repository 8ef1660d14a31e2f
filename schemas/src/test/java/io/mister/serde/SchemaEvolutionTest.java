package io.mister.serde;

import static org.assertj.core.api.Assertions.assertThat;

import io.mister.events.ConversationControl;
import io.mister.events.EmotionEvent;
import io.mister.events.Utterance;
import io.mister.events.UtteranceEmbedding;
import io.mister.testing.SampleEvents;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.util.List;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/**
 * The evolution rules of docs/schemas.md, checked: every released version of every schema is
 * readable by the current one and vice versa (FULL compatibility), and data written under the
 * previous version decodes with today's classes.
 */
class SchemaEvolutionTest {

    static Stream<Arguments> records() {
        return Stream.of(Utterance.class, ConversationControl.class, UtteranceEmbedding.class, EmotionEvent.class)
                .map(type -> Arguments.of(type.getSimpleName(), type));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("records")
    void everyReleasedVersionIsFullyCompatibleWithTheCurrentSchema(String name, Class<? extends SpecificRecord> type) {
        Schema current = SpecificData.get().getSchema(type);
        List<Schema> released = SchemaHistory.releasedVersions(name);
        assertThat(released).as("released versions of " + name + " under schema-history/").isNotEmpty();
        for (Schema old : released) {
            assertThat(SchemaCompatibility.checkReaderWriterCompatibility(current, old).getType())
                    .as("current reads %s data", name).isEqualTo(SchemaCompatibilityType.COMPATIBLE);
            assertThat(SchemaCompatibility.checkReaderWriterCompatibility(old, current).getType())
                    .as("%s readers of the old version read current data", name).isEqualTo(SchemaCompatibilityType.COMPATIBLE);
        }
    }

    @Test
    void theNewestReleasedVersionIsTheCurrentSchema() {
        records().forEach(args -> {
            Class<?> type = (Class<?>) args.get()[1];
            Schema current = SpecificData.get().getSchema(type);
            List<Schema> released = SchemaHistory.releasedVersions(current.getName());
            assertThat(released.get(released.size() - 1))
                    .as("schema-history/%s must hold the current schema as its newest version: add vN.avsc when you change it",
                            current.getName())
                    .isEqualTo(current);
        });
    }

    @Test
    void dataWrittenUnderAnOlderShapeDecodesWithTodaysClasses() throws Exception {
        Schema previous = read("/evolution/Utterance-previous.avsc");
        assertThat(SchemaCompatibility.checkReaderWriterCompatibility(SpecificData.get().getSchema(Utterance.class), previous)
                .getType()).isEqualTo(SchemaCompatibilityType.COMPATIBLE);

        GenericRecord old = new GenericData.Record(previous);
        old.put("conversation_id", "c1");
        old.put("utterance_id", "c1-u0");
        old.put("seq", 0L);
        old.put("event_time", SampleEvents.T0);
        old.put("text", "hello");
        old.put("audio", null);
        byte[] bytes = new BinaryMessageEncoder<GenericRecord>(GenericData.get(), previous).encode(old).array();

        Utterance read = new SingleObjectSerde<>(Utterance.class, SpecificData.get().getSchema(Utterance.class), List.of(previous))
                .decode(bytes);

        assertThat(read.getText()).isEqualTo("hello");
        assertThat(read.getSpeakerRole()).isNull();
        assertThat(read.getAttributes()).isEmpty();
    }

    @Test
    void aFieldAddedWithoutADefaultIsCaughtAsIncompatible() throws Exception {
        Schema current = SpecificData.get().getSchema(Utterance.class);
        Schema broken = read("/evolution/Utterance-required-field-added.avsc");
        assertThat(SchemaCompatibility.checkReaderWriterCompatibility(broken, current).getType())
                .isEqualTo(SchemaCompatibilityType.INCOMPATIBLE);
    }

    private static Schema read(String resource) throws Exception {
        try (InputStream in = SchemaEvolutionTest.class.getResourceAsStream(resource)) {
            return new Schema.Parser().parse(in);
        }
    }
}
