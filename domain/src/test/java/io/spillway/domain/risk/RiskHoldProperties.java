package io.spillway.domain.risk;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** The held level does not flap under noise inside a band, never sits below what the projection enters, and is monotone in it. */
class RiskHoldProperties {
  static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  static final RiskHold.Bands BANDS = RiskHold.Bands.standard();

  /** Projected hours to loss, one a minute; empty for "no loss projected". */
  @Provide
  Arbitrary<List<Optional<Double>>> projections() {
    return Arbitraries.doubles().between(0, 30).optional(0.9).list().ofMinSize(1).ofMaxSize(600);
  }

  /** Noise inside WATCH's band: anywhere past CRITICAL's leave threshold and within WATCH's. */
  @Provide
  Arbitrary<List<Double>> watchBandNoise() {
    return Arbitraries.doubles().between(7.001, 14).ofScale(3).list().ofMinSize(1).ofMaxSize(600);
  }

  static Optional<Duration> hours(Optional<Double> h) {
    return h.map(x -> Duration.ofMillis(Math.round(x * 3_600_000)));
  }

  @Property
  void noise_inside_the_watch_band_changes_the_level_at_most_once(@ForAll("watchBandNoise") List<Double> noise) {
    RiskHold hold = new RiskHold(BANDS);
    for (int i = 0; i < noise.size(); i++) {
      hold.update(T0.plusSeconds(60L * i), hours(Optional.of(noise.get(i))), false);
    }
    assertThat(hold.changes()).isLessThanOrEqualTo(1);
    assertThat(hold.level()).isIn(RiskLevel.OK, RiskLevel.WATCH);
  }

  @Property
  void the_held_level_is_never_below_what_the_projection_enters(@ForAll("projections") List<Optional<Double>> ttl) {
    RiskHold hold = new RiskHold(BANDS);
    for (int i = 0; i < ttl.size(); i++) {
      RiskLevel held = hold.update(T0.plusSeconds(60L * i), hours(ttl.get(i)), false);
      assertThat(held).isGreaterThanOrEqualTo(BANDS.entered(hours(ttl.get(i)), false));
    }
  }

  @Property
  void a_nearer_loss_never_holds_a_lower_level(@ForAll("projections") List<Optional<Double>> ttl, @ForAll("projections") List<Optional<Double>> nearer) {
    RiskHold far = new RiskHold(BANDS);
    RiskHold near = new RiskHold(BANDS);
    for (int i = 0; i < ttl.size(); i++) {
      Optional<Double> a = ttl.get(i);
      Optional<Double> b = nearer.get(i % nearer.size());
      // the nearer projection: the smaller of the two, "none" being the farthest
      Optional<Double> n = a.isEmpty() ? b : b.isEmpty() ? a : Optional.of(Math.min(a.get(), b.get()));
      Instant at = T0.plusSeconds(60L * i);
      assertThat(near.update(at, hours(n), false)).isGreaterThanOrEqualTo(far.update(at, hours(a), false));
    }
  }
}
