package io.spillway.domain.risk;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Assume;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/**
 * The retention-risk forecast behaves like the backlog it models: more drain never brings loss
 * earlier, an older backlog never brings it later, and the closed form is what stepping the
 * backlog's age through time gives.
 */
class RetentionRiskProperties {
  static final Instant AT = Instant.parse("2025-06-01T12:00:00Z");

  static Arbitrary<Duration> retentions() {
    return Arbitraries.frequencyOf(
        Tuple.of(1, Arbitraries.of(Duration.ofHours(24), Duration.ofDays(7), Duration.ofDays(365))),
        Tuple.of(4, Arbitraries.longs().between(1, 365L * 86_400).map(Duration::ofSeconds)),
        Tuple.of(1, Arbitraries.longs().between(1, 10_000_000).map(Duration::ofNanos)));
  }

  static Arbitrary<Double> rates() {
    return Arbitraries.frequencyOf(
        Tuple.of(1, Arbitraries.of(0.0, 1.0, 1000.0)),
        Tuple.of(4, Arbitraries.doubles().between(0, 1e6)),
        Tuple.of(1, Arbitraries.doubles().between(1e-6, 1).ofScale(9)));
  }

  /** An observation whose oldest age is anywhere from zero to past the retention. */
  @Provide
  Arbitrary<BacklogObservation> observations() {
    Arbitrary<DrainLimits> drains = Arbitraries.frequencyOf(
        Tuple.of(2, rates().map(DrainLimits::observed)),
        Tuple.of(1, Combinators.combine(rates(), rates(), rates()).as(DrainLimits::new)));
    return Combinators.combine(retentions(), Arbitraries.doubles().between(0, 1.5), rates(), drains)
        .as((retention, ageFraction, arrival, drain) ->
            new BacklogObservation(AT, retention, Duration.ofNanos(Math.round(retention.toNanos() * ageFraction)), arrival, drain));
  }

  /** Compares two times to loss; no projected loss ("never") is later than any. */
  static int compareLoss(Optional<Duration> a, Optional<Duration> b) {
    if (a.isEmpty() || b.isEmpty()) {
      return Boolean.compare(a.isEmpty(), b.isEmpty());
    }
    return a.get().compareTo(b.get());
  }

  static BacklogObservation withDrain(BacklogObservation o, DrainLimits drain) {
    return new BacklogObservation(o.observedAt(), o.retention(), o.oldestAge(), o.arrivalRate(), drain);
  }

  static BacklogObservation withAge(BacklogObservation o, Duration age) {
    return new BacklogObservation(o.observedAt(), o.retention(), age, o.arrivalRate(), o.drain());
  }

  @Property(tries = 1000)
  void moreDrainNeverBringsLossEarlier(@ForAll("observations") BacklogObservation obs, @ForAll("rates") double more) {
    DrainLimits d = obs.drain();
    BacklogObservation faster = withDrain(obs, new DrainLimits(d.shardReadRate() + more, d.consumerRate() + more, d.writeBudgetRate() + more));

    RetentionRiskForecast before = RetentionRiskForecast.forecast(obs);
    RetentionRiskForecast after = RetentionRiskForecast.forecast(faster);

    assertThat(compareLoss(after.timeToLoss(), before.timeToLoss())).as("%s then %s", before.timeToLoss(), after.timeToLoss()).isGreaterThanOrEqualTo(0);
    assertThat(after.level()).isLessThanOrEqualTo(before.level());
    assertThat(after.ageGrowthPerSecond()).isLessThanOrEqualTo(before.ageGrowthPerSecond());
  }

  @Provide("rates")
  Arbitrary<Double> rateArbitrary() {
    return rates();
  }

  @Property(tries = 1000)
  void anOlderBacklogNeverBringsLossLater(@ForAll("observations") BacklogObservation obs, @ForAll("ageFractions") double older) {
    BacklogObservation aged = withAge(obs, obs.oldestAge().plusNanos(Math.round(obs.retention().toNanos() * older)));

    RetentionRiskForecast before = RetentionRiskForecast.forecast(obs);
    RetentionRiskForecast after = RetentionRiskForecast.forecast(aged);

    assertThat(compareLoss(after.timeToLoss(), before.timeToLoss())).as("%s then %s", before.timeToLoss(), after.timeToLoss()).isLessThanOrEqualTo(0);
    assertThat(after.level()).isGreaterThanOrEqualTo(before.level());
  }

  @Provide
  Arbitrary<Double> ageFractions() {
    return Arbitraries.doubles().between(0, 1);
  }

  @Property(tries = 1000)
  void recordsAreLostOnceTheOldestIsAsOldAsTheRetention(@ForAll("observations") BacklogObservation obs) {
    RetentionRiskForecast f = RetentionRiskForecast.forecast(obs);
    if (obs.oldestAge().compareTo(obs.retention()) >= 0) {
      assertThat(f.level()).isEqualTo(RiskLevel.LOSS);
      assertThat(f.timeToLoss()).contains(Duration.ZERO);
      assertThat(f.projectedLossAt()).contains(AT);
      assertThat(f.recommendation()).isNotEqualTo(RetentionRiskForecast.Recommendation.NONE);
    } else {
      assertThat(f.level()).isNotEqualTo(RiskLevel.LOSS);
      f.timeToLoss().ifPresent(t -> assertThat(t).isPositive());
    }
    assertThat(f.projectedLossAt()).isEqualTo(f.timeToLoss().map(AT::plus));
    assertThat(f.recommendation() == RetentionRiskForecast.Recommendation.NONE).isEqualTo(f.level() == RiskLevel.OK);
  }

  /**
   * Steps the oldest record's age through time, age(t + dt) = age(t) + dt·(1 − d/a), until it
   * reaches the retention; the closed form must land within a couple of steps of it.
   */
  @Property(tries = 500)
  void theClosedFormIsWhatSteppingTheBacklogGives(
      @ForAll("retentionsArb") Duration retention, @ForAll("ageFractions") double ageFraction,
      @ForAll("arrivals") double arrival, @ForAll("drainFractions") double drainFraction) {
    double drain = arrival * drainFraction;
    Duration age = Duration.ofNanos(Math.round(retention.toNanos() * ageFraction));
    BacklogObservation obs = new BacklogObservation(AT, retention, age, arrival, DrainLimits.observed(drain));
    double retentionSeconds = retention.toNanos() / 1e9;
    double growth = 1 - drain / arrival;
    double left = retentionSeconds - age.toNanos() / 1e9;
    Assume.that(left > 0);

    RetentionRiskForecast f = RetentionRiskForecast.forecast(obs);

    if (growth <= 0) {
      double simulated = simulate(age.toNanos() / 1e9, retentionSeconds, growth, retentionSeconds / 100, 10_000);
      assertThat(simulated).as("never reaches the retention").isInfinite();
      assertThat(f.timeToLoss()).isEmpty();
      return;
    }
    Assume.that(left / growth < 1e9); // ~31 years: where stepping at a sane resolution stays cheap
    double dt = left / growth / 2_000;
    double simulated = simulate(age.toNanos() / 1e9, retentionSeconds, growth, dt, 10_000);
    assertThat(f.timeToLoss()).isPresent();
    double closedForm = f.timeToLoss().get().toNanos() / 1e9;
    assertThat(closedForm).isCloseTo(simulated, org.assertj.core.data.Offset.offset(2 * dt + 1e-9));
    assertThat(f.ageGrowthPerSecond()).isCloseTo(growth, org.assertj.core.data.Offset.offset(1e-12));
  }

  /** Seconds until age reaches the retention, stepping by dt; infinity when it does not within maxSteps. */
  static double simulate(double age, double retention, double growthPerSecond, double dt, int maxSteps) {
    double t = 0;
    for (int i = 0; i < maxSteps; i++) {
      if (age >= retention) {
        return t;
      }
      age += dt * growthPerSecond;
      t += dt;
    }
    return age >= retention ? t : Double.POSITIVE_INFINITY;
  }

  @Provide
  Arbitrary<Duration> retentionsArb() {
    return retentions();
  }

  @Provide
  Arbitrary<Double> arrivals() {
    return Arbitraries.doubles().between(1e-3, 1e6).ofScale(6);
  }

  @Provide
  Arbitrary<Double> drainFractions() {
    return Arbitraries.frequencyOf(
        Tuple.of(1, Arbitraries.of(0.0, 0.5, 0.999, 1.0, 1.5)),
        Tuple.of(6, Arbitraries.doubles().between(0, 1)),
        Tuple.of(1, Arbitraries.doubles().between(1, 10)));
  }

  /** The drain the forecast asks for is enough to push loss past the horizon, and less is not. */
  @Property(tries = 1000)
  void theRequiredDrainIsTheLeastThatReachesTheHorizon(
      @ForAll("retentionsArb") Duration retention, @ForAll("ageFractions") double ageFraction, @ForAll("arrivals") double arrival,
      @ForAll("horizons") Duration horizon) {
    Duration age = Duration.ofNanos(Math.round(retention.toNanos() * ageFraction));
    Assume.that(age.compareTo(retention) < 0);
    BacklogObservation idle = new BacklogObservation(AT, retention, age, arrival, DrainLimits.observed(0));
    double required = RetentionRiskForecast.forecast(idle, RetentionRiskPolicies.standard(), horizon).requiredDrainRate();

    assertThat(required).isBetween(0.0, arrival);
    RetentionRiskForecast enough = RetentionRiskForecast.forecast(withDrain(idle, DrainLimits.observed(required)));
    double h = horizon.toNanos() / 1e9;
    double left = (retention.toNanos() - age.toNanos()) / 1e9;
    double relativeSlack = 1e-9 + 1e-13 * h / left; // 1 − d/a loses digits when little time is left
    enough.timeToLoss().ifPresent(t -> assertThat(t.toNanos() / 1e9).isGreaterThanOrEqualTo(h * (1 - relativeSlack)));
    if (required > arrival * 1e-6) {
      RetentionRiskForecast tooLittle = RetentionRiskForecast.forecast(withDrain(idle, DrainLimits.observed(required * 0.99)));
      assertThat(tooLittle.timeToLoss()).isPresent();
      assertThat(tooLittle.timeToLoss().get()).isLessThan(horizon);
    }
  }

  @Provide
  Arbitrary<Duration> horizons() {
    return Arbitraries.longs().between(60, 30L * 86_400).map(Duration::ofSeconds);
  }
}
