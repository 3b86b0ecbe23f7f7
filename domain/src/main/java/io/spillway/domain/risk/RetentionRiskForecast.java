package io.spillway.domain.risk;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The forecast for one observation: the risk level, when loss is projected to begin, and the drain
 * rate that would push loss past the policy's watch horizon.
 *
 * <p>Closed form: with arrival rate a, drain rate d and oldest age A, the age grows by (1 − d/a)
 * per second while d &lt; a, so loss begins after (retention − A) / (1 − d/a). With no drain at
 * all the age grows one second per second; with d ≥ a it does not grow and no loss is projected.
 */
public record RetentionRiskForecast(
    RiskLevel level,
    Optional<Duration> timeToLoss,
    Optional<Instant> projectedLossAt,
    double ageGrowthPerSecond,
    double requiredDrainRate,
    Recommendation recommendation) {

  /** What an operator should do about it. */
  public enum Recommendation {
    NONE,
    ADD_WRITE_CAPACITY,
    ADD_CONSUMERS,
    /** Shards cap the reads; note that new shards do not spread records already written. */
    ADD_SHARDS
  }

  /** What relieves a bottleneck. */
  public static Recommendation recommend(DrainLimits.Bottleneck bottleneck) {
    return switch (bottleneck) {
      case WRITE_CAPACITY -> Recommendation.ADD_WRITE_CAPACITY;
      case CONSUMERS -> Recommendation.ADD_CONSUMERS;
      case SHARD_READS -> Recommendation.ADD_SHARDS;
    };
  }

  /** Seconds of age added per second of time (negative when the backlog is shrinking). */
  public static double ageGrowthPerSecond(double arrivalRate, double drainRate) {
    if (drainRate <= 0) return 1.0;
    if (arrivalRate <= 0) return -1.0;
    return 1.0 - drainRate / arrivalRate;
  }

  public static RetentionRiskForecast forecast(BacklogObservation obs, RetentionRiskPolicy policy, Duration safeHorizon) {
    // nothing waiting and nothing arriving: there is no backlog to age, whatever the drain
    double growth = obs.oldestAge().isZero() && obs.arrivalRate() <= 0 ? 0.0 : ageGrowthPerSecond(obs.arrivalRate(), obs.drainRate());
    double leftSeconds = seconds(obs.retention()) - seconds(obs.oldestAge());
    Optional<Duration> timeToLoss;
    if (leftSeconds <= 0) {
      timeToLoss = Optional.of(Duration.ZERO);
    } else if (growth > 0) {
      double seconds = leftSeconds / growth;
      timeToLoss = Optional.of(seconds >= 1e15 ? Duration.ofSeconds((long) 1e15) : Duration.ofSeconds((long) seconds, Math.round((seconds - Math.floor(seconds)) * 1e9)));
    } else {
      timeToLoss = Optional.empty();
    }
    RiskLevel level = policy.assess(obs, timeToLoss);
    double required = requiredDrainRate(obs.arrivalRate(), leftSeconds, safeHorizon);
    Recommendation rec = level == RiskLevel.OK ? Recommendation.NONE : recommend(obs.drain().bottleneck());
    return new RetentionRiskForecast(level, timeToLoss, timeToLoss.map(obs.observedAt()::plus), growth, required, rec);
  }

  public static RetentionRiskForecast forecast(BacklogObservation obs) {
    return forecast(obs, RetentionRiskPolicies.standard(), Duration.ofHours(6));
  }

  /**
   * The smallest drain for which loss is at least {@code horizon} away: a·(1 − left/horizon), never
   * below zero; once records are already expiring, the arrival rate itself (stop the growth).
   */
  static double requiredDrainRate(double arrivalRate, double leftSeconds, Duration horizon) {
    if (leftSeconds <= 0) return arrivalRate;
    double h = seconds(horizon);
    return Math.max(0, arrivalRate * (1 - leftSeconds / h));
  }

  /** A duration in seconds, without the overflow of {@code toNanos()} past ~292 years. */
  static double seconds(Duration d) {
    return d.getSeconds() + d.getNano() / 1e9;
  }
}
