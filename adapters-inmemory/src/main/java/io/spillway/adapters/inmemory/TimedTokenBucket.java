package io.spillway.adapters.inmemory;

import java.util.ArrayList;
import java.util.List;

/**
 * A token bucket (refilled continuously at {@code rate}, holding at most {@code capacity}) that
 * takes each grant at the grant's own time, even when calls arrive out of time order: it keeps the
 * grants of the last {@code horizonNanos} in time order with the level each left, so a late call
 * sees the tokens there were at its time, and is refused if taking them would leave a later grant
 * without the tokens it took. The grants it holds are therefore always ones a bucket meeting them in
 * time order would have made.
 *
 * <p>Times are nanoseconds on any fixed origin. A call older than the horizon (or than the last
 * {@linkplain #settle settling}) is taken at the oldest time kept.
 */
final class TimedTokenBucket {
  private static final double EPSILON = 1e-9;

  /** One grant: when, how much, and the level it left. */
  private static final class Grant {
    final long at;
    final double units;
    double after;

    Grant(long at, double units, double after) {
      this.at = at;
      this.units = units;
      this.after = after;
    }
  }

  private final long horizonNanos;
  private double rate;
  private double capacity;
  private long baseAt;
  private double baseLevel;
  /** Grants in time order (ties in call order); [head, size) are live, [0, head) settled and awaiting compaction. */
  private final List<Grant> grants = new ArrayList<>();
  private int head;

  TimedTokenBucket(double rate, double capacity, double level, long at, long horizonNanos) {
    this.rate = rate;
    this.capacity = capacity;
    this.baseLevel = level;
    this.baseAt = at;
    this.horizonNanos = horizonNanos;
  }

  /** The most that can be taken at {@code at} without leaving any grant already made short. */
  double room(long at) {
    long t = Math.max(at, baseAt);
    int i = insertionPoint(t);
    double room = levelBefore(i, t);
    for (int j = i; j < grants.size(); j++) {
      room = Math.min(room, grants.get(j).after);
    }
    return Math.max(0, room);
  }

  /** Takes {@code units} at {@code at} if {@link #room} allows; false (nothing taken) otherwise. */
  boolean tryTake(long at, double units) {
    if (room(at) + EPSILON < units) {
      return false;
    }
    take(at, units);
    return true;
  }

  /** Takes units that {@link #room} said were there. */
  void take(long at, double units) {
    long t = Math.max(at, baseAt);
    int i = insertionPoint(t);
    double level = levelBefore(i, t) - units;
    grants.add(i, new Grant(t, units, level));
    long prev = t;
    for (int j = i + 1; j < grants.size(); j++) {
      Grant g = grants.get(j);
      double after = refill(level, prev, g.at) - g.units;
      if (Math.abs(after - g.after) < EPSILON) {
        break; // the bucket filled up in between: what follows is unchanged
      }
      g.after = after;
      level = after;
      prev = g.at;
    }
    settleBefore(grants.get(grants.size() - 1).at - horizonNanos);
  }

  /**
   * Folds every grant into the level at {@code at} (or at the latest grant, if later) and changes
   * the rate and capacity from there: a rate change is not replayed into the past.
   */
  void settle(long at, double newRate, double newCapacity) {
    long latest = grants.size() > head ? grants.get(grants.size() - 1).at : baseAt;
    long t = Math.max(at, Math.max(latest, baseAt));
    baseLevel = Math.min(newCapacity, levelBefore(grants.size(), t));
    baseAt = t;
    grants.clear();
    head = 0;
    rate = newRate;
    capacity = newCapacity;
  }

  /** The level at {@code at} counting every grant at or before it. */
  double level(long at) {
    long t = Math.max(at, baseAt);
    return levelBefore(insertionPoint(t), t);
  }

  double rate() {
    return rate;
  }

  /** The level at {@code t} after the grants before index {@code i}. */
  private double levelBefore(int i, long t) {
    if (i == head) {
      return refill(baseLevel, baseAt, t);
    }
    Grant g = grants.get(i - 1);
    return refill(g.after, g.at, t);
  }

  private double refill(double level, long from, long to) {
    return to > from ? Math.min(capacity, level + (to - from) / 1e9 * rate) : level;
  }

  /** The index after every live grant at or before {@code t}. */
  private int insertionPoint(long t) {
    int lo = head;
    int hi = grants.size();
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (grants.get(mid).at <= t) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private void settleBefore(long horizon) {
    while (head < grants.size() - 1 && grants.get(head).at < horizon) {
      Grant g = grants.get(head++);
      baseAt = g.at;
      baseLevel = g.after;
    }
    if (head > 4096 && head > grants.size() / 2) {
      grants.subList(0, head).clear();
      head = 0;
    }
  }
}
