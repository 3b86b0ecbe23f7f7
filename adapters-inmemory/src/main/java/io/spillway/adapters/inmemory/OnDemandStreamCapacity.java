package io.spillway.adapters.inmemory;

import io.spillway.domain.InvalidFieldException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;

/**
 * The stream-level write allowance of a Kinesis data stream in on-demand mode, as documented, on the
 * injected clock:
 *
 * <ul>
 *   <li>a new stream accepts {@code initialBytesPerSecond} (4 MB/s) and {@code initialRecordsPerSecond}
 *       (4,000 records/s) of writes, and never less;
 *   <li>it accommodates up to double the peak write throughput (accepted bytes and records in one
 *       second, each on its own) observed in the previous 30 days;
 *   <li>a new peak raises the allowance only once it has settled: a peak reached in minute m counts
 *       from minute m + 16, 15 to 16 minutes after it, so traffic that more than doubles the previous
 *       peak is throttled for about 15 minutes, and sustained saturation doubles the allowance about
 *       every 16 minutes;
 *   <li>the per-stream maximum ({@code maxBytesPerSecond}, {@code maxRecordsPerSecond}) caps it.
 * </ul>
 *
 * Each write is charged to the second of its own timestamp (a {@link SecondWindows} ring of the last
 * {@value #RATE_HORIZON_SECONDS} seconds), and the allowance at an instant depends only on the peaks
 * of minutes at least 15 minutes older, so callers on several simulated timelines that arrive out of
 * time order are charged what time order would charge them, as long as none runs more than the
 * horizon ahead of another.
 *
 * <p>{@link #shards} is the shard count behind the allowance: 4 at first, then enough shards that
 * the allowance fits their 1 MB/s and 1,000 records/s each (Kinesis splits a shard once it takes
 * more than 500 KB/s, half of its limit, and the allowance is double the peak). The per-shard
 * limits themselves are enforced by {@link InMemoryStream}.
 */
public final class OnDemandStreamCapacity {
  /** How far back a write may be timed and still be charged to its own second. */
  public static final int RATE_HORIZON_SECONDS = 300;

  /** A shard's write limits, which the shard count must cover. */
  static final double SHARD_BYTES_PER_SECOND = 1_000_000;
  static final double SHARD_RECORDS_PER_SECOND = 1_000;

  /** The shards an on-demand stream starts with. */
  public static final int INITIAL_SHARDS = 4;

  /** Minutes of computed allowances kept for writes timed before the latest minute: more than the horizon. */
  private static final int RING_MINUTES = 64;

  /**
   * The documented figures. {@code scaleDelay} is how long a new peak takes to raise the allowance
   * (whole minutes); {@code peakWindow} how long a peak is remembered.
   */
  public record Settings(double initialBytesPerSecond, double initialRecordsPerSecond, double maxBytesPerSecond, double maxRecordsPerSecond,
      Duration scaleDelay, Duration peakWindow) {
    public Settings {
      if (!(initialBytesPerSecond > 0) || !(initialRecordsPerSecond > 0)) {
        throw new InvalidFieldException("stream.onDemand.initial", initialBytesPerSecond + " B/s, " + initialRecordsPerSecond + " records/s", "> 0");
      }
      if (!(maxBytesPerSecond >= initialBytesPerSecond)) {
        throw new InvalidFieldException("stream.onDemand.maxBytesPerSecond", maxBytesPerSecond, ">= the initial " + initialBytesPerSecond);
      }
      if (!(maxRecordsPerSecond >= initialRecordsPerSecond)) {
        throw new InvalidFieldException("stream.onDemand.maxRecordsPerSecond", maxRecordsPerSecond, ">= the initial " + initialRecordsPerSecond);
      }
      if (scaleDelay == null || scaleDelay.isNegative() || scaleDelay.toSeconds() % 60 != 0 || scaleDelay.toMinutes() > 24 * 60) {
        throw new InvalidFieldException("stream.onDemand.scaleDelay", scaleDelay, "whole minutes, 0 .. 24 hours");
      }
      if (peakWindow == null || peakWindow.toSeconds() % 60 != 0 || peakWindow.compareTo(scaleDelay.plusMinutes(1)) <= 0
          || peakWindow.compareTo(Duration.ofDays(365)) > 0) {
        throw new InvalidFieldException("stream.onDemand.peakWindow", peakWindow, "whole minutes, longer than the scale delay + 1 minute, at most 365 days");
      }
    }

    /**
     * On-demand Standard as documented for US East (N. Virginia): 4 MB/s and 4,000 records/s for a
     * new stream, scaling to 10 GB/s of writes (200 MB/s in Regions other than N. Virginia, Oregon
     * and Ireland, see {@link #withMaxMegabytesPerSecond}); 15 minutes to adapt; peaks of 30 days.
     * The documents give the maximum in bytes only: the records maximum here is 1,000 a second per
     * MB/s, a shard's ratio.
     */
    public static Settings standard() {
      return new Settings(4_000_000, 4_000, 10_000_000_000.0, 10_000_000, Duration.ofMinutes(15), Duration.ofDays(30));
    }

    /** The same with another per-stream maximum, in MB/s; records at 1,000 a second per MB/s. */
    public Settings withMaxMegabytesPerSecond(double megabytes) {
      return new Settings(initialBytesPerSecond, initialRecordsPerSecond, megabytes * 1_000_000, megabytes * 1_000, scaleDelay, peakWindow);
    }
  }

  private final Settings settings;
  private final int delayMinutes;
  private final long windowMinutes;
  private final SecondWindows<Second> seconds = new SecondWindows<>(RATE_HORIZON_SECONDS, Second::new);
  /** Each not-yet-settled minute's peak second (bytes, records), in a ring keyed by minute. */
  private final long[] openMinute = new long[RING_MINUTES];
  private final double[] openBytes = new double[RING_MINUTES];
  private final double[] openRecords = new double[RING_MINUTES];
  /** The allowance of each of the last minutes, for writes timed before the latest. */
  private final long[] allowedMinute = new long[RING_MINUTES];
  private final double[] allowedBytes = new double[RING_MINUTES];
  private final double[] allowedRecords = new double[RING_MINUTES];
  /** Settled peaks within the window: each deque's values fall from front to back, so its front is the window's maximum. */
  private final ArrayDeque<double[]> settledBytes = new ArrayDeque<>();
  private final ArrayDeque<double[]> settledRecords = new ArrayDeque<>();
  /** The latest minute whose allowance is computed. */
  private long frontier;
  private long acceptedRecords;
  private long acceptedBytes;
  private long throttledRecords;

  /** A new on-demand stream created at {@code start}, with the {@linkplain Settings#standard() documented figures}. */
  public OnDemandStreamCapacity(Instant start) {
    this(start, Settings.standard());
  }

  public OnDemandStreamCapacity(Instant start, Settings settings) {
    this.settings = settings;
    this.delayMinutes = (int) settings.scaleDelay().toMinutes();
    this.windowMinutes = settings.peakWindow().toMinutes();
    java.util.Arrays.fill(openMinute, Long.MIN_VALUE);
    java.util.Arrays.fill(allowedMinute, Long.MIN_VALUE);
    this.frontier = Math.floorDiv(start.getEpochSecond(), 60);
    remember(frontier, settings.initialBytesPerSecond(), settings.initialRecordsPerSecond());
  }

  /** A new on-demand stream created at {@code start}. */
  public static OnDemandStreamCapacity startingAt(Instant start) {
    return new OnDemandStreamCapacity(start);
  }

  /**
   * Bulk: how many of {@code records} records of {@code bytesEach} bytes the stream-level allowance
   * takes in {@code now}'s second; those are charged, the rest are throttled. Per-shard limits are
   * not checked here.
   */
  public synchronized int grantRecords(int records, long bytesEach, Instant now) {
    if (records <= 0) {
      return 0;
    }
    long second = chargedSecond(now);
    int allowed = allowance(Math.floorDiv(second, 60));
    Second s = seconds.at(second);
    double byBytes = bytesEach <= 0 ? records : Math.floor((bytesAllowed(allowed) - s.bytes) / bytesEach + 1e-9);
    double byRecords = Math.floor(recordsAllowed(allowed) - s.records + 1e-9);
    int granted = (int) Math.max(0, Math.min(records, Math.min(byBytes, byRecords)));
    if (granted > 0) {
      take(s, second, (double) granted * Math.max(0, bytesEach), granted);
    }
    throttledRecords += records - granted;
    return granted;
  }

  /** One write of {@code records} records, {@code bytes} in all: charged if it fits the second's allowance, refused whole otherwise. */
  public synchronized boolean tryWrite(long bytes, int records, Instant now) {
    long second = chargedSecond(now);
    int allowed = allowance(Math.floorDiv(second, 60));
    Second s = seconds.at(second);
    if (s.bytes + bytes > bytesAllowed(allowed) + 1e-9 || s.records + records > recordsAllowed(allowed) + 1e-9) {
      throttledRecords += records;
      return false;
    }
    take(s, second, bytes, records);
    return true;
  }

  /** The bytes a second the stream accepts in {@code now}'s minute. */
  public synchronized double writeBytesPerSecond(Instant now) {
    return bytesAllowed(allowance(Math.floorDiv(chargedSecond(now), 60)));
  }

  /** The records a second the stream accepts in {@code now}'s minute. */
  public synchronized double writeRecordsPerSecond(Instant now) {
    return recordsAllowed(allowance(Math.floorDiv(chargedSecond(now), 60)));
  }

  /** The shards behind the allowance at {@code now}: 4, or enough to hold the allowance at 1 MB/s and 1,000 records/s each. */
  public synchronized int shards(Instant now) {
    int allowed = allowance(Math.floorDiv(chargedSecond(now), 60));
    return shardsFor(bytesAllowed(allowed), recordsAllowed(allowed));
  }

  static int shardsFor(double bytesPerSecond, double recordsPerSecond) {
    double byBytes = Math.ceil(bytesPerSecond / SHARD_BYTES_PER_SECOND - 1e-9);
    double byRecords = Math.ceil(recordsPerSecond / SHARD_RECORDS_PER_SECOND - 1e-9);
    return (int) Math.max(INITIAL_SHARDS, Math.min(Integer.MAX_VALUE, Math.max(byBytes, byRecords)));
  }

  public Settings settings() {
    return settings;
  }

  public synchronized long acceptedRecords() {
    return acceptedRecords;
  }

  public synchronized long acceptedBytes() {
    return acceptedBytes;
  }

  public synchronized long throttledRecords() {
    return throttledRecords;
  }

  /** The second a write at {@code now} is charged to: its own, or the oldest kept if it is older than the horizon. */
  private long chargedSecond(Instant now) {
    long second = now.getEpochSecond();
    long latest = seconds.latest();
    if (latest != Long.MIN_VALUE && second < latest - RATE_HORIZON_SECONDS) {
      second = latest - RATE_HORIZON_SECONDS;
    }
    return second;
  }

  private void take(Second s, long second, double bytes, int records) {
    s.bytes += bytes;
    s.records += records;
    acceptedBytes += (long) bytes;
    acceptedRecords += records;
    long minute = Math.floorDiv(second, 60);
    int slot = (int) Math.floorMod(minute, (long) RING_MINUTES);
    if (openMinute[slot] != minute) {
      openMinute[slot] = minute;
      openBytes[slot] = 0;
      openRecords[slot] = 0;
    }
    openBytes[slot] = Math.max(openBytes[slot], s.bytes);
    openRecords[slot] = Math.max(openRecords[slot], s.records);
  }

  /**
   * The ring slot holding {@code minute}'s allowance, moving the frontier on to it if it is new; -1
   * before the stream existed (the allowance it was created with).
   */
  private int allowance(long minute) {
    if (minute > frontier) {
      advanceTo(minute);
    }
    long m = Math.max(minute, frontier - RING_MINUTES + 1);
    int slot = (int) Math.floorMod(m, (long) RING_MINUTES);
    return allowedMinute[slot] == m ? slot : -1;
  }

  private double bytesAllowed(int slot) {
    return slot < 0 ? settings.initialBytesPerSecond() : allowedBytes[slot];
  }

  private double recordsAllowed(int slot) {
    return slot < 0 ? settings.initialRecordsPerSecond() : allowedRecords[slot];
  }

  private void advanceTo(long minute) {
    // a long silence: only the last window's minutes (plus the delay) can still matter
    long from = Math.max(frontier + 1, minute - windowMinutes - delayMinutes - 2);
    for (long f = from; f <= minute; f++) {
      long settled = f - delayMinutes - 1;
      int slot = (int) Math.floorMod(settled, (long) RING_MINUTES);
      if (openMinute[slot] == settled) {
        push(settledBytes, settled, openBytes[slot]);
        push(settledRecords, settled, openRecords[slot]);
      }
      long expired = f - windowMinutes;
      while (!settledBytes.isEmpty() && settledBytes.peekFirst()[0] <= expired) settledBytes.pollFirst();
      while (!settledRecords.isEmpty() && settledRecords.peekFirst()[0] <= expired) settledRecords.pollFirst();
      double peakBytes = settledBytes.isEmpty() ? 0 : settledBytes.peekFirst()[1];
      double peakRecords = settledRecords.isEmpty() ? 0 : settledRecords.peekFirst()[1];
      remember(f, clamp(2 * peakBytes, settings.initialBytesPerSecond(), settings.maxBytesPerSecond()),
          clamp(2 * peakRecords, settings.initialRecordsPerSecond(), settings.maxRecordsPerSecond()));
    }
    frontier = minute;
  }

  private static void push(ArrayDeque<double[]> deque, long minute, double peak) {
    if (peak <= 0) {
      return;
    }
    while (!deque.isEmpty() && deque.peekLast()[1] <= peak) deque.pollLast();
    deque.addLast(new double[] {minute, peak});
  }

  private void remember(long minute, double bytes, double records) {
    int slot = (int) Math.floorMod(minute, (long) RING_MINUTES);
    allowedMinute[slot] = minute;
    allowedBytes[slot] = bytes;
    allowedRecords[slot] = records;
  }

  private static double clamp(double v, double min, double max) {
    return Math.max(min, Math.min(max, v));
  }

  /** What one second of the stream accepted. */
  private static final class Second implements SecondWindows.Window {
    double bytes;
    double records;

    @Override
    public void reset() {
      bytes = 0;
      records = 0;
    }
  }
}
