package io.spillway.bootstrap.simulation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The shipped scenarios tell the seed's story: asserted on the summaries, not on fixed numbers. */
class NamedScenariosTest {

  @Test
  void smallCaseStudySpillwayCarriesFiveHundredJobsADayWithinTheTargetAndItemPerEventDoesWorse() {
    Scenario s = ScenarioLoader.named("case-study-small");
    Simulation.Report r = new Simulation(s).run(Progress.silent());
    ArchitectureResult spillway = r.architecture("spillway");
    ArchitectureResult items = r.architecture("item-per-event");

    assertThat(spillway.jobsCompleted() / s.days).isGreaterThanOrEqualTo(500);
    assertThat(spillway.availabilityPercentile(99)).isLessThan(300);
    assertThat(spillway.eventsLost()).isZero();
    boolean worse = items.jobsCompleted() < spillway.jobsCompleted()
        || items.availabilityPercentile(99) > spillway.availabilityPercentile(99);
    assertThat(worse).as("item-per-event p99 %s s, %s jobs against spillway's %s s, %s jobs", items.availabilityPercentile(99),
        items.jobsCompleted(), spillway.availabilityPercentile(99), spillway.jobsCompleted()).isTrue();
    assertThat(spillway.eventsProduced()).isEqualTo(spillway.eventsStored() + spillway.eventsInFlight());
    // a table that keeps up lets the direct writers finish too: a run whose jobs never complete has lost its availability path
    ArchitectureResult direct = r.architecture("direct-chunked");
    assertThat(direct.eventsLost()).isZero();
    assertThat(direct.jobsCompleted()).as("direct-chunked jobs completed").isEqualTo(direct.jobsArrivedCount());
  }

  @Test
  void smallCaseStudyFitsTheLegacyPrimaryOnAverageButItsBurstsStallTheJobsPastTheTarget() {
    Scenario s = ScenarioLoader.named("case-study-small");
    Simulation.Report r = new Simulation(s).run(List.of("legacy-rdbms", "spillway"), Progress.silent());
    ArchitectureResult legacy = r.architecture("legacy-rdbms");
    ArchitectureResult spillway = r.architecture("spillway");

    // ~142 M rows a day is ~1,650 rows/s on average, well under the 7,500 rows/s ceiling: every job finishes within the day
    double averageRowsPerSecond = legacy.eventsProduced() / (s.days * 86_400);
    assertThat(averageRowsPerSecond).isLessThan(s.legacy.writeRowsPerSecond);
    assertThat(legacy.jobsCompleted()).isEqualTo(legacy.jobsArrivedCount());
    assertThat(legacy.eventsLost()).isZero();
    assertThat(legacy.eventsProduced()).isEqualTo(legacy.eventsStored() + legacy.eventsInFlight());
    // but the bursts ask for many times the ceiling at once: the computations wait on their INSERTs and the tail misses the target
    assertThat(legacy.timeline().stream().mapToDouble(TimelineRow::writeUnitsPerSecond).max().orElseThrow())
        .as("the primary saturates").isEqualTo(s.legacy.writeRowsPerSecond);
    assertThat(legacy.producerStalledSeconds()).isPositive();
    assertThat(legacy.availabilityPercentile(99)).as("legacy p99 against the target")
        .isGreaterThan(s.availabilityTargetSeconds).isGreaterThan(spillway.availabilityPercentile(99));
  }

  @Test
  void retentionExpiryLosesRecordsAndTheAlarmFiresBeforeTheFirstLoss() {
    Scenario s = ScenarioLoader.named("retention-expiry");
    ArchitectureResult spillway = new Simulation(s).run(List.of("spillway"), Progress.silent()).architecture("spillway");

    assertThat(spillway.eventsLost()).isPositive();
    assertThat(spillway.jobsIncomplete()).isPositive();
    assertThat(spillway.firstAlarmAt()).isNotNull();
    assertThat(spillway.firstAlarmAt()).isBefore(spillway.firstLossAt());
    assertThat(spillway.alarmLeadTimeSeconds()).isPositive();
    assertThat(spillway.eventsProduced()).isEqualTo(spillway.eventsStored() + spillway.eventsLost() + spillway.eventsInFlight());
    assertThat(spillway.eventsBothStoredAndLost()).isZero();
  }

  @Test
  void producerOverloadIsHeldBackByBackpressureWithinTheBufferBound() {
    Scenario bounded = ScenarioLoader.named("producer-overload");
    Scenario unbounded = ScenarioLoader.named("producer-overload");
    unbounded.producers.bufferMegabytes = 4_096;

    ArchitectureResult held = new Simulation(bounded).run(List.of("spillway"), Progress.silent()).architecture("spillway");
    ArchitectureResult free = new Simulation(unbounded).run(List.of("spillway"), Progress.silent()).architecture("spillway");

    long bound = held.producerBufferBoundBytes();
    // the bound covers buffered and reserved chunks; linger cuts of events accepted earlier may add to it
    assertThat(held.maxProducerBufferBytes()).isLessThanOrEqualTo(2 * bound);
    assertThat(free.maxProducerBufferBytes()).as("without the bound the same burst piles up past it").isGreaterThan(2 * bound);
    assertThat(held.producerStalledSeconds()).as("the jobs' computations waited instead").isPositive();
    assertThat(held.eventsLost()).isZero();
    assertThat(held.eventsProduced()).isEqualTo(held.eventsStored() + held.eventsInFlight());
  }

  @Test
  void aPlanFromTheSeedWorkloadSimulatesWithNothingLostAndTheTargetMet() {
    Scenario s = ScenarioLoader.named("case-study-small");
    Planner.Plan plan = Planner.plan(s);
    Scenario planned = plan.applyTo(ScenarioLoader.named("case-study-small"));

    ArchitectureResult spillway = new Simulation(planned).run(List.of("spillway"), Progress.silent()).architecture("spillway");

    assertThat(plan.shards()).isPositive();
    assertThat(spillway.eventsLost()).isZero();
    assertThat(spillway.jobsCompleted()).isEqualTo(spillway.jobsArrivedCount());
    assertThat(spillway.availabilityPercentile(99)).isLessThanOrEqualTo(planned.availabilityTargetSeconds);
  }
}
