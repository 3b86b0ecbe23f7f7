package io.spillway.bootstrap.simulation;

import io.spillway.application.port.out.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * The simulation's clock. The {@link EventLoop} sets it to the time of each actor's turn; a service
 * that sleeps during the turn (a backoff, the write-rate governor's pacing, a slow PutRecords)
 * moves only that actor's time on, and the actor's next turn starts from there — as the thread it
 * stands for would have waited, while the other actors go on at their own times.
 */
public final class SimClock implements Clock {
  private Instant now;

  public SimClock(Instant start) {
    this.now = start;
  }

  @Override
  public Instant now() {
    return now;
  }

  @Override
  public void sleep(Duration duration) {
    if (duration.isNegative()) {
      throw new IllegalArgumentException("cannot sleep a negative duration: " + duration);
    }
    now = now.plus(duration);
  }

  void set(Instant at) {
    now = at;
  }
}
