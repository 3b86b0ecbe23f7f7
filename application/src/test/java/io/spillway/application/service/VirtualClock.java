package io.spillway.application.service;

import io.spillway.application.port.out.Clock;
import java.time.Duration;
import java.time.Instant;

/** A clock for tests: time moves only when told to, and sleeping moves it instead of waiting. */
final class VirtualClock implements Clock {
  private Instant now;

  VirtualClock(Instant start) {
    this.now = start;
  }

  @Override
  public synchronized Instant now() {
    return now;
  }

  @Override
  public void sleep(Duration duration) {
    advance(duration);
  }

  synchronized void advance(Duration duration) {
    if (duration.isNegative()) {
      throw new IllegalArgumentException("time only moves forward: " + duration);
    }
    now = now.plus(duration);
  }
}
