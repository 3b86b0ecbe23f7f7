package io.spillway.adapters.inmemory;

import io.spillway.application.port.out.Clock;
import java.time.Duration;
import java.time.Instant;

/** A virtual clock: time moves only when told to, and sleeping moves it instead of waiting. */
public final class ManualClock implements Clock {
  private Instant now;

  public ManualClock(Instant start) {
    this.now = start;
  }

  public static ManualClock atEpochDay() {
    return new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
  }

  @Override
  public synchronized Instant now() {
    return now;
  }

  @Override
  public void sleep(Duration duration) {
    advance(duration);
  }

  public synchronized void advance(Duration duration) {
    if (duration.isNegative()) {
      throw new IllegalArgumentException("time only moves forward: " + duration);
    }
    now = now.plus(duration);
  }

  /** Moves to the instant if it is later; never backwards. */
  public synchronized void advanceTo(Instant instant) {
    if (instant.isAfter(now)) {
      now = instant;
    }
  }
}
