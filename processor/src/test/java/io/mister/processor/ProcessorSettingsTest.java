package io.mister.processor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ProcessorSettingsTest {

    @Test
    void defaultsAreValid() {
        ProcessorSettings defaults = ProcessorSettings.defaults();
        assertThat(defaults.windowTurns()).isEqualTo(32);
        assertThat(defaults.lookAhead()).isLessThan(defaults.windowTurns());
    }

    @Test
    void refusesSettingsThatCannotWork() {
        ProcessorSettings d = ProcessorSettings.defaults();
        assertThatThrownBy(() -> d.withWindow(4, 4)).hasMessageContaining("look-ahead (L) must be in [0, W-1]");
        assertThatThrownBy(() -> d.withWindow(0, 0)).hasMessageContaining("window (W) must be >= 1");
        assertThatThrownBy(() -> d.withBatching(0, Duration.ofMillis(5))).hasMessageContaining("batchSize");
        assertThatThrownBy(() -> d.withBatching(8, Duration.ZERO)).hasMessageContaining("batchWait");
        assertThatThrownBy(() -> d.withMaxTurns(0)).hasMessageContaining("maxTurns");
        assertThatThrownBy(() -> d.withInactivity(Duration.ZERO, Duration.ofSeconds(1))).hasMessageContaining("inactivityTimeout");
        assertThatThrownBy(() -> d.withEndGrace(Duration.ofSeconds(-1))).hasMessageContaining("endGrace");
    }
}
