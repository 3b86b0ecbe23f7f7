package io.spillway.domain.risk;

import io.spillway.domain.InvalidFieldException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Optional;

/**
 * The backlog's recent history, fed one sample at a time, and the loss time it projects.
 *
 * <p>A sample is what an operator's dashboards give: the age of the oldest unconsumed record
 * (iterator age) and two running totals in one unit (bytes or records) — what has arrived on the
 * stream (IncomingBytes) and what the consumers have drained (checkpointed). Over a sliding
 * {@code window} it measures the arrival rate, the drain rate and the least-squares slope of the
 * age; over the retention it keeps when the backlog arrived, in at most {@value #MAX_BUCKETS}
 * buckets, so memory does not grow with time.
 *
 * <p>Why the history and not the brief's closed form alone: the oldest record's age grows at
 * 1 − d/a(τ), where a(τ) is the arrival rate <em>when that record arrived</em>, not now. A backlog
 * built during business hours and drained through the night ages at rates the current arrival rate
 * does not show, and a projection from today's rates alone swings with the time of day. Walking the
 * drain d through the arrivals already waiting gives the loss time the backlog will actually meet
 * if d holds; past the arrivals already seen, arrivals are projected at the mean rate of the kept
 * history. With constant arrivals it is the closed form (retention − A) / (1 − d/a).
 */
public final class BacklogTrend {
  /** Bound on the arrival buckets kept: the retention is divided into at most this many. */
  public static final int MAX_BUCKETS = 1440;

  private final Duration retention;
  private final Duration window;
  private final long bucketNanos;
  private final ArrayDeque<Sample> samples = new ArrayDeque<>();
  /** Arrivals per bucket, oldest first; the last bucket starts at {@code lastBucketStart}. */
  private final ArrayDeque<double[]> buckets = new ArrayDeque<>();
  private long lastBucketStart;
  private Sample latest;
  private Instant firstAt;

  /** One observation: the oldest record's age and the running totals arrived and drained. */
  public record Sample(Instant at, Duration oldestAge, double arrived, double drained) {
    public Sample {
      if (at == null) throw new InvalidFieldException("trend.at", null, "required");
      if (oldestAge == null || oldestAge.isNegative()) throw new InvalidFieldException("trend.oldestAge", oldestAge, "zero or more");
      if (!(arrived >= 0) || Double.isInfinite(arrived)) throw new InvalidFieldException("trend.arrived", arrived, "a finite total >= 0");
      if (!(drained >= 0) || Double.isInfinite(drained)) throw new InvalidFieldException("trend.drained", drained, "a finite total >= 0");
    }
  }

  /**
   * What the trend says now: rates in the samples' unit per second, the age's slope in seconds per
   * second, and when loss begins if the drain holds (empty: never).
   */
  public record Projection(Instant at, Duration oldestAge, double ageSlope, double arrivalRate, double drainRate,
      double meanArrivalRate, Optional<Instant> lossAt) {
    /** Time from this projection to the projected loss; zero once loss has begun. */
    public Optional<Duration> timeToLoss() {
      return lossAt.map(l -> l.isAfter(at) ? Duration.between(at, l) : Duration.ZERO);
    }
  }

  public BacklogTrend(Duration retention, Duration window) {
    if (retention == null || retention.isNegative() || retention.isZero()) {
      throw new InvalidFieldException("trend.retention", retention, "a positive duration");
    }
    if (window == null || window.isNegative() || window.isZero()) {
      throw new InvalidFieldException("trend.window", window, "a positive duration");
    }
    this.retention = retention;
    this.window = window;
    this.bucketNanos = Math.max(1_000_000_000L, Math.min(Long.MAX_VALUE / 4, retention.toNanos() / MAX_BUCKETS));
  }

  public Duration retention() {
    return retention;
  }

  /** Adds a sample; samples must come in time order, totals must not decrease. */
  public void observe(Sample s) {
    if (latest != null) {
      if (s.at().isBefore(latest.at())) {
        throw new InvalidFieldException("trend.at", s.at(), "not before the last sample (" + latest.at() + ")");
      }
      if (s.arrived() < latest.arrived() || s.drained() < latest.drained()) {
        throw new InvalidFieldException("trend.totals", s.arrived() + "/" + s.drained(), "not below the last sample's");
      }
      spread(latest.at(), s.at(), s.arrived() - latest.arrived());
    } else {
      firstAt = s.at();
      lastBucketStart = floorBucket(nanos(s.at()));
      buckets.addLast(new double[] {0});
    }
    latest = s;
    samples.addLast(s);
    Instant start = s.at().minus(window);
    // the first sample marks the window's start: drop it only while the next one is already past it
    while (samples.size() > 2) {
      Sample first = samples.pollFirst();
      if (samples.peekFirst().at().isAfter(start)) {
        samples.addFirst(first);
        break;
      }
    }
  }

  /** The projection from the samples so far; empty before two samples span some time. */
  public Optional<Projection> project() {
    if (samples.size() < 2) {
      return Optional.empty();
    }
    Sample first = samples.peekFirst();
    double span = seconds(Duration.between(first.at(), latest.at()));
    if (span <= 0) {
      return Optional.empty();
    }
    double arrival = (latest.arrived() - first.arrived()) / span;
    double drain = (latest.drained() - first.drained()) / span;
    double mean = meanArrivalRate();
    return Optional.of(new Projection(latest.at(), latest.oldestAge(), ageSlope(), arrival, drain, mean,
        lossAt(latest.at(), latest.oldestAge(), drain, mean)));
  }

  /**
   * When the oldest record's age reaches the retention if the drain stays at {@code drain}: walks
   * the drain through the arrivals kept since the oldest record arrived, then through arrivals at
   * {@code futureArrival}. Empty when the drain catches up first.
   */
  Optional<Instant> lossAt(Instant now, Duration oldestAge, double drain, double futureArrival) {
    double r = seconds(retention);
    double age = seconds(oldestAge);
    if (age >= r) {
      return Optional.of(now);
    }
    if (drain <= 0) {
      return Optional.of(plusSeconds(now, r - age));
    }
    long nowN = nanos(now);
    double t = 0; // seconds after now
    double tau = -age; // the oldest unconsumed record's arrival, seconds relative to now
    double known = (historyStart() - nowN) / 1e9;
    if (tau < known) {
      // arrived before the history kept (the trend started late): taken at the mean rate
      double width = known - tau;
      double spent = futureArrival * width / drain;
      if (t + spent - known >= r) {
        return Optional.of(plusSeconds(now, (r - age) / (1 - width / spent)));
      }
      t += spent;
      tau = known;
    }
    long start = firstBucketStart();
    for (double[] b : buckets) {
      double from = Math.max(known, (start - nowN) / 1e9);
      double to = Math.min(0, (start + bucketNanos - nowN) / 1e9);
      start += bucketNanos;
      if (to <= tau || to <= from) {
        continue;
      }
      double width = to - Math.max(from, tau);
      double spent = b[0] * width / (to - from) / drain;
      double ageBefore = t - tau;
      if (t + spent - to >= r) {
        // a bucket's arrivals are taken as even, so the age grows linearly through it: 1 − width/spent per second
        return Optional.of(plusSeconds(now, t + (r - ageBefore) / (1 - width / spent)));
      }
      t += spent;
      tau = to;
    }
    // the arrivals already seen are drained; what comes next is projected at the mean rate
    if (futureArrival <= drain) {
      return Optional.empty();
    }
    return Optional.of(plusSeconds(now, t + (r - (t - tau)) / (1 - drain / futureArrival)));
  }

  /** Arrival per second over the arrivals kept (up to the retention), for projecting past them. */
  double meanArrivalRate() {
    double total = 0;
    for (double[] b : buckets) total += b[0];
    double span = (nanos(latest.at()) - historyStart()) / 1e9;
    return span > 0 ? total / span : 0;
  }

  private long firstBucketStart() {
    return lastBucketStart - (long) (buckets.size() - 1) * bucketNanos;
  }

  /** Since when arrivals are known: the first sample, or the oldest bucket kept. */
  private long historyStart() {
    return Math.max(nanos(firstAt), firstBucketStart());
  }

  /** Least-squares slope of the oldest age over the window's samples, seconds per second. */
  public double ageSlope() {
    if (samples.size() < 2) return 0;
    Instant origin = samples.peekFirst().at();
    double meanT = 0;
    double meanAge = 0;
    for (Sample s : samples) {
      meanT += seconds(Duration.between(origin, s.at()));
      meanAge += seconds(s.oldestAge());
    }
    meanT /= samples.size();
    meanAge /= samples.size();
    double cov = 0;
    double var = 0;
    for (Sample s : samples) {
      double dt = seconds(Duration.between(origin, s.at())) - meanT;
      cov += dt * (seconds(s.oldestAge()) - meanAge);
      var += dt * dt;
    }
    return var > 0 ? cov / var : 0;
  }

  /** Samples held for the window (bounded by the window over the sampling interval). */
  public int samplesHeld() {
    return samples.size();
  }

  /** Arrival buckets held (at most {@link #MAX_BUCKETS} + 1). */
  public int bucketsHeld() {
    return buckets.size();
  }

  /** Spreads what arrived between two samples evenly over the buckets of that interval. */
  private void spread(Instant from, Instant to, double amount) {
    long f = nanos(from);
    long t = nanos(to);
    long end = floorBucket(t);
    if ((end - lastBucketStart) / bucketNanos > MAX_BUCKETS + 1) {
      // a gap longer than the history: only its last buckets would be kept anyway
      buckets.clear();
      lastBucketStart = end - (long) (MAX_BUCKETS + 1) * bucketNanos;
      buckets.addLast(new double[] {0});
    }
    while (lastBucketStart < end) {
      lastBucketStart += bucketNanos;
      buckets.addLast(new double[] {0});
      if (buckets.size() > MAX_BUCKETS + 1) buckets.pollFirst();
    }
    if (t <= f) {
      buckets.peekLast()[0] += amount;
      return;
    }
    // walk back from the newest bucket, giving each its share of the interval
    long bucketStart = lastBucketStart;
    var it = buckets.descendingIterator();
    while (it.hasNext()) {
      double[] b = it.next();
      long lo = Math.max(f, bucketStart);
      long hi = Math.min(t, bucketStart + bucketNanos);
      if (hi > lo) b[0] += amount * (hi - lo) / (double) (t - f);
      if (bucketStart <= f) break;
      bucketStart -= bucketNanos;
    }
  }

  private long floorBucket(long n) {
    return Math.floorDiv(n, bucketNanos) * bucketNanos;
  }

  private static long nanos(Instant i) {
    return i.getEpochSecond() * 1_000_000_000L + i.getNano();
  }

  private static Instant plusSeconds(Instant i, double s) {
    if (s >= 1e15) s = 1e15;
    long whole = (long) Math.floor(s);
    return i.plusSeconds(whole).plusNanos(Math.round((s - whole) * 1e9));
  }

  static double seconds(Duration d) {
    return d.getSeconds() + d.getNano() / 1e9;
  }
}
