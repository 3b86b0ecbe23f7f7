package io.spillway.adapters.inmemory;

import io.spillway.domain.InvalidFieldException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * DynamoDB's write capacity as documented, on the injected clock:
 *
 * <ul>
 *   <li><b>Provisioned</b>: write units per second, unused capacity saved for up to 300 seconds of
 *       burst; optionally target-tracking {@link AutoScaling} that reacts after minutes.
 *   <li><b>On-demand</b>: a new table absorbs {@code writeUnitsPerSecond} (4,000 by default); at
 *       any time it absorbs twice the previous peak at once, and a peak becomes "previous" 30
 *       minutes after it was reached, so traffic past twice the peak throttles for up to half an
 *       hour while the table grows.
 *   <li>Every mode: at most 1,000 write units per second on any one partition key.
 * </ul>
 *
 * Each request is charged at its own time, so callers on several simulated timelines that reach the
 * table out of time order (an actor that slept ran ahead of the others) are each charged to the
 * second they were in: per-second windows are kept for the last {@value #RATE_HORIZON_SECONDS}
 * seconds, and the provisioned bucket is a {@link TimedTokenBucket}.
 *
 * <p>Throttled requests consume nothing. UNLIMITED switches the model off (benchmarks that measure
 * Spillway's own code). Faults for simulations: a {@linkplain #ceiling ceiling} (a capacity cut)
 * and a {@linkplain #storm throttling storm}.
 */
public final class TableCapacity {
  /** How capacity is granted. */
  public enum Mode {
    UNLIMITED,
    PROVISIONED,
    ON_DEMAND
  }

  /**
   * How far back a request may be timed and still be charged to its own second and its own point on
   * the bucket: far longer than any simulated actor runs ahead of another.
   */
  public static final int RATE_HORIZON_SECONDS = 300;

  /** How long a peak takes to become the on-demand table's "previous peak". */
  public static final Duration ON_DEMAND_PEAK_SETTLES = Duration.ofMinutes(30);

  /**
   * Capacity settings. {@code writeUnitsPerSecond} is the provisioned rate, or for on-demand the
   * rate a new table absorbs; {@code initialBurstSeconds} is how much saved capacity a fresh
   * provisioned table starts with.
   */
  public record Settings(Mode mode, double writeUnitsPerSecond, Duration burstWindow, double partitionWriteUnitsPerSecond, double initialBurstSeconds) {
    public Settings {
      if (mode == null) {
        throw new InvalidFieldException("table.mode", null, "UNLIMITED, PROVISIONED or ON_DEMAND");
      }
      if (mode != Mode.UNLIMITED && !(writeUnitsPerSecond > 0)) {
        throw new InvalidFieldException("table.writeUnitsPerSecond", writeUnitsPerSecond, "> 0 in " + mode + " mode");
      }
      if (!(partitionWriteUnitsPerSecond > 0)) {
        throw new InvalidFieldException("table.partitionWriteUnitsPerSecond", partitionWriteUnitsPerSecond, "> 0");
      }
    }

    public static Settings unlimited() {
      return new Settings(Mode.UNLIMITED, 0, Duration.ZERO, Double.MAX_VALUE, 0);
    }

    public static Settings provisioned(double writeUnitsPerSecond) {
      return new Settings(Mode.PROVISIONED, writeUnitsPerSecond, Duration.ofSeconds(300), 1_000, 0);
    }

    /** On-demand as a new table starts: 4,000 write units per second at once. */
    public static Settings onDemand() {
      return new Settings(Mode.ON_DEMAND, 4_000, Duration.ZERO, 1_000, 0);
    }
  }

  /**
   * Target tracking as Application Auto Scaling does it for a provisioned table: once utilization
   * (consumed over provisioned, per minute) has stayed above {@code targetUtilization} for
   * {@code scaleOutAfter}, the capacity is raised to consumed / target (never above {@code maxUnits})
   * and the change lands {@code applyDelay} later; after {@code scaleInAfter} below target − 20
   * points, it is lowered the same way (never below {@code minUnits}).
   */
  public record AutoScaling(double minUnits, double maxUnits, double targetUtilization, Duration scaleOutAfter, Duration applyDelay, Duration scaleInAfter) {
    public AutoScaling {
      if (!(minUnits > 0) || maxUnits < minUnits) {
        throw new InvalidFieldException("table.autoScaling.units", minUnits + ".." + maxUnits, "0 < min <= max");
      }
      if (!(targetUtilization >= 0.2 && targetUtilization <= 0.9)) {
        throw new InvalidFieldException("table.autoScaling.targetUtilization", targetUtilization, "0.2..0.9 (AWS allows 20-90 %)");
      }
      for (Duration d : new Duration[] {scaleOutAfter, applyDelay, scaleInAfter}) {
        if (d == null || d.isNegative() || d.toSeconds() % 60 != 0) {
          throw new InvalidFieldException("table.autoScaling.durations", d, "whole minutes >= 0");
        }
      }
    }

    /** AWS's defaults as observed: 70 % target, 2 minutes above it, 3 minutes to apply, 15 minutes to scale in. */
    public static AutoScaling between(double minUnits, double maxUnits) {
      return new AutoScaling(minUnits, maxUnits, 0.7, Duration.ofMinutes(2), Duration.ofMinutes(3), Duration.ofMinutes(15));
    }
  }

  private final Settings settings;
  private final Optional<AutoScaling> autoScaling;
  private final Instant origin;
  private final TimedTokenBucket bucket;
  private final SecondWindows<SecondUse> seconds = new SecondWindows<>(RATE_HORIZON_SECONDS, SecondUse::new);
  private double consumed;
  private long throttled;
  // per-minute bookkeeping for auto-scaling and the on-demand peak
  private long minute;
  private double minuteUnits;
  private double minutePeak;
  private int minutesAbove;
  private int minutesBelow;
  private double pendingRate = Double.NaN;
  private long pendingAtMinute;
  private final ArrayDeque<double[]> recentPeaks = new ArrayDeque<>();
  private double settledPeak;
  private double ceiling = Double.POSITIVE_INFINITY;
  private double stormFraction;
  private Instant stormUntil = Instant.MIN;
  private long stormRequests;

  public TableCapacity(Settings settings, Instant start) {
    this(settings, start, Optional.empty());
  }

  public TableCapacity(Settings settings, Instant start, Optional<AutoScaling> autoScaling) {
    if (autoScaling.isPresent() && settings.mode() != Mode.PROVISIONED) {
      throw new InvalidFieldException("table.autoScaling", settings.mode(), "auto-scaling only on a PROVISIONED table");
    }
    this.settings = settings;
    this.autoScaling = autoScaling;
    double rate = settings.writeUnitsPerSecond();
    this.origin = start;
    this.bucket = new TimedTokenBucket(rate, burstCapacity(rate), rate * (1 + settings.initialBurstSeconds()), 0,
        RATE_HORIZON_SECONDS * 1_000_000_000L);
    this.minute = Math.floorDiv(start.getEpochSecond(), 60);
    this.settledPeak = settings.writeUnitsPerSecond() / 2;
  }

  /** Charges the units if the table and the key's partition allow; false (nothing charged) otherwise. */
  public synchronized boolean tryConsume(String partitionKey, double writeUnits, Instant now) {
    advance(now);
    SecondUse second = seconds.at(now.getEpochSecond());
    double used = second.byKey.getOrDefault(partitionKey, 0.0);
    if (used + writeUnits > settings.partitionWriteUnitsPerSecond() || stormRefuses(now) || available(second, now) + 1e-9 < writeUnits) {
      throttled++;
      return false;
    }
    take(writeUnits, second, now);
    second.byKey.put(partitionKey, used + writeUnits);
    return true;
  }

  /**
   * One BatchWriteItem of {@code items} items on distinct keys, {@code unitsEach} each: grants as
   * many as the table allows (the rest come back unprocessed) and returns that number. Each item's
   * own key stays under the per-partition limit as long as {@code unitsEach} does.
   */
  public synchronized int tryConsumeItems(int items, double unitsEach, Instant now) {
    return consumeItems(null, items, unitsEach, now);
  }

  /**
   * One BatchWriteItem of {@code items} items sharing {@code partitionKey} (one job's items under
   * one key): grants as many as both the table and the key's 1,000 units a second allow.
   */
  public synchronized int tryConsumeItems(String partitionKey, int items, double unitsEach, Instant now) {
    return consumeItems(partitionKey, items, unitsEach, now);
  }

  private int consumeItems(String partitionKey, int items, double unitsEach, Instant now) {
    advance(now);
    if (stormRefuses(now)) {
      throttled += items;
      return 0;
    }
    SecondUse second = seconds.at(now.getEpochSecond());
    double room = available(second, now);
    double used = partitionKey == null ? 0 : second.byKey.getOrDefault(partitionKey, 0.0);
    if (partitionKey != null) {
      room = Math.min(room, settings.partitionWriteUnitsPerSecond() - used);
    }
    int granted = (int) Math.max(0, Math.min(items, Math.floor(room / unitsEach + 1e-9)));
    if (granted > 0) {
      take(granted * unitsEach, second, now);
      if (partitionKey != null) {
        second.byKey.put(partitionKey, used + granted * unitsEach);
      }
    }
    throttled += items - granted;
    return granted;
  }

  /** Charges without a capacity check (a failed conditional write is billed like a write), in the latest second. */
  public synchronized void charge(double writeUnits) {
    consumed += writeUnits;
    minuteUnits += writeUnits;
    if (seconds.latest() != Long.MIN_VALUE) {
      seconds.at(seconds.latest()).units += writeUnits;
    }
  }

  /** Changes the provisioned rate (an operator's change). Saved burst is kept. */
  public synchronized void setWriteUnitsPerSecond(double writeUnitsPerSecond, Instant now) {
    advance(now);
    changeRate(Math.min(writeUnitsPerSecond, ceiling), now);
  }

  /**
   * Caps what the table grants, whatever its mode, until lifted with {@code +Infinity}: a capacity
   * cut (an account limit, a mistaken change, a maximum on an on-demand table).
   */
  public synchronized void ceiling(double writeUnitsPerSecond, Instant now) {
    advance(now);
    this.ceiling = writeUnitsPerSecond;
    if (settings.mode() == Mode.PROVISIONED) {
      double rate = bucket.rate();
      changeRate(Math.min(Double.isInfinite(writeUnitsPerSecond) ? rate : writeUnitsPerSecond, rate), now);
    }
  }

  /**
   * Until {@code until}, refuses {@code fraction} of requests whatever the capacity (a throttling
   * storm: a hot partition being split, a service event). Deterministic: every request is counted
   * and the refused ones are spread evenly.
   */
  public synchronized void storm(double fraction, Instant until) {
    if (!(fraction >= 0 && fraction <= 1)) {
      throw new InvalidFieldException("table.storm.fraction", fraction, "0..1");
    }
    this.stormFraction = fraction;
    this.stormUntil = until;
  }

  /** What the table grants per second now: the provisioned rate, the on-demand allowance, or infinity. */
  public synchronized double writeUnitsPerSecond() {
    return switch (settings.mode()) {
      case UNLIMITED -> Double.POSITIVE_INFINITY;
      case PROVISIONED -> bucket.rate();
      case ON_DEMAND -> onDemandAllowance();
    };
  }

  /** As {@link #writeUnitsPerSecond()}, after moving the table's own clock (auto-scaling, peaks) to {@code now}. */
  public synchronized double writeUnitsPerSecond(Instant now) {
    advance(now);
    return writeUnitsPerSecond();
  }

  public Settings settings() {
    return settings;
  }

  public synchronized double consumed() {
    return consumed;
  }

  public synchronized long throttled() {
    return throttled;
  }

  /** What the table can grant at {@code now}, in the second it falls in. */
  private double available(SecondUse second, Instant now) {
    return switch (settings.mode()) {
      case UNLIMITED -> Double.POSITIVE_INFINITY;
      case PROVISIONED -> bucket.room(nanos(now));
      case ON_DEMAND -> onDemandAllowance() - second.units;
    };
  }

  private void take(double units, SecondUse second, Instant now) {
    if (settings.mode() == Mode.PROVISIONED) {
      bucket.take(nanos(now), units);
    }
    consumed += units;
    minuteUnits += units;
    second.units += units;
    minutePeak = Math.max(minutePeak, second.units);
  }

  private void changeRate(double rate, Instant at) {
    bucket.settle(nanos(at), rate, burstCapacity(rate));
  }

  private double burstCapacity(double rate) {
    return rate * Math.max(1.0, settings.burstWindow().toSeconds());
  }

  private long nanos(Instant at) {
    return Duration.between(origin, at).toNanos();
  }

  /** What one second of the table took: in all, and per partition key. */
  private static final class SecondUse implements SecondWindows.Window {
    double units;
    final Map<String, Double> byKey = new HashMap<>();

    @Override
    public void reset() {
      units = 0;
      byKey.clear();
    }
  }

  private double onDemandAllowance() {
    return Math.min(ceiling, 2 * settledPeak);
  }

  private boolean stormRefuses(Instant now) {
    if (stormFraction <= 0 || !now.isBefore(stormUntil)) {
      return false;
    }
    stormRequests++;
    // the fractional parts of n·φ are evenly spread over [0, 1)
    double u = (stormRequests * 0.6180339887498949) % 1.0;
    return u < stormFraction;
  }

  /**
   * Closes the minutes (auto-scaling, on-demand peaks) the latest caller has passed: those follow
   * the table's own time, so a late request only adds to the minute still open.
   */
  private void advance(Instant now) {
    long second = Math.max(now.getEpochSecond(), seconds.latest());
    long nowMinute = Math.floorDiv(second, 60);
    while (minute < nowMinute) {
      closeMinute();
      minute++;
    }
  }

  private void closeMinute() {
    if (settings.mode() == Mode.ON_DEMAND) {
      recentPeaks.addLast(new double[] {minute, minutePeak});
      long settledBefore = minute - ON_DEMAND_PEAK_SETTLES.toMinutes();
      while (!recentPeaks.isEmpty() && recentPeaks.peekFirst()[0] <= settledBefore) {
        settledPeak = Math.max(settledPeak, recentPeaks.pollFirst()[1]);
      }
    }
    autoScaling.ifPresent(this::autoScale);
    minuteUnits = 0;
    minutePeak = 0;
  }

  private void autoScale(AutoScaling policy) {
    double rate = bucket.rate();
    double consumedPerSecond = minuteUnits / 60;
    double utilization = consumedPerSecond / rate;
    if (!Double.isNaN(pendingRate)) {
      if (minute + 1 >= pendingAtMinute) {
        changeRate(Math.min(pendingRate, ceiling), Instant.ofEpochSecond((minute + 1) * 60));
        pendingRate = Double.NaN;
        minutesAbove = 0;
        minutesBelow = 0;
      }
      return;
    }
    minutesAbove = utilization > policy.targetUtilization() ? minutesAbove + 1 : 0;
    minutesBelow = utilization < policy.targetUtilization() - 0.2 ? minutesBelow + 1 : 0;
    double wanted = Math.max(policy.minUnits(), Math.min(policy.maxUnits(), Math.min(ceiling, consumedPerSecond / policy.targetUtilization())));
    if (minutesAbove >= Math.max(1, policy.scaleOutAfter().toMinutes()) && wanted > rate) {
      schedule(wanted, policy);
    } else if (minutesBelow >= Math.max(1, policy.scaleInAfter().toMinutes()) && wanted < rate) {
      schedule(wanted, policy);
    }
  }

  private void schedule(double wanted, AutoScaling policy) {
    pendingRate = wanted;
    pendingAtMinute = minute + 1 + policy.applyDelay().toMinutes();
    if (policy.applyDelay().isZero()) {
      changeRate(Math.min(wanted, ceiling), Instant.ofEpochSecond((minute + 1) * 60));
      pendingRate = Double.NaN;
      minutesAbove = 0;
      minutesBelow = 0;
    }
  }

}
