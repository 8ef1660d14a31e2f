package io.mister.processor.inference;

import java.util.ArrayList;
import java.util.List;

/**
 * What the processor expects of its head model and of the embeddings it receives. Every field may be
 * null, meaning "whatever the first model declares" ({@link #resolve}); once resolved, every model
 * (initial or hot-swapped) and every embedding is checked against the same values.
 *
 * @param textEncoder text encoder {@code id@version}
 * @param textDim text embedding length
 * @param speechEncoder speech encoder {@code id@version}
 * @param speechDim speech embedding length
 * @param labels label set in output order
 */
public record InputExpectations(String textEncoder, Integer textDim, String speechEncoder, Integer speechDim,
                                List<String> labels) {

    public InputExpectations {
        labels = labels == null ? null : List.copyOf(labels);
    }

    /** Take everything from the model. */
    public static InputExpectations fromModel() {
        return new InputExpectations(null, null, null, null, null);
    }

    /** These expectations with every unset field taken from {@code spec}. */
    public InputExpectations resolve(HeadSpec spec) {
        return new InputExpectations(
                textEncoder != null ? textEncoder : spec.textEncoder(),
                textDim != null ? textDim : spec.textDim(),
                speechEncoder != null ? speechEncoder : spec.speechEncoder(),
                speechDim != null ? speechDim : spec.speechDim(),
                labels != null ? labels : spec.labels());
    }

    /** One line per difference between these expectations and the model; empty when it fits. */
    public List<String> mismatches(HeadSpec spec) {
        List<String> problems = new ArrayList<>();
        check(problems, "text encoder", textEncoder, spec.textEncoder());
        check(problems, "text dimension", textDim, spec.textDim());
        check(problems, "speech encoder", speechEncoder, spec.speechEncoder());
        check(problems, "speech dimension", speechDim, spec.speechDim());
        check(problems, "labels", labels, spec.labels());
        return problems;
    }

    /** Throws {@link ModelMismatchException} naming each mismatch. */
    public void requireMatch(String modelName, HeadSpec spec) {
        List<String> problems = mismatches(spec);
        if (!problems.isEmpty()) {
            throw new ModelMismatchException("Model " + modelName + " (version " + spec.modelVersion()
                    + ") does not match the configured inputs: " + String.join("; ", problems));
        }
    }

    private static void check(List<String> problems, String what, Object expected, Object actual) {
        if (expected != null && !expected.equals(actual)) {
            problems.add(what + ": expected " + expected + " but the model declares " + actual);
        }
    }
}
