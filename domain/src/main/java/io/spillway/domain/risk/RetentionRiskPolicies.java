package io.spillway.domain.risk;

import java.time.Duration;

/** The retention-risk policies Spillway ships. */
public final class RetentionRiskPolicies {
  private RetentionRiskPolicies() {}

  /**
   * LOSS once the oldest record is as old as the retention; CRITICAL when loss is projected within
   * {@code critical}; WATCH when it is projected within {@code watch} or the backlog is older than
   * {@code watchAgeFraction} of the retention; OK otherwise.
   */
  public static RetentionRiskPolicy horizons(Duration critical, Duration watch, double watchAgeFraction) {
    if (critical.compareTo(watch) > 0) {
      throw new io.spillway.domain.InvalidFieldException("policy.critical", critical, "no longer than watch (" + watch + ")");
    }
    return (obs, timeToLoss) -> {
      if (obs.oldestAge().compareTo(obs.retention()) >= 0) {
        return RiskLevel.LOSS;
      }
      if (timeToLoss.isPresent() && timeToLoss.get().compareTo(critical) < 0) {
        return RiskLevel.CRITICAL;
      }
      boolean old = RetentionRiskForecast.seconds(obs.oldestAge()) >= watchAgeFraction * RetentionRiskForecast.seconds(obs.retention());
      if (old || (timeToLoss.isPresent() && timeToLoss.get().compareTo(watch) < 0)) {
        return RiskLevel.WATCH;
      }
      return RiskLevel.OK;
    };
  }

  /** One hour to CRITICAL, six hours (or half the retention used) to WATCH. */
  public static RetentionRiskPolicy standard() {
    return horizons(Duration.ofHours(1), Duration.ofHours(6), 0.5);
  }
}
