package io.mister.serde;

/** How record values are framed on the wire. */
public enum SerdeMode {
    /**
     * The ecosystem's norm: Confluent wire format (magic byte 0 + 4-byte schema id + Avro binary),
     * schemas registered in and resolved from a schema registry (Apicurio, Confluent-compatible API).
     */
    REGISTRY,
    /**
     * Registry-less: Avro single-object encoding (marker C3 01 + 8-byte schema fingerprint + Avro
     * binary). Writer schemas are resolved from the schemas this build knows, including every
     * released older version. For the embedded demo, tests and offline files.
     */
    SINGLE_OBJECT
}
