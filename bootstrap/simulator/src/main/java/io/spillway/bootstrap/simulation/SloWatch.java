package io.spillway.bootstrap.simulation;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Settles a run early once it can no longer meet an {@link Slo}, so that a capacity search does not
 * simulate the rest of a day it already knows the answer to. Only certain failures stop a run: a
 * job whose computation would have ended more than the target (plus a minute's margin) before now
 * and that is not yet available within the target is late whatever happens next, so once more
 * jobs are known late than the p99 allows — or one is known past the stall limit — the run fails.
 * A run that could still meet the level always runs to its end, so a search's passes are full runs.
 */
final class SloWatch {
  /** Turns that sleep run ahead of the loop; a minute's margin keeps a job they are about to finish from counting as late. */
  static final Duration MARGIN = Duration.ofMinutes(1);

  private final Slo slo;
  private final Instant start;
  /** Each job's natural end (arrival + events / emit rate), sorted, in milliseconds since the run's start. */
  private final long[] naturalEnds;
  /** How many jobs may be later than the target while the p99 still meets it. */
  private final int lateAllowed;
  private String settled;

  SloWatch(Slo slo, List<JobSchedule.Planned> schedule, Instant start, Instant end) {
    this.slo = slo;
    this.start = start;
    this.naturalEnds = schedule.stream().filter(p -> p.arrival().isBefore(end))
        .mapToLong(p -> Duration.between(start, p.naturalEnd()).toMillis()).sorted().toArray();
    int n = naturalEnds.length;
    this.lateAllowed = n - (int) Math.ceil(0.99 * n);
  }

  /** Whether the run has already failed by {@code now}; remembers why. */
  boolean settledAt(Instant now, ArchitectureRun run) {
    if (settled != null) {
      return true;
    }
    if (run.result.eventsLost() > 0) {
      settled = String.format(Locale.ROOT, "lost events by %s (run stopped there)", clock(now));
      return true;
    }
    long late = knownLate(now, slo.p99Seconds(), lateAllowed, run);
    if (late > lateAllowed) {
      settled = String.format(Locale.ROOT, "%,d jobs already later than the %,.0f s target by %s, more than the p99 allows (%,d of %,d; run stopped there)",
          late, slo.p99Seconds(), clock(now), lateAllowed, naturalEnds.length);
      return true;
    }
    if (knownLate(now, slo.stallLimitSeconds(), 0, run) > 0) {
      settled = String.format(Locale.ROOT, "a job already past the %,.0f s stall limit by %s (run stopped there)", slo.stallLimitSeconds(), clock(now));
      return true;
    }
    return false;
  }

  /** Why the run was stopped, or null if it ran to its end. */
  String reason() {
    return settled;
  }

  /**
   * At least this many jobs will end later than {@code limitSeconds}: those whose deadline (natural
   * end + limit + margin) has passed, less those already available within the limit. Counts the
   * available jobs only when more than {@code allowed} deadlines have passed (else nothing can be settled).
   */
  private long knownLate(Instant now, double limitSeconds, int allowed, ArchitectureRun run) {
    long cutoff = Duration.between(start, now).toMillis() - Math.round(limitSeconds * 1000) - MARGIN.toMillis();
    int pastDeadline = upperBound(naturalEnds, cutoff);
    if (pastDeadline <= allowed) {
      return pastDeadline;
    }
    long onTime = 0;
    for (double a : run.availabilitySoFar()) {
      if (a <= limitSeconds) onTime++;
    }
    return pastDeadline - onTime;
  }

  /** How many of the sorted {@code values} are below {@code cutoff}. */
  private static int upperBound(long[] values, long cutoff) {
    int i = Arrays.binarySearch(values, cutoff);
    if (i < 0) return -i - 1;
    while (i > 0 && values[i - 1] == cutoff) i--;
    return i;
  }

  private String clock(Instant now) {
    long s = Duration.between(start, now).toSeconds();
    return String.format(Locale.ROOT, "%02d:%02d", s / 3600, s % 3600 / 60);
  }
}
