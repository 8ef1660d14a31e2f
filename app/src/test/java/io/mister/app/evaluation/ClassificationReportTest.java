package io.mister.app.evaluation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClassificationReportTest {

    private static final List<String> LABELS = List.of("a", "b", "c");
    // Expected figures computed with scikit-learn's f1_score / accuracy_score on the same lists.
    private static final List<String> GOLD = List.of("a", "a", "a", "b", "b", "c", "c", "c", "c", "a");
    private static final List<String> PREDICTED = List.of("a", "b", "a", "b", "c", "c", "c", "a", "c", "x");

    @Test
    void figuresMatchScikitLearn() {
        ClassificationReport report = ClassificationReport.of(LABELS, GOLD, PREDICTED);
        assertThat(report.weightedF1()).isCloseTo(62.857142857, within(1e-6));
        assertThat(report.accuracy()).isCloseTo(60.0, within(1e-9));
        assertThat(report.macroF1()).isCloseTo(60.714285714, within(1e-6));
        assertThat(report.perClassF1().get("a")).isCloseTo(57.142857142, within(1e-6));
        assertThat(report.perClassF1().get("b")).isCloseTo(50.0, within(1e-9));
        assertThat(report.perClassF1().get("c")).isCloseTo(75.0, within(1e-9));
    }

    @Test
    void confusionMatrixHasGoldRowsAndPredictedColumnsAndCountsUnknownPredictionsAsWrong() {
        ClassificationReport report = ClassificationReport.of(LABELS, GOLD, PREDICTED);
        assertThat(report.confusion()).isDeepEqualTo(new long[][] {{2, 1, 0}, {0, 1, 1}, {1, 0, 3}});
        assertThat(report.support(0)).isEqualTo(4); // the "x" prediction still counts in a's support
        assertThat(report.toText("final")).contains("weighted F1 62.86").contains("accuracy 60.00");
    }

    @Test
    void perfectPredictionsScoreOneHundredAndEmptyInputScoresZero() {
        assertThat(ClassificationReport.of(LABELS, GOLD, GOLD).weightedF1()).isEqualTo(100.0);
        assertThat(ClassificationReport.of(LABELS, List.of(), List.of()).weightedF1()).isZero();
    }

    @Test
    void refusesGoldLabelsOutsideTheLabelSetAndMismatchedLengths() {
        assertThatThrownBy(() -> ClassificationReport.of(LABELS, List.of("z"), List.of("a")))
                .hasMessageContaining("'z' is not one of");
        assertThatThrownBy(() -> ClassificationReport.of(LABELS, List.of("a"), List.of()))
                .hasMessageContaining("differ in length");
    }

    @Test
    void latencyPercentilesUseNearestRank() {
        LatencySummary latency = new LatencySummary(List.of(50L, 10L, 40L, 20L, 30L));
        assertThat(latency.percentile(50)).isEqualTo(30);
        assertThat(latency.percentile(99)).isEqualTo(50);
        assertThat(latency.percentile(20)).isEqualTo(10);
        assertThat(new LatencySummary(List.of()).percentile(50)).isZero();
    }

    @Test
    void confusionMatrixIsDrawnAsAPng(@TempDir Path dir) throws Exception {
        Path png = dir.resolve("cm.png");
        ConfusionMatrixImage.write(ClassificationReport.of(LABELS, GOLD, PREDICTED), "final", png);
        assertThat(Files.size(png)).isPositive();
        assertThat(ImageIO.read(png.toFile()).getWidth()).isGreaterThan(3 * 64);
    }
}
