package io.mister.app.evaluation;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The outcome of an evaluation: figures for the final outputs (full context) and the provisional
 * ones (the prefix seen so far), plus whatever the mode measures besides (latency, event counts).
 * Percentages are 0-100.
 */
public record EvaluationResult(String mode, String modelVersion, ClassificationReport finals,
                               ClassificationReport provisional, Map<String, Object> extra) {

    public Map<String, Object> toJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("mode", mode);
        json.put("model_version", modelVersion);
        json.put("turns", finals.count());
        json.put("weighted_f1", round(finals.weightedF1()));
        json.put("accuracy", round(finals.accuracy()));
        json.put("macro_f1", round(finals.macroF1()));
        json.put("provisional_weighted_f1", round(provisional.weightedF1()));
        json.put("provisional_accuracy", round(provisional.accuracy()));
        json.put("provisional_macro_f1", round(provisional.macroF1()));
        json.put("labels", finals.labels());
        Map<String, Double> perClass = new LinkedHashMap<>();
        finals.perClassF1().forEach((k, v) -> perClass.put(k, round(v)));
        json.put("per_class_f1", perClass);
        Map<String, Double> provisionalPerClass = new LinkedHashMap<>();
        provisional.perClassF1().forEach((k, v) -> provisionalPerClass.put(k, round(v)));
        json.put("provisional_per_class_f1", provisionalPerClass);
        json.put("confusion_matrix", finals.confusionRows());
        json.put("provisional_confusion_matrix", provisional.confusionRows());
        json.putAll(extra);
        return json;
    }

    public void writeJson(Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), toJson());
    }

    public String toText() {
        StringBuilder text = new StringBuilder();
        text.append(String.format("evaluate (%s), model %s%n", mode, modelVersion));
        text.append(finals.toText("final (full context)"));
        text.append(provisional.toText("provisional (turns so far)"));
        extra.forEach((k, v) -> text.append(String.format("%s: %s%n", k, v)));
        return text.toString();
    }

    static double round(double value) {
        return Math.round(value * 100.0) / 100.0;
    }
}
