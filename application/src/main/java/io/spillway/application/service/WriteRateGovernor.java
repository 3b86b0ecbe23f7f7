package io.spillway.application.service;

import io.spillway.application.port.out.Clock;
import io.spillway.domain.InvalidFieldException;
import java.time.Duration;
import java.time.Instant;

/**
 * Paces a consumer's writes to a budget of write units per second: a token bucket holding one
 * second of budget, whose rate halves when the table throttles and climbs back by a twentieth of
 * the budget per second of success (additive increase, multiplicative decrease). A put larger
 * than the bucket borrows and the next caller waits the debt off, so the average holds.
 */
public final class WriteRateGovernor {
  private final Clock clock;
  private final double budget;
  private final double floor;
  private double rate;
  private double tokens;
  private Instant last;
  private Instant lastIncrease;
  private long waits;
  private double waitedSeconds;

  public WriteRateGovernor(Clock clock, double writeUnitsPerSecond) {
    if (!(writeUnitsPerSecond > 0)) {
      throw new InvalidFieldException("governor.writeUnitsPerSecond", writeUnitsPerSecond, "> 0");
    }
    this.clock = clock;
    this.budget = writeUnitsPerSecond;
    this.floor = Math.max(1.0, writeUnitsPerSecond / 64);
    this.rate = writeUnitsPerSecond;
    this.tokens = writeUnitsPerSecond;
    this.last = clock.now();
    this.lastIncrease = last;
  }

  /** Takes the units, waiting (on the clock) until the budget allows. */
  public void acquire(double writeUnits) throws InterruptedException {
    double waitSeconds;
    synchronized (this) {
      refill();
      if (tokens < 0) {
        waitSeconds = -tokens / rate;
      } else {
        waitSeconds = 0;
      }
      tokens -= writeUnits;
      if (waitSeconds > 0) {
        waits++;
        waitedSeconds += waitSeconds;
      }
    }
    if (waitSeconds > 0) {
      clock.sleep(Duration.ofNanos((long) (waitSeconds * 1e9)));
    }
  }

  /** The table throttled: halve the rate (not below 1/64 of the budget). */
  public synchronized void onThrottled() {
    refill();
    rate = Math.max(floor, rate / 2);
    tokens = Math.min(tokens, 0);
    lastIncrease = clock.now();
  }

  /** A write succeeded: recover toward the budget. */
  public synchronized void onSuccess() {
    Instant now = clock.now();
    double seconds = Duration.between(lastIncrease, now).toNanos() / 1e9;
    if (seconds > 0 && rate < budget) {
      rate = Math.min(budget, rate + budget / 20 * seconds);
    }
    lastIncrease = now;
  }

  public synchronized double currentRate() {
    return rate;
  }

  public double budget() {
    return budget;
  }

  public synchronized long waits() {
    return waits;
  }

  public synchronized double waitedSeconds() {
    return waitedSeconds;
  }

  private void refill() {
    Instant now = clock.now();
    double seconds = Duration.between(last, now).toNanos() / 1e9;
    if (seconds > 0) {
      tokens = Math.min(rate, tokens + seconds * rate);
      last = now;
    }
  }
}
