package io.mister.processor.inference;

import io.mister.processor.context.Turn;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.List;

/**
 * Reusable native-order direct buffers for the head's five inputs. Embeddings are written straight into
 * them and ONNX Runtime reads the same memory (no intermediate arrays, no copy inside the runtime).
 * One instance per thread that scores (a scoring thread, a task's finals, a benchmark loop); it grows to the
 * largest batch.
 */
public final class HeadInputs {

    private FloatBuffer text = allocate(0);
    private FloatBuffer speech = allocate(0);
    private FloatBuffer textMask = allocate(0);
    private FloatBuffer speechMask = allocate(0);
    private FloatBuffer valid = allocate(0);

    /** Fills the buffers for {@code windows} padded to {@code maxTurns} (padding at the end, valid = 0). */
    void fill(List<? extends List<Turn>> windows, int maxTurns, int textDim, int speechDim) {
        int cells = windows.size() * maxTurns;
        text = ensure(text, cells * textDim);
        speech = ensure(speech, cells * speechDim);
        textMask = ensure(textMask, cells);
        speechMask = ensure(speechMask, cells);
        valid = ensure(valid, cells);
        for (List<Turn> window : windows) {
            for (int t = 0; t < maxTurns; t++) {
                Turn turn = t < window.size() ? window.get(t) : null;
                putVector(text, turn == null ? null : turn.text(), textDim);
                putVector(speech, turn == null ? null : turn.speech(), speechDim);
                textMask.put(turn != null && turn.textPresent() ? 1f : 0f);
                speechMask.put(turn != null && turn.speechPresent() ? 1f : 0f);
                valid.put(turn != null ? 1f : 0f);
            }
        }
        for (FloatBuffer buffer : new FloatBuffer[] {text, speech, textMask, speechMask, valid}) {
            buffer.flip();
        }
    }

    FloatBuffer text() {
        return text;
    }

    FloatBuffer speech() {
        return speech;
    }

    FloatBuffer textMask() {
        return textMask;
    }

    FloatBuffer speechMask() {
        return speechMask;
    }

    FloatBuffer valid() {
        return valid;
    }

    private static void putVector(FloatBuffer buffer, float[] vector, int dim) {
        if (vector == null) {
            for (int i = 0; i < dim; i++) {
                buffer.put(0f);
            }
        } else {
            buffer.put(vector, 0, dim);
        }
    }

    private static FloatBuffer ensure(FloatBuffer buffer, int floats) {
        FloatBuffer target = buffer.capacity() >= floats ? buffer : allocate(Math.max(floats, buffer.capacity() * 2));
        target.clear();
        target.limit(floats);
        return target;
    }

    private static FloatBuffer allocate(int floats) {
        return ByteBuffer.allocateDirect(floats * Float.BYTES).order(ByteOrder.nativeOrder()).asFloatBuffer();
    }
}
