package io.spillway.domain.risk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.spillway.domain.InvalidFieldException;
import io.spillway.domain.risk.RetentionRiskForecast.Recommendation;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Worked examples of the brief's closed form, the standard policy's levels and the recommendations. */
class RetentionRiskForecastTest {
  static final Instant AT = Instant.parse("2025-06-01T12:00:00Z");
  static final Duration DAY = Duration.ofHours(24);

  static BacklogObservation obs(Duration age, double arrival, DrainLimits drain) {
    return new BacklogObservation(AT, DAY, age, arrival, drain);
  }

  @Test
  void halfTheArrivalDrainedDoublesTheTimeLeft() {
    // 24 h retention, oldest 20 h: 4 h left; age grows by 1 − 500/1000 = 0.5 s per s → 8 h
    RetentionRiskForecast f = RetentionRiskForecast.forecast(obs(Duration.ofHours(20), 1000, DrainLimits.observed(500)));
    assertThat(f.ageGrowthPerSecond()).isEqualTo(0.5);
    assertThat(f.timeToLoss()).contains(Duration.ofHours(8));
    assertThat(f.projectedLossAt()).contains(AT.plus(Duration.ofHours(8)));
    assertThat(f.level()).as("older than half the retention").isEqualTo(RiskLevel.WATCH);
  }

  @Test
  void withoutAnyDrainTheAgeGrowsOneSecondPerSecond() {
    RetentionRiskForecast f = RetentionRiskForecast.forecast(obs(Duration.ofMinutes(23 * 60 + 30), 1000, DrainLimits.observed(0)));
    assertThat(f.ageGrowthPerSecond()).isEqualTo(1.0);
    assertThat(f.timeToLoss()).contains(Duration.ofMinutes(30));
    assertThat(f.level()).isEqualTo(RiskLevel.CRITICAL);
  }

  @Test
  void aDrainThatKeepsUpProjectsNoLoss() {
    for (double drain : new double[] {1000, 1000.5, 5000}) {
      RetentionRiskForecast f = RetentionRiskForecast.forecast(obs(Duration.ofMinutes(5), 1000, DrainLimits.observed(drain)));
      assertThat(f.timeToLoss()).isEmpty();
      assertThat(f.projectedLossAt()).isEmpty();
      assertThat(f.ageGrowthPerSecond()).isLessThanOrEqualTo(0);
      assertThat(f.level()).isEqualTo(RiskLevel.OK);
      assertThat(f.recommendation()).isEqualTo(Recommendation.NONE);
    }
  }

  @Test
  void nothingArrivingWhileDrainingShrinksTheBacklog() {
    RetentionRiskForecast f = RetentionRiskForecast.forecast(obs(Duration.ofHours(1), 0, DrainLimits.observed(10)));
    assertThat(f.ageGrowthPerSecond()).isNegative();
    assertThat(f.timeToLoss()).isEmpty();
  }

  @Test
  void aBacklogAsOldAsTheRetentionIsLosingRecordsNow() {
    RetentionRiskForecast f = RetentionRiskForecast.forecast(obs(DAY, 1000, DrainLimits.observed(5000)));
    assertThat(f.level()).isEqualTo(RiskLevel.LOSS);
    assertThat(f.timeToLoss()).contains(Duration.ZERO);
    assertThat(f.requiredDrainRate()).as("at least stop the growth").isEqualTo(1000);
  }

  @Test
  void levelsFollowTheStandardHorizons() {
    // 1 − 900/1000 = 0.1: time to loss is ten times the time left
    assertThat(RetentionRiskForecast.forecast(obs(DAY.minusMinutes(5), 1000, DrainLimits.observed(900))).level()).isEqualTo(RiskLevel.CRITICAL); // 50 min
    assertThat(RetentionRiskForecast.forecast(obs(DAY.minusMinutes(30), 1000, DrainLimits.observed(900))).level()).isEqualTo(RiskLevel.WATCH); // 5 h
    assertThat(RetentionRiskForecast.forecast(obs(Duration.ofHours(1), 1000, DrainLimits.observed(900))).level()).isEqualTo(RiskLevel.OK); // 230 h
    assertThat(RetentionRiskForecast.forecast(obs(Duration.ofHours(13), 1000, DrainLimits.observed(2000))).level())
        .as("no loss projected, but more than half the retention used").isEqualTo(RiskLevel.WATCH);
  }

  @Test
  void recommendsLiftingTheLimitThatBinds() {
    Duration age = DAY.minusMinutes(10);
    assertThat(RetentionRiskForecast.forecast(obs(age, 1000, new DrainLimits(900, 800, 300))).recommendation())
        .isEqualTo(Recommendation.ADD_WRITE_CAPACITY);
    assertThat(RetentionRiskForecast.forecast(obs(age, 1000, new DrainLimits(900, 300, 800))).recommendation())
        .isEqualTo(Recommendation.ADD_CONSUMERS);
    assertThat(RetentionRiskForecast.forecast(obs(age, 1000, new DrainLimits(300, 900, 800))).recommendation())
        .isEqualTo(Recommendation.ADD_SHARDS);
    assertThat(new DrainLimits(300, 900, 800).rate()).isEqualTo(300);
  }

  @Test
  void theRequiredDrainPushesLossPastTheHorizon() {
    // 4 h left, 6 h horizon: drain must be at least 1000 · (1 − 4/6)
    RetentionRiskForecast f = RetentionRiskForecast.forecast(obs(Duration.ofHours(20), 1000, DrainLimits.observed(0)));
    assertThat(f.requiredDrainRate()).isCloseTo(1000.0 / 3, org.assertj.core.data.Offset.offset(1e-9));
    // with more time left than the horizon nothing is required
    assertThat(RetentionRiskForecast.forecast(obs(Duration.ofHours(1), 1000, DrainLimits.observed(0))).requiredDrainRate()).isZero();
  }

  @Test
  void observationsRefuseImpossibleValuesNamingTheField() {
    DrainLimits d = DrainLimits.observed(1);
    assertThat(field(() -> new BacklogObservation(AT, Duration.ZERO, Duration.ZERO, 1, d))).isEqualTo("observation.retention");
    assertThat(field(() -> new BacklogObservation(AT, Duration.ofSeconds(-1), Duration.ZERO, 1, d))).isEqualTo("observation.retention");
    assertThat(field(() -> new BacklogObservation(AT, DAY, Duration.ofNanos(-1), 1, d))).isEqualTo("observation.oldestAge");
    assertThat(field(() -> new BacklogObservation(AT, DAY, Duration.ZERO, -1, d))).isEqualTo("observation.arrivalRate");
    assertThat(field(() -> new BacklogObservation(AT, DAY, Duration.ZERO, Double.NaN, d))).isEqualTo("observation.arrivalRate");
    assertThat(field(() -> new BacklogObservation(AT, DAY, Duration.ZERO, Double.POSITIVE_INFINITY, d))).isEqualTo("observation.arrivalRate");
    assertThat(field(() -> new BacklogObservation(AT, DAY, Duration.ZERO, 1, null))).isEqualTo("observation.drain");
    assertThat(field(() -> new BacklogObservation(null, DAY, Duration.ZERO, 1, d))).isEqualTo("observation.observedAt");
    assertThat(field(() -> new DrainLimits(-1, 1, 1))).isEqualTo("drain.shardReadRate");
    assertThat(field(() -> new DrainLimits(1, Double.NaN, 1))).isEqualTo("drain.consumerRate");
    assertThat(field(() -> new DrainLimits(1, 1, -0.5))).isEqualTo("drain.writeBudgetRate");
  }

  @Test
  void aPolicyRefusesACriticalHorizonBeyondItsWatchHorizon() {
    assertThat(field(() -> RetentionRiskPolicies.horizons(Duration.ofHours(7), Duration.ofHours(6), 0.5))).isEqualTo("policy.critical");
  }

  @Test
  void timeToLossIsExactForProjectionsBeyondThreeCenturies() {
    // 365-day retention, nothing old yet, the drain at 99.99 % of the arrival: 1 − d/a = 1e-4,
    // so loss is 365 d / 1e-4 = 3.1536e11 s away (about 10,000 years)
    BacklogObservation o = new BacklogObservation(AT, Duration.ofDays(365), Duration.ZERO, 10_000, DrainLimits.observed(9_999));
    RetentionRiskForecast f = RetentionRiskForecast.forecast(o);
    double expectedSeconds = 365.0 * 86_400 / (1 - 9_999.0 / 10_000);
    assertThat(f.timeToLoss()).isPresent();
    assertThat((double) f.timeToLoss().get().getSeconds()).isCloseTo(expectedSeconds, org.assertj.core.data.Percentage.withPercentage(0.001));
    assertThat(f.level()).isEqualTo(RiskLevel.OK);
  }

  /**
   * Fails today: BacklogObservation accepts any positive retention and any oldest age, but forecast
   * converts both with Duration.toNanos(), which overflows past ~292 years: an ArithmeticException
   * ("long overflow") instead of either a forecast or an InvalidFieldException naming the field.
   * Kinesis retention tops out at 365 days, so bounding it in BacklogObservation (or computing the
   * seconds left from getSeconds()/getNano()) would do.
   */
  @Test
  void aCenturiesLongRetentionIsEitherRefusedByNameOrForecast() {
    for (Duration[] retentionAndAge : new Duration[][] {
        {Duration.ofDays(365L * 300), Duration.ZERO}, {DAY, Duration.ofDays(365L * 300)}}) {
      BacklogObservation o;
      try {
        o = new BacklogObservation(AT, retentionAndAge[0], retentionAndAge[1], 10, DrainLimits.observed(1));
      } catch (InvalidFieldException refusedByName) {
        continue;
      }
      org.assertj.core.api.Assertions.assertThatCode(() -> RetentionRiskForecast.forecast(o)).doesNotThrowAnyException();
    }
  }

  private static String field(org.assertj.core.api.ThrowableAssert.ThrowingCallable c) {
    InvalidFieldException e = catchThrowableOfType(InvalidFieldException.class, c);
    assertThat(e).isNotNull();
    return e.field();
  }
}
