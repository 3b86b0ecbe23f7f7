package io.spillway.bootstrap.simulation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The verdict line on constructed results: one case per way a run can meet or miss the target. */
class VerdictTest {

  @Test
  void aRunWithEveryJobInsideTheTargetAndNothingLostMeetsIt() {
    ArchitectureResult a = result(10, 10, 0, List.of(0.8, 2.0, 73.3), 0, 0);

    assertThat(Verdict.of(a, 300)).isEqualTo("p99 73.3 s: meets the 300 s target with nothing lost");
  }

  @Test
  void backpressureThatHeldTheTargetStillShowsTheStall() {
    ArchitectureResult a = result(10, 10, 0, List.of(0.8, 241.4), 0, 1_520.2);

    assertThat(Verdict.of(a, 300)).isEqualTo("p99 241.4 s: meets the 300 s target with nothing lost (computation stalled 1,520 s)");
  }

  @Test
  void aP99PastTheTargetMissesItAndSaysHowLongComputationStalled() {
    ArchitectureResult a = result(10, 10, 0, List.of(0.8, 120.0, 990.7), 0, 35_125.4);

    assertThat(Verdict.of(a, 300)).isEqualTo("p99 991 s: misses the 300 s target; computation stalled 35,125 s");
  }

  @Test
  void lostEventsComeFirstWithTheJobsTheyLeftIncomplete() {
    ArchitectureResult a = result(10, 8, 2, List.of(1.0, 2.0), 1_234_567, 0);

    assertThat(Verdict.of(a, 300)).isEqualTo("lost 1,234,567 events (2 jobs incomplete)");
  }

  @Test
  void jobsStillOpenWhenTheRunEndsAreNamed() {
    ArchitectureResult a = result(10, 7, 0, List.of(1.0, 2.0), 0, 0);

    assertThat(Verdict.of(a, 300)).isEqualTo("3 jobs unfinished when the run ended");
  }

  private static ArchitectureResult result(int arrived, int completed, int incomplete, List<Double> availability, long lost, double stalled) {
    ArchitectureResult a = new ArchitectureResult("test");
    a.jobsArrived = arrived;
    a.jobsCompleted = completed;
    a.jobsIncomplete = incomplete;
    a.availabilitySeconds.addAll(availability);
    a.eventsLost = lost;
    a.producerStalledSeconds = stalled;
    return a;
  }
}
