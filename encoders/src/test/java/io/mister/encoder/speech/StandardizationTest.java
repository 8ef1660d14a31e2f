package io.mister.encoder.speech;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class StandardizationTest {

    @Test
    void theShippedStatisticsLoadAndNameEveryFeatureInOrder() {
        Standardization s = Standardization.loadDefault();

        assertThat(s.mean()).hasSize(ProsodyFeature.COUNT);
        assertThat(s.fittedOn()).contains("EmoDB speakers 03,08,09,10,11,12,13").doesNotContain("14", "15", "16");
        assertThat(Arrays.stream(s.std()).min().orElseThrow()).isPositive();
    }

    @Test
    void theShippedStatisticsMatchTheCurrentFeatures() throws Exception {
        // guards against changing a feature without refitting (encoders/scripts/fit-prosody-standardization.sh)
        Standardization shipped = Standardization.loadDefault();
        Standardization refitted = StandardizationFitter.fit(EmoDbCorpus.locate());

        for (ProsodyFeature f : ProsodyFeature.values()) {
            int i = f.ordinal();
            assertThat(refitted.mean()[i]).as(f.key()).isCloseTo(shipped.mean()[i], within(1e-9 * (1 + Math.abs(shipped.mean()[i]))));
            assertThat(refitted.std()[i]).as(f.key()).isCloseTo(shipped.std()[i], within(1e-9 * shipped.std()[i]));
        }
    }

    @Test
    void jsonRoundTripsExactly() throws Exception {
        Standardization s = Standardization.loadDefault();
        Standardization back = Standardization.read(new ByteArrayInputStream(s.toJson().getBytes(StandardCharsets.UTF_8)));

        assertThat(back.mean()).containsExactly(s.mean());
        assertThat(back.std()).containsExactly(s.std());
        assertThat(back.fittedOn()).isEqualTo(s.fittedOn());
    }

    @Test
    void standardisesImputesUndefinedValuesWithTheMeanAndClips() {
        double[] a = new double[ProsodyFeature.COUNT];
        double[] b = new double[ProsodyFeature.COUNT];
        b[0] = 2;
        a[1] = Double.NaN;
        b[1] = 4;
        Standardization s = Standardization.fit(List.of(a, b), "two vectors");
        double[] x = new double[ProsodyFeature.COUNT];
        x[0] = 1;
        x[1] = Double.NaN;
        x[2] = 1e9;

        float[] z = s.apply(x);

        assertThat(z[0]).isZero();                                  // the mean of 0 and 2
        assertThat(z[1]).isZero();                                  // NaN -> mean
        assertThat(z[2]).isEqualTo((float) Standardization.CLIP);   // constant dimension: std 1, clipped
    }

    @Test
    void refusesStatisticsForAnotherFeatureLayout() {
        String json = Standardization.loadDefault().toJson().replace("\"f0_mean\"", "\"pitch_mean\"");

        assertThatThrownBy(() -> Standardization.read(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8))))
                .hasMessageContaining("pitch_mean");
    }
}
