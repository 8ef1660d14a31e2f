package io.mister.app.evaluation;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Classification figures for gold vs predicted labels over a fixed label set: accuracy, weighted F1
 * (per-class F1 weighted by gold support, as MELD papers report), macro F1, per-class precision,
 * recall and F1, and the confusion matrix (rows gold, columns predicted). Percentages are 0-100.
 * Predictions outside the label set are counted as wrong; gold labels outside it are rejected.
 */
public final class ClassificationReport {

    private final List<String> labels;
    private final long[][] confusion;
    private final long total;

    private ClassificationReport(List<String> labels, long[][] confusion, long total) {
        this.labels = labels;
        this.confusion = confusion;
        this.total = total;
    }

    /** Builds the report; {@code gold} and {@code predicted} are parallel lists. */
    public static ClassificationReport of(List<String> labels, List<String> gold, List<String> predicted) {
        if (gold.size() != predicted.size()) {
            throw new IllegalArgumentException("gold and predicted differ in length: " + gold.size() + " vs " + predicted.size());
        }
        Map<String, Integer> index = new LinkedHashMap<>();
        for (String label : labels) {
            index.put(label, index.size());
        }
        // One extra column for predictions outside the label set.
        long[][] confusion = new long[labels.size()][labels.size() + 1];
        for (int i = 0; i < gold.size(); i++) {
            Integer g = index.get(gold.get(i));
            if (g == null) {
                throw new IllegalArgumentException("gold label '" + gold.get(i) + "' is not one of " + labels);
            }
            Integer p = index.get(Objects.requireNonNullElse(predicted.get(i), ""));
            confusion[g][p == null ? labels.size() : p]++;
        }
        return new ClassificationReport(List.copyOf(labels), confusion, gold.size());
    }

    public List<String> labels() {
        return labels;
    }

    public long count() {
        return total;
    }

    /** confusion()[gold][predicted] for predicted in the label set. */
    public long[][] confusion() {
        long[][] copy = new long[labels.size()][];
        for (int g = 0; g < labels.size(); g++) {
            copy[g] = java.util.Arrays.copyOf(confusion[g], labels.size());
        }
        return copy;
    }

    public long support(int label) {
        long s = 0;
        for (long v : confusion[label]) {
            s += v;
        }
        return s;
    }

    private long predictedCount(int label) {
        long s = 0;
        for (long[] row : confusion) {
            s += row[label];
        }
        return s;
    }

    public double accuracy() {
        if (total == 0) {
            return 0;
        }
        long correct = 0;
        for (int i = 0; i < labels.size(); i++) {
            correct += confusion[i][i];
        }
        return 100.0 * correct / total;
    }

    public double precision(int label) {
        long predicted = predictedCount(label);
        return predicted == 0 ? 0 : 100.0 * confusion[label][label] / predicted;
    }

    public double recall(int label) {
        long support = support(label);
        return support == 0 ? 0 : 100.0 * confusion[label][label] / support;
    }

    /** F1 of one class; 0 when it has neither predictions nor gold examples correct. */
    public double f1(int label) {
        double p = precision(label);
        double r = recall(label);
        return p + r == 0 ? 0 : 2 * p * r / (p + r);
    }

    /** Per-class F1 weighted by gold support. */
    public double weightedF1() {
        if (total == 0) {
            return 0;
        }
        double sum = 0;
        for (int i = 0; i < labels.size(); i++) {
            sum += f1(i) * support(i);
        }
        return sum / total;
    }

    /** Unweighted mean of the per-class F1 over classes that occur in the gold labels. */
    public double macroF1() {
        double sum = 0;
        int classes = 0;
        for (int i = 0; i < labels.size(); i++) {
            if (support(i) > 0) {
                sum += f1(i);
                classes++;
            }
        }
        return classes == 0 ? 0 : sum / classes;
    }

    public Map<String, Double> perClassF1() {
        Map<String, Double> f1 = new LinkedHashMap<>();
        for (int i = 0; i < labels.size(); i++) {
            f1.put(labels.get(i), f1(i));
        }
        return f1;
    }

    /** The confusion matrix as a list of rows, for JSON. */
    public List<List<Long>> confusionRows() {
        List<List<Long>> rows = new ArrayList<>();
        for (long[] row : confusion()) {
            List<Long> r = new ArrayList<>();
            for (long v : row) {
                r.add(v);
            }
            rows.add(r);
        }
        return rows;
    }

    /** A fixed-width text table: per-class figures, then the confusion matrix. */
    public String toText(String title) {
        StringBuilder out = new StringBuilder();
        out.append(String.format("%s: %d turns, weighted F1 %.2f, accuracy %.2f, macro F1 %.2f%n",
                title, total, weightedF1(), accuracy(), macroF1()));
        out.append(String.format("  %-10s %9s %9s %9s %8s%n", "class", "precision", "recall", "f1", "support"));
        for (int i = 0; i < labels.size(); i++) {
            out.append(String.format("  %-10s %9.2f %9.2f %9.2f %8d%n", labels.get(i), precision(i), recall(i), f1(i), support(i)));
        }
        out.append("  confusion (rows gold, columns predicted):\n  ").append(String.format("%-10s", ""));
        for (String label : labels) {
            out.append(String.format(" %8.8s", label));
        }
        out.append('\n');
        long[][] matrix = confusion();
        for (int g = 0; g < labels.size(); g++) {
            out.append("  ").append(String.format("%-10.10s", labels.get(g)));
            for (long v : matrix[g]) {
                out.append(String.format(" %8d", v));
            }
            out.append('\n');
        }
        return out.toString();
    }
}
