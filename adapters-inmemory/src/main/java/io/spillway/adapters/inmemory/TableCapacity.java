package io.spillway.adapters.inmemory;

import io.spillway.domain.InvalidFieldException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * DynamoDB's read and write capacity as documented, on the injected clock:
 *
 * <ul>
 *   <li><b>Physical partitions.</b> Each serves at most {@value #PARTITION_WRITE_UNITS} write and
 *       {@value #PARTITION_READ_UNITS} read units a second and holds 10 GiB. A new provisioned
 *       table has ⌈RCU / 3,000 + WCU / 1,000⌉ partitions, a new on-demand table those of its warm
 *       throughput (4,000 WCU / 12,000 RCU: four). Each partition key hashes to one partition. A
 *       partition splits in two (its hash range halved, its keys re-spread by hash) when its items
 *       pass 10 GiB, or when it has been hot — a second at {@value #HOT_FRACTION} of its limit, or a
 *       request it refused, in every minute — for {@link #SPLIT_FOR_HEAT_AFTER} and more than one
 *       key wrote to it (a split cannot help one key). Raising provisioned capacity past what the
 *       partitions serve, or an on-demand table's growth, splits the widest partitions until they
 *       serve it. Partitions never merge.
 *   <li><b>Provisioned</b>: write units per second, divided among the partitions; adaptive
 *       capacity (instant since 2019) lets any partition take unused table capacity up to its own
 *       limit, so the model keeps one table-wide bucket plus each partition's per-second limit.
 *       Unused capacity is saved for up to 300 seconds of burst, which a partition spends only up
 *       to its {@value #PARTITION_WRITE_UNITS} units a second. Optionally target-tracking
 *       {@link AutoScaling} that reacts after minutes. Read units the same way, without
 *       auto-scaling.
 *   <li><b>On-demand</b>: a new table absorbs its warm throughput ({@code writeUnitsPerSecond},
 *       4,000 by default; 12,000 read units); at any time it absorbs twice the previous peak at
 *       once, and a peak becomes "previous" 30 minutes after it was reached, so traffic past twice
 *       the peak throttles for up to half an hour while the table grows. An optional maximum
 *       throughput caps it.
 *   <li>Every mode with capacity: the per-table throughput quota (40,000 write and 40,000 read
 *       units by default) caps provisioned, auto-scaled and on-demand capacity; a provisioned rate
 *       asked past it is granted at the quota (a scenario validates it before).
 *   <li>Every mode: at most 1,000 write units per second on any one partition key.
 * </ul>
 *
 * Each request is charged at its own time, so callers on several simulated timelines that reach the
 * table out of time order (an actor that slept ran ahead of the others) are each charged to the
 * second they were in: per-second windows are kept for the last {@value #RATE_HORIZON_SECONDS}
 * seconds, and the provisioned buckets are {@link TimedTokenBucket}s. Splits, like rate changes,
 * are not replayed into the past: a split's two halves each start from their parent's use of the
 * seconds kept.
 *
 * <p>Throttled requests consume nothing. UNLIMITED switches the model off (benchmarks that measure
 * Spillway's own code) but for the per-key limit. Faults for simulations: a {@linkplain #ceiling
 * ceiling} (a capacity cut) and a {@linkplain #storm throttling storm}.
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

  /** What one physical partition serves a second, as documented. */
  public static final double PARTITION_WRITE_UNITS = 1_000;
  public static final double PARTITION_READ_UNITS = 3_000;
  /** What one physical partition holds before it splits: 10 GB, DynamoDB's GB being 2^30 bytes. */
  public static final long PARTITION_BYTES = 10L << 30;
  /** A partition second at this share of its limit counts as hot. */
  public static final double HOT_FRACTION = 0.8;
  /**
   * How long a partition stays hot before it splits for heat. AWS documents that a partition
   * receiving traffic near its limit is split, not after how long; its "Scaling DynamoDB" posts
   * show the effect within the first tens of minutes of sustained traffic. Ten minutes is this
   * model's choice.
   */
  public static final Duration SPLIT_FOR_HEAT_AFTER = Duration.ofMinutes(10);
  /** The per-table throughput quota, read and write, on-demand and provisioned (raised on request). */
  public static final double DEFAULT_QUOTA_UNITS = 40_000;
  /** A new on-demand table's warm throughput. */
  public static final double ON_DEMAND_WARM_WRITE_UNITS = 4_000;
  public static final double ON_DEMAND_WARM_READ_UNITS = 12_000;
  /** Read units a provisioned table has unless given others. */
  public static final double DEFAULT_PROVISIONED_READ_UNITS = 100;
  /** Bytes one read unit reads strongly consistent (half a unit eventually consistent). */
  public static final int READ_UNIT_BYTES = 4_096;

  private static final long HASH_SPACE = 1L << 32;

  /**
   * Capacity settings. {@code writeUnitsPerSecond} is the provisioned rate, or for on-demand the
   * rate a new table absorbs (its warm throughput); {@code initialBurstSeconds} is how much saved
   * capacity a fresh provisioned table starts with; {@code partitionWriteUnitsPerSecond} is the
   * limit on one partition key. {@code readUnitsPerSecond} likewise for reads (on-demand: the warm
   * read throughput). {@code quotaWriteUnits} and {@code quotaReadUnits} are the per-table quota;
   * {@code maxWriteUnits} an on-demand table's optional maximum throughput (infinite: none).
   */
  public record Settings(Mode mode, double writeUnitsPerSecond, Duration burstWindow, double partitionWriteUnitsPerSecond, double initialBurstSeconds,
      double readUnitsPerSecond, double quotaWriteUnits, double quotaReadUnits, double maxWriteUnits) {
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
      if (mode != Mode.UNLIMITED && !(readUnitsPerSecond > 0)) {
        throw new InvalidFieldException("table.readUnits", readUnitsPerSecond, "> 0 in " + mode + " mode");
      }
      if (!(quotaWriteUnits > 0)) {
        throw new InvalidFieldException("table.quotaWriteUnits", quotaWriteUnits, "> 0");
      }
      if (!(quotaReadUnits > 0)) {
        throw new InvalidFieldException("table.quotaReadUnits", quotaReadUnits, "> 0");
      }
      if (!(maxWriteUnits > 0)) {
        throw new InvalidFieldException("table.maxWriteUnits", maxWriteUnits, "> 0");
      }
      if (mode != Mode.ON_DEMAND && !Double.isInfinite(maxWriteUnits)) {
        throw new InvalidFieldException("table.maxWriteUnits", maxWriteUnits, "a maximum throughput only on an ON_DEMAND table");
      }
    }

    /** As before reads, quotas and maximum throughput were modelled: their defaults. */
    public Settings(Mode mode, double writeUnitsPerSecond, Duration burstWindow, double partitionWriteUnitsPerSecond, double initialBurstSeconds) {
      this(mode, writeUnitsPerSecond, burstWindow, partitionWriteUnitsPerSecond, initialBurstSeconds, defaultReadUnits(mode),
          DEFAULT_QUOTA_UNITS, DEFAULT_QUOTA_UNITS, Double.POSITIVE_INFINITY);
    }

    private static double defaultReadUnits(Mode mode) {
      if (mode == null) {
        return 0;
      }
      return switch (mode) {
        case UNLIMITED -> 0;
        case PROVISIONED -> DEFAULT_PROVISIONED_READ_UNITS;
        case ON_DEMAND -> ON_DEMAND_WARM_READ_UNITS;
      };
    }

    public static Settings unlimited() {
      return new Settings(Mode.UNLIMITED, 0, Duration.ZERO, Double.MAX_VALUE, 0);
    }

    public static Settings provisioned(double writeUnitsPerSecond) {
      return new Settings(Mode.PROVISIONED, writeUnitsPerSecond, Duration.ofSeconds(300), 1_000, 0);
    }

    /** On-demand as a new table starts: 4,000 write units per second at once. */
    public static Settings onDemand() {
      return new Settings(Mode.ON_DEMAND, ON_DEMAND_WARM_WRITE_UNITS, Duration.ZERO, 1_000, 0);
    }

    /** Provisioned read units, or an on-demand table's warm read throughput. */
    public Settings withReadUnits(double readUnits) {
      return new Settings(mode, writeUnitsPerSecond, burstWindow, partitionWriteUnitsPerSecond, initialBurstSeconds, readUnits, quotaWriteUnits,
          quotaReadUnits, maxWriteUnits);
    }

    /** The per-table throughput quota (what a quota increase raises). */
    public Settings withQuota(double writeUnits, double readUnits) {
      return new Settings(mode, writeUnitsPerSecond, burstWindow, partitionWriteUnitsPerSecond, initialBurstSeconds, readUnitsPerSecond, writeUnits,
          readUnits, maxWriteUnits);
    }

    /** An on-demand table's maximum write throughput. */
    public Settings withMaxWriteUnits(double writeUnits) {
      return new Settings(mode, writeUnitsPerSecond, burstWindow, partitionWriteUnitsPerSecond, initialBurstSeconds, readUnitsPerSecond, quotaWriteUnits,
          quotaReadUnits, writeUnits);
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

  /** One direction of traffic (writes or reads): its bucket, counts and on-demand peaks. */
  private final class Flow {
    final TimedTokenBucket bucket;
    /** The provisioned rate asked for (by the settings, an operator or auto-scaling), before any ceiling. */
    double intendedRate;
    double consumed;
    long throttled;
    double minuteUnits;
    double minutePeak;
    final ArrayDeque<double[]> recentPeaks = new ArrayDeque<>();
    double settledPeak;
    final double quota;

    Flow(double rate, double quota) {
      this.quota = quota;
      double granted = Math.min(rate, quota);
      this.intendedRate = granted;
      this.bucket = new TimedTokenBucket(granted, burstCapacity(granted), granted * (1 + settings.initialBurstSeconds()), 0,
          RATE_HORIZON_SECONDS * 1_000_000_000L);
      this.settledPeak = rate / 2;
    }

    void closeMinute() {
      recentPeaks.addLast(new double[] {minute, minutePeak});
      long settledBefore = minute - ON_DEMAND_PEAK_SETTLES.toMinutes();
      while (!recentPeaks.isEmpty() && recentPeaks.peekFirst()[0] <= settledBefore) {
        settledPeak = Math.max(settledPeak, recentPeaks.pollFirst()[1]);
      }
      minuteUnits = 0;
      minutePeak = 0;
    }

    /** What an on-demand table has grown to: twice the previous peak (at first, its warm throughput). */
    double warm() {
      return 2 * settledPeak;
    }
  }

  /** One physical partition: a range of the key hash space, its stored bytes and its heat. */
  private static final class Partition {
    final int id;
    final long lo;
    final long hi;
    long storedBytes;
    int hotMinutes;
    double minutePeakWrites;
    double minutePeakReads;
    boolean minuteRefused;
    String minuteKey;
    boolean minuteManyKeys;

    Partition(int id, long lo, long hi) {
      this.id = id;
      this.lo = lo;
      this.hi = hi;
    }

    void wroteOrRead(String key) {
      if (key == null) {
        minuteManyKeys = true;
      } else if (minuteKey == null) {
        minuteKey = key;
      } else if (!minuteManyKeys && !minuteKey.equals(key)) {
        minuteManyKeys = true;
      }
    }

    boolean hot() {
      return minuteRefused || minutePeakWrites >= HOT_FRACTION * PARTITION_WRITE_UNITS || minutePeakReads >= HOT_FRACTION * PARTITION_READ_UNITS;
    }

    void resetMinute() {
      minutePeakWrites = 0;
      minutePeakReads = 0;
      minuteRefused = false;
      minuteKey = null;
      minuteManyKeys = false;
    }
  }

  private final Settings settings;
  private final Optional<AutoScaling> autoScaling;
  private final Instant origin;
  private final Flow writes;
  private final Flow reads;
  private final SecondWindows<SecondUse> seconds = new SecondWindows<>(RATE_HORIZON_SECONDS, SecondUse::new);
  private final TreeMap<Long, Partition> partitions = new TreeMap<>();
  private int nextPartitionId;
  /** Each key's hash and stored bytes, to re-spread a partition's bytes when it splits. */
  private final Map<String, long[]> storedByKey = new HashMap<>();
  private long spreadFrom;
  private long splitsForSize;
  private long splitsForHeat;
  // per-minute bookkeeping for auto-scaling, the on-demand peaks and partition heat
  private long minute;
  private int minutesAbove;
  private int minutesBelow;
  private double pendingRate = Double.NaN;
  private long pendingAtMinute;
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
    this.origin = start;
    this.writes = new Flow(settings.writeUnitsPerSecond(), settings.quotaWriteUnits());
    this.reads = new Flow(settings.readUnitsPerSecond(), settings.quotaReadUnits());
    this.minute = Math.floorDiv(start.getEpochSecond(), 60);
    int n = switch (settings.mode()) {
      case UNLIMITED -> 1;
      case PROVISIONED -> partitionsFor(writes.intendedRate, reads.intendedRate);
      case ON_DEMAND -> onDemandPartitions();
    };
    for (int i = 0; i < n; i++) {
      long lo = HASH_SPACE * i / n;
      long hi = HASH_SPACE * (i + 1) / n;
      partitions.put(lo, new Partition(nextPartitionId++, lo, hi));
    }
  }

  /**
   * Partitions an on-demand table needs for what it absorbs at once: its reads and writes each
   * within their partitions' limits (a new table's 4,000 / 12,000 units: four), within the quota.
   */
  private int onDemandPartitions() {
    return (int) Math.max(1, Math.ceil(Math.max(Math.min(writes.warm(), writes.quota) / PARTITION_WRITE_UNITS,
        Math.min(reads.warm(), reads.quota) / PARTITION_READ_UNITS) - 1e-9));
  }

  /** Partitions a table needs for these rates: ⌈reads / 3,000 + writes / 1,000⌉, at least one. */
  static int partitionsFor(double writeUnits, double readUnits) {
    return (int) Math.max(1, Math.ceil(writeUnits / PARTITION_WRITE_UNITS + readUnits / PARTITION_READ_UNITS - 1e-9));
  }

  /** Charges the units if the table, the key and the key's partition allow; false (nothing charged) otherwise. */
  public synchronized boolean tryConsume(String partitionKey, double writeUnits, Instant now) {
    advance(now);
    SecondUse second = seconds.at(now.getEpochSecond());
    Partition p = partitionOf(partitionKey);
    double used = second.byKey.getOrDefault(partitionKey, 0.0);
    if (used + writeUnits > settings.partitionWriteUnitsPerSecond()) {
      writes.throttled++;
      return false;
    }
    if (partitionWriteRoom(second, p) + 1e-9 < writeUnits) {
      p.minuteRefused = true;
      writes.throttled++;
      return false;
    }
    if (stormRefuses(now) || available(writes, second.units, now) + 1e-9 < writeUnits) {
      writes.throttled++;
      return false;
    }
    take(writes, writeUnits, second, now);
    second.byKey.put(partitionKey, used + writeUnits);
    chargePartition(second, p, partitionKey, writeUnits, 0);
    return true;
  }

  /**
   * One BatchWriteItem of {@code items} items on distinct keys, {@code unitsEach} each: grants as
   * many as the table and their partitions allow (the rest come back unprocessed) and returns that
   * number. With no keys given, the items are taken to spread evenly over the partitions (as keys
   * of high cardinality hash): each partition gets an equal share, the remainder going one each to
   * the partitions next in a rotation, and grants at most what it has room for. Each item's own key
   * stays under the per-key limit as long as {@code unitsEach} does.
   */
  public synchronized int tryConsumeItems(int items, double unitsEach, Instant now) {
    advance(now);
    if (stormRefuses(now)) {
      writes.throttled += items;
      return 0;
    }
    SecondUse second = seconds.at(now.getEpochSecond());
    double room = available(writes, second.units, now);
    List<Partition> all = new ArrayList<>(partitions.values());
    int n = all.size();
    int start = (int) (spreadFrom % n);
    spreadFrom += Math.max(1, items % n);
    int[] grants = new int[n];
    int granted = 0;
    for (int i = 0; i < n; i++) {
      Partition p = all.get((start + i) % n);
      int share = items / n + (i < items % n ? 1 : 0);
      if (share == 0) {
        continue;
      }
      double partRoom = partitionWriteRoom(second, p);
      int g = (int) Math.max(0, Math.min(share, Math.floor(Math.min(partRoom, room) / unitsEach + 1e-9)));
      if (g < share && partRoom < room) {
        p.minuteRefused = true;
      }
      grants[(start + i) % n] = g;
      granted += g;
      room -= g * unitsEach;
    }
    if (granted > 0) {
      take(writes, granted * unitsEach, second, now);
      for (int i = 0; i < n; i++) {
        if (grants[i] > 0) {
          chargePartition(second, all.get(i), null, grants[i] * unitsEach, 0);
        }
      }
    }
    writes.throttled += items - granted;
    return granted;
  }

  /**
   * Fluid writes, for a simulation that moves many writers' chunks as one aggregate a second:
   * {@code items} items of {@code unitsEach} units on keys of high cardinality, spread over the
   * second and evenly over the partitions. Grants as many as the table's capacity and its partitions
   * together allow (their count × 1,000 WCU/s, less what the second already took), so a whole item
   * is never refused for landing on a partition that, over the second, has room for a share of it —
   * an artefact of charging a second's writes at once. No one partition is charged, so none heats
   * up: an even spread has no hot partition to split. O(1), whatever the partition count.
   */
  public synchronized int tryConsumeSpread(int items, double unitsEach, Instant now) {
    advance(now);
    if (stormRefuses(now)) {
      writes.throttled += items;
      return 0;
    }
    SecondUse second = seconds.at(now.getEpochSecond());
    double room = available(writes, second.units, now);
    if (settings.mode() != Mode.UNLIMITED) {
      room = Math.min(room, partitions.size() * PARTITION_WRITE_UNITS - second.units);
    }
    int granted = (int) Math.max(0, Math.min(items, Math.floor(room / unitsEach + 1e-9)));
    if (granted > 0) {
      take(writes, granted * unitsEach, second, now);
    }
    writes.throttled += items - granted;
    return granted;
  }

  /**
   * One BatchWriteItem of {@code items} items sharing {@code partitionKey} (one job's items under
   * one key): grants as many as the table, the key's 1,000 units a second and its partition allow.
   */
  public synchronized int tryConsumeItems(String partitionKey, int items, double unitsEach, Instant now) {
    advance(now);
    if (stormRefuses(now)) {
      writes.throttled += items;
      return 0;
    }
    SecondUse second = seconds.at(now.getEpochSecond());
    Partition p = partitionOf(partitionKey);
    double used = second.byKey.getOrDefault(partitionKey, 0.0);
    double tableRoom = available(writes, second.units, now);
    double partRoom = partitionWriteRoom(second, p);
    double room = Math.min(Math.min(tableRoom, partRoom), settings.partitionWriteUnitsPerSecond() - used);
    int granted = (int) Math.max(0, Math.min(items, Math.floor(room / unitsEach + 1e-9)));
    if (granted < items && partRoom <= room + 1e-9 && partRoom < tableRoom) {
      p.minuteRefused = true;
    }
    if (granted > 0) {
      take(writes, granted * unitsEach, second, now);
      second.byKey.put(partitionKey, used + granted * unitsEach);
      chargePartition(second, p, partitionKey, granted * unitsEach, 0);
    }
    writes.throttled += items - granted;
    return granted;
  }

  /** Charges without a capacity check (a failed conditional write is billed like a write), in the latest second. */
  public synchronized void charge(double writeUnits) {
    writes.consumed += writeUnits;
    writes.minuteUnits += writeUnits;
    if (seconds.latest() != Long.MIN_VALUE) {
      seconds.at(seconds.latest()).units += writeUnits;
    }
  }

  /**
   * A read of {@code readUnits} on {@code partitionKey} (see {@link #readUnits}): charged if the
   * table's read capacity and the key's partition (3,000 read units a second) allow; false (nothing
   * charged, counted as a throttled read) otherwise.
   */
  public synchronized boolean tryRead(String partitionKey, double readUnits, Instant now) {
    advance(now);
    SecondUse second = seconds.at(now.getEpochSecond());
    Partition p = partitionOf(partitionKey);
    if (partitionReadRoom(second, p) + 1e-9 < readUnits) {
      p.minuteRefused = true;
      reads.throttled++;
      return false;
    }
    if (available(reads, second.readUnits, now) + 1e-9 < readUnits) {
      reads.throttled++;
      return false;
    }
    takeRead(readUnits, second, p, partitionKey, now);
    return true;
  }

  /**
   * Charges a read whatever the capacity: a throttled read the SDK retried until it succeeded. Its
   * units are taken from the read capacity at {@code now} (a provisioned bucket goes into debt that
   * later reads repay) and from its partition's second.
   */
  public synchronized void chargeRead(String partitionKey, double readUnits, Instant now) {
    advance(now);
    SecondUse second = seconds.at(now.getEpochSecond());
    takeRead(readUnits, second, partitionOf(partitionKey), partitionKey, now);
  }

  /**
   * Read units for reading {@code bytes} in one request (an item, or one Query page's items
   * summed): one per started 4 KB strongly consistent, half that eventually consistent; at least
   * one 4 KB block, as a read that finds nothing is charged too.
   */
  public static double readUnits(long bytes, boolean stronglyConsistent) {
    long blocks = Math.max(1, (bytes + READ_UNIT_BYTES - 1) / READ_UNIT_BYTES);
    return stronglyConsistent ? blocks : blocks / 2.0;
  }

  /**
   * Records that {@code bytes} more (negative: fewer) are stored under {@code partitionKey}: a
   * partition past 10 GiB holding more than one key splits, and again while a half still is.
   */
  public synchronized void stored(String partitionKey, long bytes) {
    long[] entry = storedByKey.computeIfAbsent(partitionKey, k -> new long[] {hash(k), 0});
    entry[1] = Math.max(0, entry[1] + bytes);
    if (entry[1] == 0) {
      storedByKey.remove(partitionKey);
    }
    Partition p = partitions.floorEntry(entry[0]).getValue();
    p.storedBytes = Math.max(0, p.storedBytes + bytes);
    if (settings.mode() == Mode.UNLIMITED) {
      return;
    }
    List<Partition> check = new ArrayList<>(List.of(p));
    while (!check.isEmpty()) {
      Partition q = check.remove(check.size() - 1);
      if (q.storedBytes > PARTITION_BYTES && keysIn(q) > 1 && q.hi - q.lo >= 2) {
        splitsForSize++;
        check.addAll(split(q));
      }
    }
  }

  /** Changes the provisioned rate (an operator's change), within the table's quota. Saved burst is kept. */
  public synchronized void setWriteUnitsPerSecond(double writeUnitsPerSecond, Instant now) {
    advance(now);
    writes.intendedRate = Math.min(writeUnitsPerSecond, writes.quota);
    changeRate(Math.min(writes.intendedRate, ceiling), now);
  }

  /**
   * Caps what the table grants, whatever its mode, until lifted with {@code +Infinity}: a capacity
   * cut (an account limit, a mistaken change, a maximum on an on-demand table). Lifting it gives a
   * provisioned table back the rate it had been given before the cut (or since, by an operator or
   * auto-scaling).
   */
  public synchronized void ceiling(double writeUnitsPerSecond, Instant now) {
    advance(now);
    this.ceiling = writeUnitsPerSecond;
    if (settings.mode() == Mode.PROVISIONED) {
      changeRate(Math.min(writes.intendedRate, writeUnitsPerSecond), now);
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
      case PROVISIONED -> writes.bucket.rate();
      case ON_DEMAND -> onDemandAllowance(writes, Math.min(ceiling, settings.maxWriteUnits()));
    };
  }

  /** As {@link #writeUnitsPerSecond()}, after moving the table's own clock (auto-scaling, peaks) to {@code now}. */
  public synchronized double writeUnitsPerSecond(Instant now) {
    advance(now);
    return writeUnitsPerSecond();
  }

  /** The read units the table grants per second now: provisioned, the on-demand allowance, or infinity. */
  public synchronized double readUnitsPerSecond() {
    return switch (settings.mode()) {
      case UNLIMITED -> Double.POSITIVE_INFINITY;
      case PROVISIONED -> reads.bucket.rate();
      case ON_DEMAND -> onDemandAllowance(reads, Double.POSITIVE_INFINITY);
    };
  }

  /** The physical partitions the table has now. */
  public synchronized int partitions() {
    return partitions.size();
  }

  /** The partition {@code partitionKey} lives on now, as an index in hash order (0 .. partitions − 1). */
  public synchronized int partitionIndexOf(String partitionKey) {
    return partitions.headMap(hash(partitionKey), true).size() - 1;
  }

  /** The write units the partition at {@code index} (in hash order) has taken in the second of {@code at}: for tests. */
  synchronized double partitionWritesIn(int index, Instant at) {
    Partition p = new ArrayList<>(partitions.values()).get(index);
    return seconds.at(at.getEpochSecond()).writesOf(p.id);
  }

  /** Splits so far because a partition passed 10 GiB, and because one stayed hot. */
  public synchronized long splitsForSize() {
    return splitsForSize;
  }

  public synchronized long splitsForHeat() {
    return splitsForHeat;
  }

  public Settings settings() {
    return settings;
  }

  public synchronized double consumed() {
    return writes.consumed;
  }

  public synchronized long throttled() {
    return writes.throttled;
  }

  /** Read units charged so far (throttled reads retried included). */
  public synchronized double readUnitsConsumed() {
    return reads.consumed;
  }

  /** Reads refused by the table's or a partition's read capacity so far. */
  public synchronized long readsThrottled() {
    return reads.throttled;
  }

  /** What the table can grant of {@code flow} at {@code now}, in a second that has used {@code usedThisSecond}. */
  private double available(Flow flow, double usedThisSecond, Instant now) {
    return switch (settings.mode()) {
      case UNLIMITED -> Double.POSITIVE_INFINITY;
      case PROVISIONED -> flow.bucket.room(nanos(now));
      case ON_DEMAND -> onDemandAllowance(flow, flow == writes ? Math.min(ceiling, settings.maxWriteUnits()) : Double.POSITIVE_INFINITY)
          - usedThisSecond;
    };
  }

  private double partitionWriteRoom(SecondUse second, Partition p) {
    if (settings.mode() == Mode.UNLIMITED) {
      return Double.POSITIVE_INFINITY;
    }
    return PARTITION_WRITE_UNITS - second.writesOf(p.id);
  }

  private double partitionReadRoom(SecondUse second, Partition p) {
    if (settings.mode() == Mode.UNLIMITED) {
      return Double.POSITIVE_INFINITY;
    }
    return PARTITION_READ_UNITS - second.readsOf(p.id);
  }

  private void take(Flow flow, double units, SecondUse second, Instant now) {
    if (settings.mode() == Mode.PROVISIONED) {
      flow.bucket.take(nanos(now), units);
    }
    flow.consumed += units;
    flow.minuteUnits += units;
    double inSecond = flow == writes ? (second.units += units) : (second.readUnits += units);
    flow.minutePeak = Math.max(flow.minutePeak, inSecond);
  }

  private void takeRead(double units, SecondUse second, Partition p, String key, Instant now) {
    take(reads, units, second, now);
    chargePartition(second, p, key, 0, units);
  }

  private void chargePartition(SecondUse second, Partition p, String key, double writeUnits, double readUnits) {
    second.ensure(p.id);
    second.partitionWrites[p.id] += writeUnits;
    second.partitionReads[p.id] += readUnits;
    p.minutePeakWrites = Math.max(p.minutePeakWrites, second.partitionWrites[p.id]);
    p.minutePeakReads = Math.max(p.minutePeakReads, second.partitionReads[p.id]);
    p.wroteOrRead(key);
  }

  private void changeRate(double rate, Instant at) {
    writes.bucket.settle(nanos(at), rate, burstCapacity(rate));
    if (settings.mode() == Mode.PROVISIONED) {
      growTo(partitionsFor(rate, reads.bucket.rate()));
    }
  }

  private double burstCapacity(double rate) {
    return rate * Math.max(1.0, settings.burstWindow().toSeconds());
  }

  private long nanos(Instant at) {
    return Duration.between(origin, at).toNanos();
  }

  private double onDemandAllowance(Flow flow, double cap) {
    return Math.min(Math.min(cap, flow.quota), flow.warm());
  }

  private Partition partitionOf(String partitionKey) {
    return partitions.floorEntry(hash(partitionKey)).getValue();
  }

  /** A key's place in the 32-bit hash space: FNV-1a over its characters, then a 64-bit finalizer. */
  static long hash(String key) {
    long h = 0xcbf29ce484222325L;
    for (int i = 0; i < key.length(); i++) {
      h ^= key.charAt(i);
      h *= 0x100000001b3L;
    }
    h ^= h >>> 33;
    h *= 0xff51afd7ed558ccdL;
    h ^= h >>> 33;
    h *= 0xc4ceb9fe1a85ec53L;
    h ^= h >>> 33;
    return h >>> 32;
  }

  private int keysIn(Partition p) {
    int n = 0;
    for (long[] e : storedByKey.values()) {
      if (e[0] >= p.lo && e[0] < p.hi && e[1] > 0 && ++n > 1) {
        return n;
      }
    }
    return n;
  }

  /** Splits {@code p} into the two halves of its hash range; each half starts from p's use of the seconds kept. */
  private List<Partition> split(Partition p) {
    long mid = p.lo + (p.hi - p.lo) / 2;
    Partition a = new Partition(nextPartitionId++, p.lo, mid);
    Partition b = new Partition(nextPartitionId++, mid, p.hi);
    partitions.put(a.lo, a);
    partitions.put(b.lo, b);
    for (long[] e : storedByKey.values()) {
      if (e[0] >= p.lo && e[0] < p.hi) {
        (e[0] < mid ? a : b).storedBytes += e[1];
      }
    }
    seconds.forEachWindow(w -> {
      w.ensure(b.id);
      if (p.id < w.partitionWrites.length) {
        w.partitionWrites[a.id] = w.partitionWrites[b.id] = w.partitionWrites[p.id];
        w.partitionReads[a.id] = w.partitionReads[b.id] = w.partitionReads[p.id];
      }
    });
    return List.of(a, b);
  }

  /** Splits the widest partitions until there are {@code count}. */
  private void growTo(int count) {
    while (partitions.size() < count) {
      Partition widest = null;
      for (Partition p : partitions.values()) {
        if (widest == null || p.hi - p.lo > widest.hi - widest.lo) {
          widest = p;
        }
      }
      if (widest.hi - widest.lo < 2) {
        return;
      }
      split(widest);
    }
  }

  /** What one second of the table took: in all, per partition key, and per physical partition (by id). */
  private static final class SecondUse implements SecondWindows.Window {
    double units;
    double readUnits;
    final Map<String, Double> byKey = new HashMap<>();
    double[] partitionWrites = new double[8];
    double[] partitionReads = new double[8];

    double writesOf(int id) {
      return id < partitionWrites.length ? partitionWrites[id] : 0;
    }

    double readsOf(int id) {
      return id < partitionReads.length ? partitionReads[id] : 0;
    }

    void ensure(int id) {
      if (id >= partitionWrites.length) {
        int n = Math.max(id + 1, partitionWrites.length * 2);
        partitionWrites = Arrays.copyOf(partitionWrites, n);
        partitionReads = Arrays.copyOf(partitionReads, n);
      }
    }

    @Override
    public void reset() {
      units = 0;
      readUnits = 0;
      byKey.clear();
      Arrays.fill(partitionWrites, 0);
      Arrays.fill(partitionReads, 0);
    }
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
   * Closes the minutes (auto-scaling, on-demand peaks, partition heat) the latest caller has
   * passed: those follow the table's own time, so a late request only adds to the minute still open.
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
    double writeUnits = writes.minuteUnits;
    writes.closeMinute();
    reads.closeMinute();
    if (settings.mode() == Mode.ON_DEMAND) {
      // the table grows as its peaks settle: enough partitions for what it now absorbs at once
      growTo(onDemandPartitions());
    }
    if (settings.mode() != Mode.UNLIMITED) {
      for (Partition p : new ArrayList<>(partitions.values())) {
        p.hotMinutes = p.hot() ? p.hotMinutes + 1 : 0;
        boolean manyKeys = p.minuteManyKeys;
        p.resetMinute();
        if (p.hotMinutes >= SPLIT_FOR_HEAT_AFTER.toMinutes() && manyKeys && p.hi - p.lo >= 2) {
          splitsForHeat++;
          split(p);
        }
      }
    }
    autoScaling.ifPresent(policy -> autoScale(policy, writeUnits));
  }

  private void autoScale(AutoScaling policy, double minuteUnits) {
    double rate = writes.bucket.rate();
    double consumedPerSecond = minuteUnits / 60;
    double utilization = consumedPerSecond / rate;
    if (!Double.isNaN(pendingRate)) {
      if (minute + 1 >= pendingAtMinute) {
        apply(pendingRate);
      }
      return;
    }
    minutesAbove = utilization > policy.targetUtilization() ? minutesAbove + 1 : 0;
    minutesBelow = utilization < policy.targetUtilization() - 0.2 ? minutesBelow + 1 : 0;
    double wanted = Math.max(policy.minUnits(), Math.min(Math.min(policy.maxUnits(), writes.quota), Math.min(ceiling, consumedPerSecond / policy.targetUtilization())));
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
      apply(wanted);
    }
  }

  private void apply(double rate) {
    writes.intendedRate = Math.min(rate, writes.quota);
    changeRate(Math.min(writes.intendedRate, ceiling), Instant.ofEpochSecond((minute + 1) * 60));
    pendingRate = Double.NaN;
    minutesAbove = 0;
    minutesBelow = 0;
  }
}
