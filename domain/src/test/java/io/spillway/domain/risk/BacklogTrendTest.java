package io.spillway.domain.risk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.spillway.domain.InvalidFieldException;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class BacklogTrendTest {
  static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  static final Duration DAY = Duration.ofHours(24);

  /** Feeds one sample a minute for {@code minutes}: arrivals at {@code arrival}/s, drain at {@code drain}/s of a FIFO backlog. */
  static final class Fifo {
    final BacklogTrend trend;
    double arrived;
    double drained;
    Instant now = T0;
    /** Arrival times and amounts of what is still waiting, one entry a minute. */
    final java.util.ArrayDeque<double[]> waiting = new java.util.ArrayDeque<>();

    Fifo(Duration retention, Duration window) {
      trend = new BacklogTrend(retention, window);
      trend.observe(new BacklogTrend.Sample(now, Duration.ZERO, 0, 0));
    }

    void run(int minutes, double arrival, double drain) {
      for (int i = 0; i < minutes; i++) {
        now = now.plusSeconds(60);
        waiting.addLast(new double[] {seconds(now) - 30, arrival * 60});
        arrived += arrival * 60;
        double budget = drain * 60;
        while (budget > 0 && !waiting.isEmpty()) {
          double[] first = waiting.peekFirst();
          double take = Math.min(budget, first[1]);
          first[1] -= take;
          budget -= take;
          drained += take;
          if (first[1] <= 1e-9) waiting.pollFirst();
        }
        double age = waiting.isEmpty() ? 0 : seconds(now) - waiting.peekFirst()[0];
        trend.observe(new BacklogTrend.Sample(now, Duration.ofMillis(Math.round(age * 1000)), arrived, drained));
      }
    }

    static double seconds(Instant i) {
      return Duration.between(T0, i).toMillis() / 1000.0;
    }
  }

  @Test
  void with_constant_arrivals_the_projection_is_the_closed_form() {
    Fifo f = new Fifo(DAY, Duration.ofHours(1));
    f.run(60, 100, 100);
    f.run(180, 100, 25); // the drain falls to a quarter: age grows 0.75 s/s
    BacklogTrend.Projection p = f.trend.project().orElseThrow();
    double age = p.oldestAge().toMillis() / 1000.0;
    double closedForm = (86_400 - age) / (1 - 25.0 / 100);
    assertThat(p.drainRate()).isCloseTo(25, within(1e-6));
    assertThat(p.arrivalRate()).isCloseTo(100, within(1e-6));
    assertThat(p.ageSlope()).isCloseTo(0.75, within(0.01));
    assertThat(p.timeToLoss().orElseThrow().toSeconds()).isCloseTo((long) closedForm, within(120L));
  }

  @Test
  void nothing_drained_loses_the_oldest_record_one_retention_after_it_arrived() {
    Fifo f = new Fifo(DAY, Duration.ofHours(1));
    f.run(60, 50, 50);
    f.run(120, 50, 0);
    BacklogTrend.Projection p = f.trend.project().orElseThrow();
    assertThat(p.lossAt().orElseThrow()).isEqualTo(f.now.plus(DAY.minus(p.oldestAge())));
  }

  @Test
  void a_backlog_built_by_day_and_drained_at_night_is_projected_from_when_it_arrived() {
    // eight busy hours, then a quiet night: the current arrival rate alone would say the age shrinks
    Fifo f = new Fifo(DAY, Duration.ofHours(1));
    f.run(8 * 60, 200, 20);
    f.run(4 * 60, 5, 20);
    BacklogTrend.Projection p = f.trend.project().orElseThrow();
    assertThat(p.arrivalRate()).isLessThan(p.drainRate());
    assertThat(p.lossAt()).as("the day's backlog still outlives the retention").isPresent();
    // run on and see when the oldest waiting record really reaches the retention
    Instant projected = p.lossAt().get();
    while (f.trend.project().orElseThrow().oldestAge().compareTo(DAY) < 0 && f.now.isBefore(T0.plus(Duration.ofDays(3)))) {
      f.run(1, 5, 20);
    }
    assertThat(Duration.between(projected, f.now).abs()).isLessThan(Duration.ofMinutes(10));
  }

  @Test
  void a_drain_faster_than_arrivals_projects_no_loss() {
    Fifo f = new Fifo(DAY, Duration.ofHours(1));
    f.run(60, 100, 50);
    f.run(60, 100, 300);
    assertThat(f.trend.project().orElseThrow().lossAt()).isEmpty();
  }

  @Test
  void an_age_at_the_retention_is_loss_now() {
    BacklogTrend t = new BacklogTrend(DAY, Duration.ofHours(1));
    t.observe(new BacklogTrend.Sample(T0, DAY, 0, 0));
    t.observe(new BacklogTrend.Sample(T0.plusSeconds(60), DAY, 10, 0));
    assertThat(t.project().orElseThrow().timeToLoss()).contains(Duration.ZERO);
  }

  @Test
  void memory_is_bounded_by_the_window_and_the_retention() {
    Fifo f = new Fifo(DAY, Duration.ofHours(1));
    f.run(3 * 24 * 60, 10, 10);
    assertThat(f.trend.samplesHeld()).isLessThanOrEqualTo(62);
    assertThat(f.trend.bucketsHeld()).isLessThanOrEqualTo(BacklogTrend.MAX_BUCKETS + 1);
    // a gap of years between two samples does not walk every bucket in between
    f.trend.observe(new BacklogTrend.Sample(f.now.plus(Duration.ofDays(3650)), Duration.ZERO, f.arrived + 1, f.drained + 1));
    assertThat(f.trend.bucketsHeld()).isLessThanOrEqualTo(BacklogTrend.MAX_BUCKETS + 1);
  }

  @Test
  void one_sample_projects_nothing() {
    BacklogTrend t = new BacklogTrend(DAY, Duration.ofHours(1));
    assertThat(t.project()).isEmpty();
    t.observe(new BacklogTrend.Sample(T0, Duration.ZERO, 0, 0));
    assertThat(t.project()).isEmpty();
  }

  @Test
  void bad_input_names_the_field() {
    assertThatThrownBy(() -> new BacklogTrend(Duration.ZERO, Duration.ofHours(1))).isInstanceOf(InvalidFieldException.class)
        .hasMessageContaining("trend.retention");
    assertThatThrownBy(() -> new BacklogTrend(DAY, Duration.ofSeconds(-1))).hasMessageContaining("trend.window");
    assertThatThrownBy(() -> new BacklogTrend.Sample(T0, Duration.ofSeconds(-1), 0, 0)).hasMessageContaining("trend.oldestAge");
    assertThatThrownBy(() -> new BacklogTrend.Sample(T0, Duration.ZERO, Double.NaN, 0)).hasMessageContaining("trend.arrived");
    BacklogTrend t = new BacklogTrend(DAY, Duration.ofHours(1));
    t.observe(new BacklogTrend.Sample(T0, Duration.ZERO, 10, 5));
    assertThatThrownBy(() -> t.observe(new BacklogTrend.Sample(T0.minusSeconds(1), Duration.ZERO, 10, 5))).hasMessageContaining("trend.at");
    assertThatThrownBy(() -> t.observe(new BacklogTrend.Sample(T0.plusSeconds(1), Duration.ZERO, 9, 5))).hasMessageContaining("trend.totals");
  }
}
