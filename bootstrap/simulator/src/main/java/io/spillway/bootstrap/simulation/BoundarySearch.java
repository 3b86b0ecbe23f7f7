package io.spillway.bootstrap.simulation;

import java.util.ArrayList;
import java.util.List;
import java.util.function.LongFunction;

/**
 * Finds where a run stops meeting its service level on a whole-number axis (jobs a day, write
 * units): bracketing from a start by a constant factor, then bisection until the last value that
 * met and the first that did not are within a relative resolution of each other. It assumes the
 * outcome changes once along the axis; where it does not, it reports the boundary its own probes
 * found (each probe is kept), never a value it did not try.
 */
final class BoundarySearch {
  /** The probes of a search, in the order they ran, and the boundary: the last value that met ({@code -1} if none did). */
  record Outcome(long value, CapacitySearch.Limit limit, List<CapacitySearch.Probe> probes) {}

  private BoundarySearch() {}

  /**
   * The largest value that meets when larger values are harder (load), or the smallest when smaller
   * values are harder (capacity).
   *
   * @param start the first value probed (clamped to the bounds)
   * @param factor the bracketing step, above 1: the next probe is the last one times (or over) it
   * @param floor the smallest value probed, at least 1
   * @param cap the largest value probed
   * @param resolution stop when the values that met and did not meet differ by at most this fraction of the one that met (or by 1)
   * @param harderUp true when larger values are harder to meet
   */
  static Outcome search(long start, double factor, long floor, long cap, double resolution, boolean harderUp,
      LongFunction<CapacitySearch.Probe> probe) {
    if (!(factor > 1) || floor < 1 || cap < floor || !(resolution > 0)) {
      throw new IllegalArgumentException("factor " + factor + ", floor " + floor + ", cap " + cap + ", resolution " + resolution);
    }
    List<CapacitySearch.Probe> probes = new ArrayList<>();
    long met = -1;
    long missed = -1;
    long x = Math.max(floor, Math.min(cap, start));
    if (run(probe, x, probes)) met = x; else missed = x;
    while (missed < 0) { // toward the hard side until a probe misses
      long next = harderUp ? Math.min(cap, (long) Math.ceil(met * factor)) : Math.max(floor, (long) Math.floor(met / factor));
      if (next == met) return new Outcome(met, CapacitySearch.Limit.MET_AT_BOUND, probes);
      if (run(probe, next, probes)) met = next; else missed = next;
    }
    while (met < 0) { // toward the easy side until a probe meets
      long next = harderUp ? Math.max(floor, (long) Math.floor(missed / factor)) : Math.min(cap, (long) Math.ceil(missed * factor));
      if (next == missed) return new Outcome(-1, CapacitySearch.Limit.NOT_MET_WITHIN_BOUNDS, probes);
      if (run(probe, next, probes)) met = next; else missed = next;
    }
    while (Math.abs(missed - met) > Math.max(1, resolution * met)) {
      long mid = Math.floorDiv(met + missed, 2);
      if (run(probe, mid, probes)) met = mid; else missed = mid;
    }
    return new Outcome(met, CapacitySearch.Limit.FOUND, probes);
  }

  private static boolean run(LongFunction<CapacitySearch.Probe> probe, long x, List<CapacitySearch.Probe> probes) {
    CapacitySearch.Probe p = probe.apply(x);
    probes.add(p);
    return p.meets();
  }
}
