package io.spillway.application.service;

import java.time.Duration;

/** Exponential backoff: the base, doubled per failed attempt, never past the maximum. */
final class Backoff {
  private Backoff() {}

  static Duration after(int failures, Duration base, Duration max) {
    if (failures >= 62 || base.toNanos() > (max.toNanos() >> failures)) {
      return max;
    }
    return Duration.ofNanos(base.toNanos() << failures);
  }
}
