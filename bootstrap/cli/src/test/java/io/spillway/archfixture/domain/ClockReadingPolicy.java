package io.spillway.archfixture.domain;

import java.time.Duration;
import java.time.Instant;

/** Planted violation: a domain policy reading the wall clock instead of taking time as input. */
public final class ClockReadingPolicy {
  public boolean isExpired(Instant deadline) {
    return Instant.now().isAfter(deadline);
  }

  public Duration ageSince(long epochMillis) {
    return Duration.ofMillis(System.currentTimeMillis() - epochMillis);
  }

  public long elapsedNanos(long startNanos) {
    return System.nanoTime() - startNanos;
  }
}
