package io.spillway.application.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spillway.domain.InvalidFieldException;
import io.spillway.domain.risk.RetentionRiskPolicies;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class BacklogMonitorSettingsTest {
  static final Duration MINUTE = Duration.ofMinutes(1);

  @Test
  void theDefaultsMeasureFiveMinutesAndCalmDownForAsLong() {
    BacklogMonitorSettings d = BacklogMonitorSettings.defaults();

    assertThat(d.window()).isEqualTo(Duration.ofMinutes(5));
    assertThat(d.calmDown()).isEqualTo(d.window());
    assertThat(d.safeHorizon()).isEqualTo(Duration.ofHours(6));
  }

  @Test
  void aNonPositiveWindowIsRefusedNamingTheField() {
    assertThatThrownBy(() -> BacklogMonitorSettings.defaults().withWindow(Duration.ZERO))
        .isInstanceOf(InvalidFieldException.class)
        .hasMessageContaining("monitor.window").hasMessageContaining("PT0S").hasMessageContaining("positive");
  }

  @Test
  void aNegativeCalmDownIsRefusedButZeroIsAllowed() {
    assertThatThrownBy(() -> BacklogMonitorSettings.defaults().withCalmDown(Duration.ofSeconds(-1)))
        .isInstanceOf(InvalidFieldException.class).hasMessageContaining("monitor.calmDown");
    assertThat(BacklogMonitorSettings.defaults().withCalmDown(Duration.ZERO).calmDown()).isZero();
  }

  @Test
  void fewerThanTwoSamplesMissingPolicyAndNonPositiveHorizonAreRefused() {
    assertThatThrownBy(() -> new BacklogMonitorSettings(MINUTE, 1, RetentionRiskPolicies.standard(), MINUTE, MINUTE))
        .hasMessageContaining("monitor.maxSamples").hasMessageContaining(">= 2");
    assertThatThrownBy(() -> new BacklogMonitorSettings(MINUTE, 10, null, MINUTE, MINUTE)).hasMessageContaining("monitor.policy");
    assertThatThrownBy(() -> new BacklogMonitorSettings(MINUTE, 10, RetentionRiskPolicies.standard(), Duration.ZERO, MINUTE))
        .hasMessageContaining("monitor.safeHorizon");
  }
}
