package io.spillway.bootstrap.metrics;

import io.spillway.application.port.out.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;

/** The rate of a growing total over a trailing window, from the readings it is given (one per scrape is enough). */
final class WindowedRate {
  private record Reading(Instant at, double total) {}

  private final Clock clock;
  private final Duration window;
  private final ArrayDeque<Reading> readings = new ArrayDeque<>();

  WindowedRate(Clock clock, Duration window) {
    this.clock = clock;
    this.window = window;
  }

  /** Records the total now and returns its rate per second since the oldest reading within the window (0 with one reading). */
  synchronized double rate(double total) {
    Instant now = clock.now();
    readings.addLast(new Reading(now, total));
    while (readings.size() > 2 && Duration.between(readings.peekFirst().at(), now).compareTo(window) > 0) {
      readings.pollFirst();
    }
    while (readings.size() > 1_000) {
      readings.pollFirst();
    }
    Reading first = readings.peekFirst();
    double seconds = Duration.between(first.at(), now).toMillis() / 1000.0;
    return seconds <= 0 ? 0 : (total - first.total()) / seconds;
  }
}
