package io.spillway.application.service;

import io.spillway.domain.InvalidFieldException;
import io.spillway.domain.risk.RetentionRiskPolicies;
import io.spillway.domain.risk.RetentionRiskPolicy;
import java.time.Duration;

/**
 * How the {@link BacklogMonitor} estimates and judges a backlog.
 *
 * @param window the span over which the drain rate and the age trend are measured
 * @param maxSamples bound on the samples kept for the window; samples closer together than
 *     {@code window / maxSamples} replace each other, so frequent scrapes cannot grow memory
 * @param policy turns a projection into a level
 * @param safeHorizon how far away loss must be for the drain to count as enough (the required
 *     drain rate is computed against it)
 * @param calmDown how long the raw level must stay below the held one before the held level is
 *     lowered; a higher level is adopted at once
 */
public record BacklogMonitorSettings(Duration window, int maxSamples, RetentionRiskPolicy policy, Duration safeHorizon, Duration calmDown) {
  public BacklogMonitorSettings {
    if (window == null || window.isNegative() || window.isZero()) {
      throw new InvalidFieldException("monitor.window", window, "a positive duration");
    }
    if (maxSamples < 2) {
      throw new InvalidFieldException("monitor.maxSamples", maxSamples, ">= 2 (a trend needs two samples)");
    }
    if (policy == null) {
      throw new InvalidFieldException("monitor.policy", null, "required");
    }
    if (safeHorizon == null || safeHorizon.isNegative() || safeHorizon.isZero()) {
      throw new InvalidFieldException("monitor.safeHorizon", safeHorizon, "a positive duration");
    }
    if (calmDown == null || calmDown.isNegative()) {
      throw new InvalidFieldException("monitor.calmDown", calmDown, "zero or more");
    }
  }

  /**
   * A five-minute window of at most 600 samples, the standard policy with a six-hour safe horizon,
   * and a calm-down of one window: a level is lowered only once a whole window of evidence, none of
   * which raised it, says so.
   */
  public static BacklogMonitorSettings defaults() {
    return new BacklogMonitorSettings(Duration.ofMinutes(5), 600, RetentionRiskPolicies.standard(), Duration.ofHours(6), Duration.ofMinutes(5));
  }

  public BacklogMonitorSettings withWindow(Duration newWindow) {
    return new BacklogMonitorSettings(newWindow, maxSamples, policy, safeHorizon, calmDown);
  }

  public BacklogMonitorSettings withPolicy(RetentionRiskPolicy newPolicy) {
    return new BacklogMonitorSettings(window, maxSamples, newPolicy, safeHorizon, calmDown);
  }

  public BacklogMonitorSettings withCalmDown(Duration newCalmDown) {
    return new BacklogMonitorSettings(window, maxSamples, policy, safeHorizon, newCalmDown);
  }
}
