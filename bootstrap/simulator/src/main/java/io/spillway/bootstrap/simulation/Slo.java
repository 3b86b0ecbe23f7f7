package io.spillway.bootstrap.simulation;

import io.spillway.domain.InvalidFieldException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The service level a capacity search holds an architecture to: nothing lost, every job available
 * before the run ends, the p99 of availability within {@code p99Seconds} (as {@link Verdict} counts
 * it: at most the target) and no job later than {@code stallLimitSeconds} past the end of its
 * computation.
 */
public record Slo(double p99Seconds, double stallLimitSeconds) {
  /** A job an hour late has stalled, whatever the p99 says. */
  public static final double DEFAULT_STALL_LIMIT_SECONDS = 3_600;

  public Slo {
    if (!(p99Seconds >= 1 && p99Seconds <= 86_400)) {
      throw new InvalidFieldException("availabilityTargetSeconds", p99Seconds, "1.0..86400.0");
    }
    if (!(stallLimitSeconds >= p99Seconds && stallLimitSeconds <= 7 * 86_400)) {
      throw new InvalidFieldException("stallLimitSeconds", stallLimitSeconds, p99Seconds + "..604800.0 (at least the p99 target)");
    }
  }

  /** The scenario's availability target, and a stall limit of an hour (or the target, if longer). */
  public static Slo of(Scenario s) {
    return new Slo(s.availabilityTargetSeconds, Math.max(DEFAULT_STALL_LIMIT_SECONDS, s.availabilityTargetSeconds));
  }

  /** Null when the finished run meets this level, else what it missed first. */
  String problem(ArchitectureResult a) {
    if (a.eventsLost() > 0) {
      return String.format(Locale.ROOT, "lost %,d events", a.eventsLost());
    }
    if (a.jobsIncomplete() > 0) {
      return String.format(Locale.ROOT, "%,d jobs incomplete", a.jobsIncomplete());
    }
    int unfinished = a.jobsArrivedCount() - a.jobsCompleted() - a.jobsIncomplete();
    if (unfinished > 0) {
      return String.format(Locale.ROOT, "%,d jobs unfinished when the run ended", unfinished);
    }
    if (a.jobsCompleted() == 0) {
      return null;
    }
    double p99 = a.availabilityPercentile(99);
    if (p99 > p99Seconds) {
      return String.format(Locale.ROOT, "p99 %,.1f s over the %,.0f s target", p99, p99Seconds);
    }
    double max = a.availabilityPercentile(100);
    if (max > stallLimitSeconds) {
      return String.format(Locale.ROOT, "a job available %,.0f s late, past the %,.0f s stall limit", max, stallLimitSeconds);
    }
    return null;
  }

  public Map<String, Object> toJson() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("availabilityP99AtMostSeconds", p99Seconds);
    m.put("stallLimitSeconds", stallLimitSeconds);
    m.put("eventsLost", 0);
    m.put("jobsUnfinished", 0);
    return m;
  }
}
