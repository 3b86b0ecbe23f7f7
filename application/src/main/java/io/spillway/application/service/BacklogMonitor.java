package io.spillway.application.service;

import io.spillway.application.port.out.Clock;
import io.spillway.domain.InvalidFieldException;
import io.spillway.domain.risk.BacklogObservation;
import io.spillway.domain.risk.BottleneckEvidence;
import io.spillway.domain.risk.DrainLimits;
import io.spillway.domain.risk.DrainLimits.Bottleneck;
import io.spillway.domain.risk.RetentionRiskForecast;
import io.spillway.domain.risk.RetentionRiskForecast.Recommendation;
import io.spillway.domain.risk.RiskLevel;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Feeds the domain's {@link RetentionRiskForecast} from what a consumer sees of its shards, and
 * holds the risk level with hysteresis so that it does not flap.
 *
 * <p>Inputs come from the record processors (one thread per shard) and from the stream's
 * description; {@link #assess()} is called periodically by the runtime (every 10 s, say) and by
 * metrics scrapes. Samples are taken in {@code assess()}, not in the processors, so a stalled
 * consumer — which reports nothing — is still seen aging.
 *
 * <p>The estimate, over the settings' window:
 *
 * <ul>
 *   <li>oldest age A: the largest iterator age over the shards, where a shard's age is now minus
 *       the arrival of the oldest record of its last batch (it keeps growing until the next batch
 *       or {@link #caughtUp}), so it overstates the true age by at most one batch;
 *   <li>drain rate d: records processed per second between the window's first sample and now;
 *   <li>age growth g: the least-squares slope of A over the window's samples;
 *   <li>arrival rate a: a consumer cannot see it, but the forecast's own model says g = 1 − d/a,
 *       so a = d / (1 − g). A shrinking backlog (g &lt; 0) gives a &lt; d; g at or above 1 (a
 *       stalled shard beside a draining one, or noise) is capped at {@value #MAX_GROWTH_FOR_ARRIVAL}
 *       so a stays finite (at most 1000·d). With nothing drained the arrival cannot be seen at
 *       all: the last estimate stands (zero before any), and the domain's rule applies — with no
 *       drain the age grows one second per second, so even an idle stream reports loss one
 *       retention away, which the standard policy calls OK.
 * </ul>
 *
 * <p>Only the limit that binds is measured — it is the drain — so the {@link DrainLimits} handed
 * to the forecast hold d for that limit and no ceiling (+∞) for the others. The binding limit is
 * named by {@link BottleneckEvidence} from what the window saw: the write capacity when the table
 * throttled the consumers' puts ({@link #tableThrottles}) or the write units spent per second came
 * within 10 % of {@link #writeBudget}; else the shards' reads when at least a tenth of the
 * GetRecords calls were throttled ({@link #reads}) or, without read counts, when the bytes read
 * per second are within 10 % of 2 MiB/s for each shard this monitor sees (summed over those
 * shards: a single hot shard at its ceiling beside idle ones is attributed to the consumers); else
 * the consumers — down, too few for the shards, or slow, with the table and the shards idle.
 *
 * <p>Hysteresis: a higher raw level is adopted at once; a lower one only after the raw level has
 * stayed below the held one for the settings' calm-down, and then the held level drops to the
 * highest raw level seen during the calm-down. Each change of the held level logs one line (WARN
 * going up, INFO going down) and counts in {@link #levelChanges()}.
 *
 * <p>Memory is bounded by the shards held and by the window's sample limit.
 */
public final class BacklogMonitor {
  /** Kinesis's read limit per shard. */
  public static final double SHARD_READ_BYTES_PER_SECOND = 2.0 * 1024 * 1024;
  /** A drain at this fraction of a ceiling or more is held back by that ceiling. */
  static final double NEAR_CEILING = 0.9;
  /** Growth above this is taken as this when deriving the arrival rate. */
  static final double MAX_GROWTH_FOR_ARRIVAL = 0.999;

  private static final Logger log = LoggerFactory.getLogger(BacklogMonitor.class);

  private final Clock clock;
  private final BacklogMonitorSettings settings;
  private final Duration minSpacing;
  private final Map<String, ShardPosition> shards = new HashMap<>();
  private final ArrayDeque<Sample> samples = new ArrayDeque<>();
  private Duration retention;
  private double writeBudget;
  private long records;
  private long bytes;
  private long writeUnits;
  private long tableThrottles;
  private long readCalls;
  private long readThrottles;
  private double lastArrival;
  private RiskLevel held = RiskLevel.OK;
  private Instant lowerSince;
  private RiskLevel calmPeak;
  private long levelChanges;
  private Assessment latest;

  public BacklogMonitor(Clock clock, BacklogMonitorSettings settings) {
    if (clock == null) {
      throw new InvalidFieldException("monitor.clock", null, "required");
    }
    if (settings == null) {
      throw new InvalidFieldException("monitor.settings", null, "required");
    }
    this.clock = clock;
    this.settings = settings;
    this.minSpacing = settings.window().dividedBy(settings.maxSamples());
    this.latest = Assessment.unknown(clock.now(), held, Duration.ZERO);
  }

  /** The stream's retention (from DescribeStreamSummary); no forecast is made until it is known. */
  public synchronized void retention(Duration streamRetention) {
    if (streamRetention == null || streamRetention.isNegative() || streamRetention.isZero()) {
      throw new InvalidFieldException("monitor.retention", streamRetention, "a positive duration");
    }
    this.retention = streamRetention;
  }

  /**
   * One batch processed on a shard.
   *
   * @param oldestArrival approximate arrival of the batch's first (oldest) record: the shard's
   *     iterator age is now minus it (never negative), growing until the shard's next report; an
   *     empty batch at the tip is reported with {@link #caughtUp} instead
   */
  public synchronized void processed(String shardId, Instant oldestArrival, int batchRecords, long batchBytes) {
    requireShard(shardId);
    if (oldestArrival == null) {
      throw new InvalidFieldException("monitor.oldestArrival", null, "required");
    }
    if (batchRecords < 0) {
      throw new InvalidFieldException("monitor.records", batchRecords, ">= 0");
    }
    if (batchBytes < 0) {
      throw new InvalidFieldException("monitor.bytes", batchBytes, ">= 0");
    }
    shards.put(shardId, ShardPosition.behind(oldestArrival));
    records += batchRecords;
    bytes += batchBytes;
  }

  /** The shard has nothing left to read (millisBehindLatest 0, or an empty batch): its age is zero. */
  public synchronized void caughtUp(String shardId) {
    requireShard(shardId);
    shards.put(shardId, ShardPosition.CAUGHT_UP);
  }

  /** The shard ended or its lease was lost: its age no longer counts. */
  public synchronized void shardClosed(String shardId) {
    requireShard(shardId);
    shards.remove(shardId);
  }

  /** The write budget the consumers are paced to, in write units per second. */
  public synchronized void writeBudget(double unitsPerSecond) {
    if (!(unitsPerSecond > 0) || Double.isInfinite(unitsPerSecond)) {
      throw new InvalidFieldException("monitor.writeBudget", unitsPerSecond, "a finite rate > 0");
    }
    this.writeBudget = unitsPerSecond;
  }

  /** Write units the consumers' puts were charged. */
  public synchronized void writeUnits(long units) {
    if (units < 0) {
      throw new InvalidFieldException("monitor.writeUnits", units, ">= 0");
    }
    writeUnits += units;
  }

  /** Puts the table refused for its capacity (throttled attempts), however the consumer retried them. */
  public synchronized void tableThrottles(long throttled) {
    if (throttled < 0) {
      throw new InvalidFieldException("monitor.tableThrottles", throttled, ">= 0");
    }
    tableThrottles += throttled;
  }

  /** GetRecords calls made, and how many of them the shard's read limits throttled. */
  public synchronized void reads(long calls, long throttled) {
    if (calls < 0) {
      throw new InvalidFieldException("monitor.readCalls", calls, ">= 0");
    }
    if (throttled < 0 || throttled > calls) {
      throw new InvalidFieldException("monitor.readThrottles", throttled, "0.." + calls + " (the calls made)");
    }
    readCalls += calls;
    readThrottles += throttled;
  }

  /** Each shard's iterator age now, by shard id. */
  public synchronized Map<String, Duration> iteratorAges() {
    Instant now = clock.now();
    Map<String, Duration> ages = new TreeMap<>();
    shards.forEach((id, position) -> ages.put(id, position.age(now)));
    return Collections.unmodifiableMap(ages);
  }

  /** How many times the held level has changed (each change logged one line). */
  public synchronized long levelChanges() {
    return levelChanges;
  }

  /** The last assessment, without making a new one: for gauges that read several of its numbers. */
  public synchronized Assessment latest() {
    return latest;
  }

  /** How many samples the window holds now (for tests of the memory bound). */
  synchronized int samplesHeld() {
    return samples.size();
  }

  /** Samples the backlog, forecasts, and moves the held level (logging a change). */
  public Assessment assess() {
    Assessment assessment;
    RiskLevel from;
    synchronized (this) {
      Instant now = clock.now();
      Duration oldest = oldestAge(now);
      record(new Sample(now, seconds(oldest), records, bytes, writeUnits, tableThrottles, readCalls, readThrottles));
      assessment = forecast(now, oldest);
      from = held;
      if (assessment.known()) {
        hold(assessment.rawLevel(), now);
        assessment = assessment.withLevel(held);
      }
      if (held != from) {
        levelChanges++;
      }
      latest = assessment;
    }
    if (assessment.level().compareTo(from) > 0) {
      log.warn(assessment.describeChangeFrom(from));
    } else if (assessment.level().compareTo(from) < 0) {
      log.info(assessment.describeChangeFrom(from));
    }
    return assessment;
  }

  private Assessment forecast(Instant now, Duration oldest) {
    Sample first = samples.peekFirst();
    Sample last = samples.peekLast();
    double span = seconds(Duration.between(first.at(), last.at()));
    if (span <= 0) {
      return Assessment.unknown(now, held, oldest);
    }
    double drain = (last.records() - first.records()) / span;
    double growth = ageSlope();
    double arrival = lastArrival;
    if (drain == 0 && oldest.isZero()) {
      // caught up and idle: nothing arrived in the window, or it would be waiting or drained
      arrival = 0;
    } else if (drain > 0) {
      arrival = drain / (1 - Math.min(growth, MAX_GROWTH_FOR_ARRIVAL));
      lastArrival = arrival;
    }
    Bottleneck bottleneck = bottleneck(first, last, span);
    if (retention == null) {
      return new Assessment(now, false, held, held, oldest, growth, arrival, drain, Optional.empty(), Optional.empty(), 0, Optional.of(bottleneck), Recommendation.NONE);
    }
    double none = Double.POSITIVE_INFINITY;
    DrainLimits limits = switch (bottleneck) {
      case WRITE_CAPACITY -> new DrainLimits(none, none, drain);
      case SHARD_READS -> new DrainLimits(drain, none, none);
      case CONSUMERS -> new DrainLimits(none, drain, none);
    };
    BacklogObservation observation = new BacklogObservation(now, retention, oldest, arrival, limits);
    RetentionRiskForecast f = RetentionRiskForecast.forecast(observation, settings.policy(), settings.safeHorizon());
    return new Assessment(now, true, held, f.level(), oldest, growth, arrival, drain, f.timeToLoss(), f.projectedLossAt(),
        f.requiredDrainRate(), Optional.of(bottleneck), f.recommendation());
  }

  private Bottleneck bottleneck(Sample first, Sample last, double span) {
    BottleneckEvidence evidence = new BottleneckEvidence((last.writeUnits() - first.writeUnits()) / span,
        writeBudget > 0 ? writeBudget : Double.POSITIVE_INFINITY, last.tableThrottles() - first.tableThrottles(),
        last.readCalls() - first.readCalls(), last.readThrottles() - first.readThrottles());
    Bottleneck named = evidence.bottleneck();
    double bytesPerSecond = (last.bytes() - first.bytes()) / span;
    if (named == Bottleneck.CONSUMERS && last.readCalls() == first.readCalls() && !shards.isEmpty()
        && bytesPerSecond >= NEAR_CEILING * shards.size() * SHARD_READ_BYTES_PER_SECOND) {
      // no read counts: reads at the shards' byte ceiling say the same
      return Bottleneck.SHARD_READS;
    }
    return named;
  }

  /** Up at once; down only after the raw level stayed lower for the calm-down, to the highest level seen meanwhile. */
  private void hold(RiskLevel raw, Instant now) {
    if (raw.compareTo(held) >= 0) {
      held = raw;
      lowerSince = null;
      return;
    }
    if (lowerSince == null) {
      lowerSince = now;
      calmPeak = raw;
    } else if (raw.compareTo(calmPeak) > 0) {
      calmPeak = raw;
    }
    if (Duration.between(lowerSince, now).compareTo(settings.calmDown()) >= 0) {
      held = calmPeak;
      lowerSince = null;
    }
  }

  private Duration oldestAge(Instant now) {
    Duration oldest = Duration.ZERO;
    for (ShardPosition position : shards.values()) {
      Duration age = position.age(now);
      if (age.compareTo(oldest) > 0) {
        oldest = age;
      }
    }
    return oldest;
  }

  /**
   * Adds a sample. The newest sample is provisional while it is closer than the minimum spacing to
   * the one before it (the next sample replaces it); samples are then dropped from the front while
   * the second one is already outside the window (so the first marks the window's start), and past
   * the count limit.
   */
  private void record(Sample sample) {
    if (samples.size() >= 2) {
      Sample newest = samples.pollLast();
      Sample before = samples.peekLast();
      if (Duration.between(before.at(), newest.at()).compareTo(minSpacing) >= 0) {
        samples.addLast(newest);
      }
    }
    samples.addLast(sample);
    Instant start = sample.at().minus(settings.window());
    while (samples.size() > 2) {
      Sample first = samples.pollFirst();
      if (samples.peekFirst().at().isAfter(start)) {
        samples.addFirst(first);
        break;
      }
    }
    while (samples.size() > settings.maxSamples()) {
      samples.pollFirst();
    }
  }

  /** Least-squares slope of the oldest age over the samples, in seconds per second (centred, for precision). */
  private double ageSlope() {
    Instant origin = samples.peekFirst().at();
    double meanT = 0;
    double meanAge = 0;
    for (Sample s : samples) {
      meanT += seconds(Duration.between(origin, s.at()));
      meanAge += s.ageSeconds();
    }
    meanT /= samples.size();
    meanAge /= samples.size();
    double covariance = 0;
    double variance = 0;
    for (Sample s : samples) {
      double dt = seconds(Duration.between(origin, s.at())) - meanT;
      covariance += dt * (s.ageSeconds() - meanAge);
      variance += dt * dt;
    }
    return variance > 0 ? covariance / variance : 0;
  }

  private static void requireShard(String shardId) {
    if (shardId == null || shardId.isEmpty()) {
      throw new InvalidFieldException("monitor.shardId", shardId, "a non-empty shard id");
    }
  }

  static double seconds(Duration d) {
    return d.getSeconds() + d.getNano() / 1e9;
  }

  /**
   * Where a shard's reading stands: behind since the arrival of its last batch's oldest record, or
   * caught up (no arrival: nothing is waiting).
   */
  private record ShardPosition(Instant oldestArrival) {
    static final ShardPosition CAUGHT_UP = new ShardPosition(null);

    static ShardPosition behind(Instant oldestArrival) {
      return new ShardPosition(oldestArrival);
    }

    Duration age(Instant now) {
      if (oldestArrival == null || !now.isAfter(oldestArrival)) {
        return Duration.ZERO;
      }
      return Duration.between(oldestArrival, now);
    }
  }

  /** The backlog at one instant, with the running totals to take rates from. */
  private record Sample(Instant at, double ageSeconds, long records, long bytes, long writeUnits, long tableThrottles, long readCalls,
      long readThrottles) {}

  /**
   * One assessment of the backlog. Rates are in records per second.
   *
   * @param known whether a forecast was made: false until the retention is known and the window
   *     holds two samples; then the raw level equals the held one, no loss is projected, and the
   *     rates are zero while fewer than two samples exist
   * @param level the held level, after hysteresis
   * @param rawLevel the level this assessment's forecast alone gives
   * @param oldestAge the largest iterator age over the shards
   * @param ageGrowthPerSecond the measured slope of the oldest age over the window; the projection
   *     grows the age by 1 − d/a, which equals it except when nothing drained (then 1) or past the
   *     cap on the arrival estimate
   * @param arrivalRate the arrival rate derived from the drain and the age growth
   * @param drainRate records processed per second over the window
   * @param timeToLoss when records start expiring unread; empty when no loss is projected
   * @param requiredDrainRate the drain that would push loss past the safe horizon
   * @param bottleneck the limit the drain is attributed to (empty before two samples)
   */
  public record Assessment(
      Instant at,
      boolean known,
      RiskLevel level,
      RiskLevel rawLevel,
      Duration oldestAge,
      double ageGrowthPerSecond,
      double arrivalRate,
      double drainRate,
      Optional<Duration> timeToLoss,
      Optional<Instant> projectedLossAt,
      double requiredDrainRate,
      Optional<Bottleneck> bottleneck,
      Recommendation recommendation) {

    static Assessment unknown(Instant at, RiskLevel held, Duration oldestAge) {
      return new Assessment(at, false, held, held, oldestAge, 0, 0, 0, Optional.empty(), Optional.empty(), 0, Optional.empty(), Recommendation.NONE);
    }

    Assessment withLevel(RiskLevel heldLevel) {
      return new Assessment(at, known, heldLevel, rawLevel, oldestAge, ageGrowthPerSecond, arrivalRate, drainRate, timeToLoss, projectedLossAt,
          requiredDrainRate, bottleneck, recommendation);
    }

    /** Seconds until loss for a gauge: +∞ when no loss is projected (Prometheus reads it as +Inf). */
    public double secondsToLoss() {
      return timeToLoss.map(BacklogMonitor::seconds).orElse(Double.POSITIVE_INFINITY);
    }

    public double oldestAgeSeconds() {
      return seconds(oldestAge);
    }

    /** The held level for a gauge: 0 OK, 1 WATCH, 2 CRITICAL, 3 LOSS. */
    public double levelValue() {
      return level.ordinal();
    }

    public double rawLevelValue() {
      return rawLevel.ordinal();
    }

    /** The log line for a change of the held level. */
    String describeChangeFrom(RiskLevel from) {
      String loss = timeToLoss
          .map(t -> "loss in " + readable(t) + projectedLossAt.map(i -> " (at " + i + ")").orElse(""))
          .orElse("no loss projected");
      return String.format(Locale.ROOT, "retention risk %s (was %s): %s, oldest record %s old growing %.3f s/s, drain %.1f/s of %.1f/s arriving, needs %.1f/s; %s%s",
          level, from, loss, readable(oldestAge), ageGrowthPerSecond, drainRate, arrivalRate, requiredDrainRate, recommendation,
          bottleneck.map(b -> " (bottleneck " + b + ")").orElse(""));
    }

    private static String readable(Duration d) {
      return d.withNanos(0).toString().substring(2).toLowerCase(Locale.ROOT);
    }
  }
}
