package io.spillway.domain.risk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RiskHoldTest {
  static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  static Optional<Duration> hours(double h) {
    return Optional.of(Duration.ofSeconds(Math.round(h * 3600)));
  }

  @Test
  void rises_at_once_and_falls_only_after_the_dwell() {
    RiskHold hold = new RiskHold(RiskHold.Bands.standard());
    assertThat(hold.update(T0, hours(20), false)).isEqualTo(RiskLevel.OK);
    assertThat(hold.update(T0.plusSeconds(60), hours(5), false)).isEqualTo(RiskLevel.CRITICAL);
    assertThat(hold.update(T0.plusSeconds(120), Optional.empty(), false)).as("calm for 1 minute").isEqualTo(RiskLevel.CRITICAL);
    assertThat(hold.update(T0.plusSeconds(120 + 29 * 60), Optional.empty(), false)).isEqualTo(RiskLevel.CRITICAL);
    assertThat(hold.update(T0.plusSeconds(120 + 30 * 60), Optional.empty(), false)).isEqualTo(RiskLevel.OK);
    assertThat(hold.changes()).isEqualTo(2);
  }

  @Test
  void a_projection_inside_a_band_keeps_the_level_and_restarts_the_dwell() {
    RiskHold hold = new RiskHold(RiskHold.Bands.standard());
    hold.update(T0, hours(11), false);
    hold.update(T0.plusSeconds(600), hours(15), false);
    hold.update(T0.plusSeconds(1200), hours(13.5), false); // within WATCH's leave threshold
    assertThat(hold.update(T0.plusSeconds(1200 + 29 * 60), hours(15), false)).isEqualTo(RiskLevel.WATCH);
    assertThat(hold.changes()).isEqualTo(1);
  }

  @Test
  void falls_to_the_highest_band_the_calm_projections_were_inside() {
    RiskHold hold = new RiskHold(RiskHold.Bands.standard());
    hold.update(T0, hours(5), false);
    for (int m = 1; m <= 31; m++) hold.update(T0.plusSeconds(m * 60L), hours(13), false);
    assertThat(hold.level()).as("13 h is past CRITICAL's 7 h but inside WATCH's 14 h").isEqualTo(RiskLevel.WATCH);
  }

  @Test
  void loss_is_held_while_losing() {
    RiskHold hold = new RiskHold(RiskHold.Bands.standard());
    assertThat(hold.update(T0, hours(0), true)).isEqualTo(RiskLevel.LOSS);
    assertThat(hold.update(T0.plus(Duration.ofHours(5)), hours(0), true)).isEqualTo(RiskLevel.LOSS);
    // between two expiring records the age dips under the retention: the next loss is minutes away
    for (int m = 1; m <= 40; m++) hold.update(T0.plus(Duration.ofHours(5)).plusSeconds(60L * m), hours(0.3), false);
    assertThat(hold.level()).isEqualTo(RiskLevel.LOSS);
    for (int m = 41; m <= 71; m++) hold.update(T0.plus(Duration.ofHours(5)).plusSeconds(60L * m), Optional.empty(), false);
    assertThat(hold.level()).as("the drain caught up").isEqualTo(RiskLevel.OK);
    assertThat(hold.changes()).isEqualTo(2);
  }

  @Test
  void bands_must_nest() {
    assertThatThrownBy(() -> new RiskHold.Bands(Duration.ofHours(6), Duration.ofHours(5), Duration.ofHours(12), Duration.ofHours(14), Duration.ZERO))
        .hasMessageContaining("bands.criticalLeave");
    assertThatThrownBy(() -> new RiskHold.Bands(Duration.ofHours(6), Duration.ofHours(7), Duration.ofHours(5), Duration.ofHours(14), Duration.ZERO))
        .hasMessageContaining("bands.watchEnter");
    assertThatThrownBy(() -> new RiskHold.Bands(Duration.ofHours(6), Duration.ofHours(7), Duration.ofHours(12), Duration.ofHours(11), Duration.ZERO))
        .hasMessageContaining("bands.watchLeave");
    assertThatThrownBy(() -> new RiskHold.Bands(Duration.ofHours(6), Duration.ofHours(7), Duration.ofHours(12), Duration.ofHours(14), Duration.ofSeconds(-1)))
        .hasMessageContaining("bands.minDwell");
  }
}
