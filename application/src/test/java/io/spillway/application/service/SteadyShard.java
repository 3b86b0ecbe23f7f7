package io.spillway.application.service;

import java.time.Duration;
import java.time.Instant;

/**
 * One shard of a simulated stream: a producer appends records at a steady rate, and a consumer
 * reads them at a steady rate (never past the newest), reporting each batch to a monitor the way
 * a record processor would.
 */
final class SteadyShard {
  private final String id;
  private final double arrivalPerSecond;
  private final double drainPerSecond;
  private final Instant firstArrival;
  private final long bytesPerRecord;
  private final long unitsPerRecord;
  private long read;
  private double credit;

  /**
   * @param backlogAge the age, at {@code now}, of the oldest record not yet read: records have been
   *     arriving since then
   */
  SteadyShard(String id, double arrivalPerSecond, double drainPerSecond, Instant now, Duration backlogAge, long bytesPerRecord, long unitsPerRecord) {
    this.id = id;
    this.arrivalPerSecond = arrivalPerSecond;
    this.drainPerSecond = drainPerSecond;
    this.firstArrival = now.minus(backlogAge);
    this.bytesPerRecord = bytesPerRecord;
    this.unitsPerRecord = unitsPerRecord;
  }

  static SteadyShard of(String id, double arrivalPerSecond, double drainPerSecond, Instant now, Duration backlogAge) {
    return new SteadyShard(id, arrivalPerSecond, drainPerSecond, now, backlogAge, 1_000, 1);
  }

  String id() {
    return id;
  }

  /** The consumer's turn at {@code now}, {@code seconds} after its previous one. */
  void consume(Instant now, double seconds, BacklogMonitor monitor) {
    credit += drainPerSecond * seconds;
    long want = (long) credit;
    credit -= want;
    long n = Math.min(want, arrived(now) - read);
    if (n > 0) {
      monitor.processed(id, arrivalOf(read), (int) n, n * bytesPerRecord);
      monitor.writeUnits(n * unitsPerRecord);
      read += n;
    }
    if (read >= arrived(now)) {
      monitor.caughtUp(id);
    }
  }

  /** The true age of the oldest record not yet read. */
  Duration oldestUnreadAge(Instant now) {
    return read < arrived(now) ? Duration.between(arrivalOf(read), now) : Duration.ZERO;
  }

  private long arrived(Instant now) {
    if (now.isBefore(firstArrival)) {
      return 0;
    }
    return (long) Math.floor(BacklogMonitor.seconds(Duration.between(firstArrival, now)) * arrivalPerSecond) + 1;
  }

  private Instant arrivalOf(long index) {
    return firstArrival.plusNanos(Math.round(index / arrivalPerSecond * 1e9));
  }
}
