package io.mister.serde;

import io.mister.events.ConversationControl;
import io.mister.events.EmotionEvent;
import io.mister.events.Utterance;
import io.mister.events.UtteranceEmbedding;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;

/**
 * The one place that makes value serdes, in the mode the configuration chose. Instances are
 * immutable and carry their settings: no static registry URL, no global reconfiguration.
 */
public final class EventSerdes {

    private final SerdeSettings settings;

    public EventSerdes(SerdeSettings settings) {
        this.settings = settings;
    }

    public SerdeSettings settings() {
        return settings;
    }

    public Serde<Utterance> utterance() {
        return valueSerde(Utterance.class);
    }

    public Serde<ConversationControl> control() {
        return valueSerde(ConversationControl.class);
    }

    public Serde<UtteranceEmbedding> embedding() {
        return valueSerde(UtteranceEmbedding.class);
    }

    public Serde<EmotionEvent> emotion() {
        return valueSerde(EmotionEvent.class);
    }

    /** A value serde for any of the generated record classes. */
    public <T extends SpecificRecord> Serde<T> valueSerde(Class<T> type) {
        return switch (settings.mode()) {
            case REGISTRY -> new RegistrySerde<>(settings, false);
            case SINGLE_OBJECT -> singleObject(type);
        };
    }

    /** Registry-less single-object serde; also what offline files and the demo use. */
    public static <T extends SpecificRecord> Serde<T> singleObject(Class<T> type) {
        Schema schema = SpecificData.get().getSchema(type);
        List<Schema> older = SchemaHistory.releasedVersions(schema.getName());
        return new SingleObjectSerde<>(type, schema, older);
    }
}
