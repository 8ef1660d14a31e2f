package io.mister.processor.inference;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * What a head model declares about itself in its ONNX metadata (see docs/model-contract.md): labels in
 * output order, the encoders and dimensions it was trained on, its version and context kind.
 */
public record HeadSpec(List<String> labels, String textEncoder, int textDim, String speechEncoder, int speechDim,
                       String modelVersion, String context) {

    public HeadSpec {
        labels = List.copyOf(labels);
    }

    /** Reads the metadata, naming every missing or malformed key at once. */
    public static HeadSpec fromMetadata(String modelName, Map<String, String> metadata) {
        List<String> problems = new ArrayList<>();
        String labels = required(metadata, "labels", problems);
        String textEncoder = required(metadata, "text_encoder", problems);
        int textDim = dimension(metadata, "text_dim", problems);
        String speechEncoder = required(metadata, "speech_encoder", problems);
        int speechDim = dimension(metadata, "speech_dim", problems);
        String version = required(metadata, "model_version", problems);
        String context = metadata.getOrDefault("context", "bidirectional");
        if (!problems.isEmpty()) {
            throw new ModelMismatchException("Model " + modelName + " breaks the head contract's metadata: "
                    + String.join("; ", problems));
        }
        List<String> labelList = Arrays.stream(labels.split(",")).map(String::trim).toList();
        return new HeadSpec(labelList, textEncoder, textDim, speechEncoder, speechDim, version, context);
    }

    private static String required(Map<String, String> metadata, String key, List<String> problems) {
        String value = metadata.get(key);
        if (value == null || value.isBlank()) {
            problems.add("metadata '" + key + "' is missing");
            return "";
        }
        return value.trim();
    }

    private static int dimension(Map<String, String> metadata, String key, List<String> problems) {
        String value = required(metadata, key, problems);
        if (value.isEmpty()) {
            return 0;
        }
        try {
            int dim = Integer.parseInt(value);
            if (dim < 1) {
                problems.add("metadata '" + key + "' must be >= 1, was " + dim);
            }
            return dim;
        } catch (NumberFormatException e) {
            problems.add("metadata '" + key + "' is not an integer: '" + value + "'");
            return 0;
        }
    }
}
