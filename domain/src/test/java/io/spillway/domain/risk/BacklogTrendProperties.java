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
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;

/**
 * The projection behaves like the backlog it models: more drain never brings loss earlier, more
 * arrivals never bring it later, and with even arrivals it is the closed form.
 */
class BacklogTrendProperties {
  static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  static final Duration DAY = Duration.ofHours(24);

  /** Arrival rates, one per hour of history (a day's shape: quiet hours, busy hours, bursts). */
  @Provide
  Arbitrary<List<Double>> hourlyArrivals() {
    return Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(1, Arbitraries.just(0.0)),
        net.jqwik.api.Tuple.of(4, Arbitraries.doubles().between(0, 10_000))).list().ofMinSize(1).ofMaxSize(30);
  }

  static BacklogTrend history(List<Double> hourly, double scale) {
    BacklogTrend t = new BacklogTrend(DAY, Duration.ofHours(1));
    double arrived = 0;
    Instant at = T0;
    t.observe(new BacklogTrend.Sample(at, Duration.ZERO, 0, 0));
    for (double rate : hourly) {
      for (int m = 0; m < 6; m++) {
        at = at.plusSeconds(600);
        arrived += rate * scale * 600;
        t.observe(new BacklogTrend.Sample(at, Duration.ZERO, arrived, 0));
      }
    }
    return t;
  }

  static Instant end(List<Double> hourly) {
    return T0.plusSeconds(hourly.size() * 3600L);
  }

  static int compare(Optional<Instant> a, Optional<Instant> b) {
    if (a.isEmpty() || b.isEmpty()) return Boolean.compare(a.isEmpty(), b.isEmpty());
    return a.get().compareTo(b.get());
  }

  @Property
  void more_drain_never_brings_loss_earlier(@ForAll("hourlyArrivals") List<Double> hourly, @ForAll @DoubleRange(min = 0, max = 1) double ageFraction,
      @ForAll @DoubleRange(min = 0, max = 20_000) double drain, @ForAll @DoubleRange(min = 0, max = 20_000) double more,
      @ForAll @DoubleRange(min = 0, max = 20_000) double future) {
    BacklogTrend t = history(hourly, 1);
    Instant now = end(hourly);
    Duration age = Duration.ofSeconds(Math.round(hourly.size() * 3600 * ageFraction));
    Optional<Instant> slower = t.lossAt(now, age, drain, future);
    Optional<Instant> faster = t.lossAt(now, age, drain + more, future);
    assertThat(compare(faster, slower)).isGreaterThanOrEqualTo(0);
  }

  @Property
  void more_arrivals_never_bring_loss_later(@ForAll("hourlyArrivals") List<Double> hourly, @ForAll @DoubleRange(min = 0, max = 1) double ageFraction,
      @ForAll @DoubleRange(min = 1, max = 10) double scale, @ForAll @DoubleRange(min = 1, max = 20_000) double drain,
      @ForAll @DoubleRange(min = 0, max = 20_000) double future, @ForAll @DoubleRange(min = 0, max = 20_000) double moreFuture) {
    Instant now = end(hourly);
    Duration age = Duration.ofSeconds(Math.round(hourly.size() * 3600 * ageFraction));
    Optional<Instant> fewer = history(hourly, 1).lossAt(now, age, drain, future);
    Optional<Instant> more = history(hourly, scale).lossAt(now, age, drain, future + moreFuture);
    assertThat(compare(more, fewer)).isLessThanOrEqualTo(0);
  }

  @Property
  void even_arrivals_give_the_closed_form(@ForAll @DoubleRange(min = 1, max = 1e6) double arrival, @ForAll @DoubleRange(min = 0, max = 0.999, maxIncluded = true) @net.jqwik.api.constraints.Scale(3) double drainShare,
      @ForAll @IntRange(min = 1, max = 30) int hours, @ForAll @DoubleRange(min = 0, max = 1) double ageFraction) {
    List<Double> hourly = java.util.Collections.nCopies(hours, arrival);
    BacklogTrend t = history(hourly, 1);
    Instant now = end(hourly);
    double age = Math.min(86_399, Math.round(hours * 3600 * ageFraction));
    double drain = arrival * drainShare;
    Instant loss = t.lossAt(now, Duration.ofSeconds((long) age), drain, t.meanArrivalRate()).orElseThrow();
    double expected = (86_400 - age) / (1 - drainShare);
    double got = Duration.between(now, loss).toMillis() / 1000.0;
    assertThat(got).isCloseTo(expected, org.assertj.core.data.Offset.offset(Math.max(0.01, expected * 1e-9)));
  }
}
