package io.spillway.bootstrap.simulation;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The one line an operator reads first about an architecture's run: did it meet the availability
 * target, and if not, what went wrong — events lost, jobs left unfinished, a p99 past the target
 * and the computation it stalled. Computed from the result alone, so it is as deterministic as the run.
 */
public final class Verdict {
  private Verdict() {}

  /** The verdict for {@code a} against {@code targetSeconds} (the scenario's availability target). */
  public static String of(ArchitectureResult a, double targetSeconds) {
    List<String> problems = new ArrayList<>();
    if (a.eventsLost() > 0) {
      problems.add(String.format(Locale.ROOT, "lost %,d events", a.eventsLost())
          + (a.jobsIncomplete() > 0 ? String.format(Locale.ROOT, " (%,d jobs incomplete)", a.jobsIncomplete()) : ""));
    }
    int unfinished = a.jobsArrivedCount() - a.jobsCompleted() - a.jobsIncomplete();
    if (unfinished > 0) {
      problems.add(String.format(Locale.ROOT, "%,d jobs unfinished when the run ended", unfinished));
    }
    double p99 = a.availabilityPercentile(99);
    boolean misses = Double.isNaN(p99) ? a.jobsArrivedCount() > 0 : p99 > targetSeconds;
    if (misses) {
      problems.add(Double.isNaN(p99)
          ? String.format(Locale.ROOT, "no job became available: misses the %,.0f s target", targetSeconds)
          : String.format(Locale.ROOT, "p99 %,.0f s: misses the %,.0f s target", p99, targetSeconds));
    }
    if (!problems.isEmpty() && a.producerStalledSeconds() >= 0.5) {
      problems.add(String.format(Locale.ROOT, "computation stalled %,.0f s", a.producerStalledSeconds()));
    }
    if (problems.isEmpty()) {
      return Double.isNaN(p99)
          ? String.format(Locale.ROOT, "meets the %,.0f s target with nothing lost (no jobs arrived)", targetSeconds)
          : String.format(Locale.ROOT, "p99 %,.1f s: meets the %,.0f s target with nothing lost", p99, targetSeconds)
              // backpressure that held the target still cost the jobs time: failure mode 1 contained, not absent
              + (a.producerStalledSeconds() >= 0.5 ? String.format(Locale.ROOT, " (computation stalled %,.0f s)", a.producerStalledSeconds()) : "");
    }
    return String.join("; ", problems);
  }
}
