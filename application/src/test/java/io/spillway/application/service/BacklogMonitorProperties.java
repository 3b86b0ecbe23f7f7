package io.spillway.application.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Percentage.withPercentage;

import io.spillway.application.service.BacklogMonitor.Assessment;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.DoubleRange;

/**
 * The monitor, fed by a steady backlog, projects what the closed form says, and judges an older
 * backlog never less severely.
 */
class BacklogMonitorProperties {
  static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

  @Provide
  Arbitrary<Duration> retentions() {
    return Arbitraries.frequencyOf(
        Tuple.of(1, Arbitraries.of(Duration.ofHours(24), Duration.ofDays(7))),
        Tuple.of(3, Arbitraries.longs().between(24, 24 * 365).map(Duration::ofHours)));
  }

  static BacklogSimulation steady(Duration retention, double arrival, double drain, Duration age) {
    VirtualClock clock = new VirtualClock(START);
    BacklogMonitor monitor = new BacklogMonitor(clock, BacklogMonitorSettings.defaults());
    monitor.retention(retention);
    return BacklogSimulation.everySecond(clock, monitor, List.of(SteadyShard.of("shard-a", arrival, drain, START, age)));
  }

  @Property(tries = 200)
  void theProjectedLossMatchesTheClosedForm(
      @ForAll("retentions") Duration retention,
      @ForAll @DoubleRange(min = 20, max = 5_000) double arrival,
      @ForAll @DoubleRange(min = 0.05, max = 0.9) double drainFraction,
      @ForAll @DoubleRange(min = 0, max = 0.8) double ageFraction) {
    double drain = arrival * drainFraction;
    Duration age = Duration.ofSeconds(Math.round(BacklogMonitor.seconds(retention) * ageFraction));
    BacklogSimulation sim = steady(retention, arrival, drain, age);

    Assessment a = sim.runFor(Duration.ofMinutes(6));

    double closedForm = (BacklogMonitor.seconds(retention) - BacklogMonitor.seconds(sim.oldestUnreadAge())) / (1 - drain / arrival);
    assertThat(a.timeToLoss()).isPresent();
    assertThat(a.secondsToLoss()).isCloseTo(closedForm, withPercentage(5));
    assertThat(a.arrivalRate()).isCloseTo(arrival, withPercentage(5));
    assertThat(a.drainRate()).isCloseTo(drain, withPercentage(5));
  }

  @Property(tries = 200)
  void anOlderBacklogNeverGetsALowerLevel(
      @ForAll @DoubleRange(min = 20, max = 5_000) double arrival,
      @ForAll @DoubleRange(min = 0, max = 1.5) double drainFraction,
      @ForAll @DoubleRange(min = 0, max = 1.1) double ageFraction,
      @ForAll @DoubleRange(min = 0, max = 0.5) double olderBy) {
    Duration retention = Duration.ofHours(24);
    double drain = arrival * drainFraction;
    Duration age = Duration.ofSeconds(Math.round(BacklogMonitor.seconds(retention) * ageFraction));
    Duration older = age.plusSeconds(Math.round(BacklogMonitor.seconds(retention) * olderBy));
    BacklogSimulation young = steady(retention, arrival, drain, age);
    BacklogSimulation old = steady(retention, arrival, drain, older);

    young.runFor(Duration.ofMinutes(6));
    old.runFor(Duration.ofMinutes(6));

    for (int i = 0; i < young.assessments.size(); i++) {
      Assessment y = young.assessments.get(i);
      Assessment o = old.assessments.get(i);
      assertThat(o.rawLevel()).as("at %s: %s then %s", y.at(), y, o).isGreaterThanOrEqualTo(y.rawLevel());
      assertThat(o.level()).isGreaterThanOrEqualTo(y.level());
    }
  }
}
