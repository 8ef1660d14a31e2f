package io.mister.processor.context;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/** Shared pieces of the stores' compact binary values: strings and optional float vectors. */
final class BinaryFields {

    private BinaryFields() {}

    static int stringSize(String value) {
        return Integer.BYTES + value.getBytes(StandardCharsets.UTF_8).length;
    }

    static void putString(ByteBuffer buffer, String value) {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        buffer.putInt(bytes.length).put(bytes);
    }

    static String getString(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.getInt()];
        buffer.get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /** Length -1 stands for an absent vector. */
    static int vectorSize(float[] vector) {
        return Integer.BYTES + (vector == null ? 0 : vector.length * Float.BYTES);
    }

    static void putVector(ByteBuffer buffer, float[] vector) {
        if (vector == null) {
            buffer.putInt(-1);
            return;
        }
        buffer.putInt(vector.length);
        buffer.asFloatBuffer().put(vector);
        buffer.position(buffer.position() + vector.length * Float.BYTES);
    }

    static float[] getVector(ByteBuffer buffer) {
        int length = buffer.getInt();
        if (length < 0) {
            return null;
        }
        float[] vector = new float[length];
        buffer.asFloatBuffer().get(vector);
        buffer.position(buffer.position() + length * Float.BYTES);
        return vector;
    }

    static void requireVersion(ByteBuffer buffer, byte expected, String what) {
        byte version = buffer.get();
        if (version != expected) {
            throw new IllegalStateException("Unknown " + what + " format version " + version + " (expected " + expected
                    + "): the state was written by another release; reset the application's state");
        }
    }
}
