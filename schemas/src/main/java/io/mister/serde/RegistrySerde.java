package io.mister.serde;

import io.apicurio.registry.serde.Legacy4ByteIdHandler;
import io.apicurio.registry.serde.SerdeConfig;
import io.apicurio.registry.serde.avro.AvroKafkaDeserializer;
import io.apicurio.registry.serde.avro.AvroKafkaSerdeConfig;
import io.apicurio.registry.serde.avro.AvroKafkaSerializer;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Confluent wire format (magic byte 0 + 4-byte id + Avro binary) through Apicurio Registry's Avro
 * serdes: Confluent's own serializer is not on Maven Central, Apicurio's is, and it reads and writes
 * the same bytes. Ids are Apicurio content ids, which its Confluent-compatible API serves as schema ids.
 */
final class RegistrySerde<T extends SpecificRecord> implements Serde<T> {

    private final AvroKafkaSerializer<T> serializer = new AvroKafkaSerializer<>();
    private final AvroKafkaDeserializer<T> deserializer = new AvroKafkaDeserializer<>();

    RegistrySerde(SerdeSettings settings, boolean isKey) {
        Map<String, Object> config = new HashMap<>(settings.passThrough());
        config.put(SerdeConfig.REGISTRY_URL, settings.registryUrl());
        config.put(SerdeConfig.AUTO_REGISTER_ARTIFACT, settings.autoRegister());
        config.put(SerdeConfig.AUTO_REGISTER_ARTIFACT_IF_EXISTS, "RETURN_OR_UPDATE");
        config.put(SerdeConfig.FIND_LATEST_ARTIFACT, !settings.autoRegister());
        // Id in the payload (not in headers) with the 4-byte Confluent framing.
        config.put(SerdeConfig.ENABLE_HEADERS, false);
        config.put(SerdeConfig.ID_HANDLER, Legacy4ByteIdHandler.class.getName());
        config.put(SerdeConfig.USE_ID, "contentId");
        config.put(AvroKafkaSerdeConfig.USE_SPECIFIC_AVRO_READER, true);
        serializer.configure(config, isKey);
        deserializer.configure(config, isKey);
    }

    @Override
    public Serializer<T> serializer() {
        return serializer;
    }

    @Override
    public Deserializer<T> deserializer() {
        return (topic, bytes) -> decode(topic, bytes);
    }

    private T decode(String topic, byte[] bytes) {
        if (bytes == null || bytes.length == 0) {
            throw new RecordDecodingException(RecordDecodingException.Reason.EMPTY, "no bytes", null);
        }
        if (bytes.length < 5 || bytes[0] != 0) {
            throw new RecordDecodingException(RecordDecodingException.Reason.NOT_FRAMED,
                    "not in Confluent wire format (magic byte 0 + 4-byte schema id)", null);
        }
        try {
            return deserializer.deserialize(topic, bytes);
        } catch (RuntimeException e) {
            if (isRegistryUnreachable(e)) {
                throw new KafkaException("Schema registry unreachable while decoding from " + topic, e);
            }
            if (isNotFound(e)) {
                throw new RecordDecodingException(RecordDecodingException.Reason.UNKNOWN_SCHEMA,
                        "schema id " + java.nio.ByteBuffer.wrap(bytes, 1, 4).getInt() + " is not in the registry", e);
            }
            throw new RecordDecodingException(RecordDecodingException.Reason.CORRUPT_PAYLOAD,
                    "corrupt Avro payload (" + e + ")", e);
        }
    }

    private static boolean isNotFound(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t.getClass().getSimpleName().contains("NotFound")) {
                return true;
            }
        }
        return false;
    }

    private static boolean isRegistryUnreachable(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.net.ConnectException || t instanceof java.net.http.HttpTimeoutException
                    || (t instanceof IOException && !(t instanceof java.io.EOFException))) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void close() {
        serializer.close();
        deserializer.close();
    }
}
