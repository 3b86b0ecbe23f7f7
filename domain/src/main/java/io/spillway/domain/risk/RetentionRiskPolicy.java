package io.spillway.domain.risk;

import java.time.Duration;
import java.util.Optional;

/** Turns a projection into a level; small, replaceable, and collected in {@link RetentionRiskPolicies}. */
@FunctionalInterface
public interface RetentionRiskPolicy {
  RiskLevel assess(BacklogObservation observation, Optional<Duration> timeToLoss);
}
