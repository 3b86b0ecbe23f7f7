package io.spillway.application.service;

import java.time.Duration;

/** Exponential backoff: the base, doubled per failed attempt, never past the maximum. */
final class Backoff {
  private Backoff() {}

  /**
   * "Equal jitter": half the exponential wait plus a random share of the other half, so producers
   * throttled together do not retry together.
   */
  static Duration jittered(int failures, Duration base, Duration max, io.spillway.application.port.out.RandomSource random) {
    long full = after(failures, base, max).toNanos();
    return Duration.ofNanos(full / 2 + (long) (random.nextUnit() * (full - full / 2)));
  }

  static Duration after(int failures, Duration base, Duration max) {
    if (failures >= 62 || base.toNanos() > (max.toNanos() >> failures)) {
      return max;
    }
    return Duration.ofNanos(base.toNanos() << failures);
  }
}
