package io.spillway.bootstrap;

import io.spillway.application.port.out.Clock;
import java.time.Duration;
import java.time.Instant;

/** The wall clock, for real runs. */
public final class SystemClock implements Clock {
  @Override
  public Instant now() {
    return Instant.now();
  }

  @Override
  public void sleep(Duration duration) throws InterruptedException {
    long nanos = duration.toNanos();
    if (nanos > 0) {
      Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000));
    }
  }
}
