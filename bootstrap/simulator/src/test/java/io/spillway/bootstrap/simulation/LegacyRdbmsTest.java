package io.spillway.bootstrap.simulation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.spillway.domain.InvalidFieldException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The legacy primary takes rows at its ceiling and no faster, so a job's availability follows its load over the ceiling. */
class LegacyRdbmsTest {

  /** One job of a known size whose computation emits faster than the primary takes rows. */
  private static Scenario oneJob(long events, double eventsPerSecond, double ceiling) {
    Scenario s = Scenarios.small(3, 8, 1, 1_000);
    for (Scenario.JobClassSpec c : s.workload.classes) {
      c.eventsPerSecond = eventsPerSecond;
      c.eventsMedian = events;
      c.eventsSigma = 0;
    }
    s.legacy.writeRowsPerSecond = ceiling;
    return s.validate();
  }

  @Test
  void aJobFasterThanThePrimaryWritesAtTheCeilingAndIsAvailableAfterLoadOverCeiling() {
    Scenario s = oneJob(600_000, 20_000, 5_000);
    List<JobSchedule.Planned> schedule = JobSchedule.draw(s, Simulation.START);
    LegacyRdbmsRun run = new LegacyRdbmsRun(s, schedule, Simulation.START);
    ArchitectureResult legacy = run.run(Progress.silent());
    long events = schedule.get(0).events(); // about 600,000: the schedule rounds to whole blocks

    assertThat(legacy.jobsArrivedCount()).isEqualTo(1);
    assertThat(legacy.jobsCompleted()).isEqualTo(1);
    assertThat(run.peakRowsPerSecond()).as("rows a second never above the ceiling").isLessThanOrEqualTo(5_000);
    assertThat(legacy.timeline()).allSatisfy(r -> assertThat(r.writeUnitsPerSecond()).isLessThanOrEqualTo(5_000));
    // ~600,000 rows at 5,000/s take ~120 s; the computation alone would take ~30 s: available ~90 s after its natural end
    assertThat(legacy.availabilityPercentile(50)).isCloseTo(events / 5_000.0 - events / 20_000.0, within(2.0));
    assertThat(legacy.producerStalledSeconds()).as("the computation waited on its INSERTs").isCloseTo(90, within(2.0));
    assertThat(legacy.eventsStored()).isEqualTo(events);
    assertThat(legacy.monthlyCost()).isEqualTo(s.prices.rdbmsInstanceMonth);
  }

  @Test
  void jobsTogetherShareTheCeilingSoTheirRowsASecondNeverExceedIt() {
    Scenario s = Scenarios.small(11, 300, 1, 1_000);
    s.workload.bursts.add(burst(1, 40));
    s.legacy.writeRowsPerSecond = 2_000;
    s.legacy.rowsPerTransaction = 500;
    s.validate();
    LegacyRdbmsRun run = new LegacyRdbmsRun(s, JobSchedule.draw(s, Simulation.START), Simulation.START);
    ArchitectureResult legacy = run.run(Progress.silent());

    assertThat(run.peakRowsPerSecond()).isLessThanOrEqualTo(2_000);
    assertThat(legacy.timeline().stream().mapToDouble(TimelineRow::writeUnitsPerSecond).max().orElseThrow())
        .as("saturated during the burst").isGreaterThan(1_900).isLessThanOrEqualTo(2_000);
    assertThat(legacy.producerStalledSeconds()).isPositive();
    assertThat(legacy.eventsProduced()).isEqualTo(legacy.eventsStored() + legacy.eventsLost() + legacy.eventsInFlight());
    assertThat(legacy.eventsLost()).as("no stream, no retention").isZero();
  }

  @Test
  void aJobSlowerThanThePrimaryIsAvailableWhenItsComputationEnds() {
    Scenario s = oneJob(60_000, 1_000, 7_500);
    ArchitectureResult legacy = new Simulation(s).run(List.of("legacy-rdbms"), Progress.silent()).architecture("legacy-rdbms");

    assertThat(legacy.jobsCompleted()).isEqualTo(1);
    assertThat(legacy.availabilityPercentile(50)).isLessThanOrEqualTo(1.0);
    assertThat(legacy.producerStalledSeconds()).isZero();
  }

  @Test
  void theCeilingIsValidatedWithFieldValueAndLimit() {
    Scenario s = new Scenario();
    s.legacy.writeRowsPerSecond = 0;
    assertThatThrownBy(s::validate).isInstanceOf(InvalidFieldException.class)
        .hasMessageContaining("legacy.writeRowsPerSecond").hasMessageContaining("0").hasMessageContaining("1000000");
  }

  private static Scenario.Burst burst(double atHour, int jobs) {
    Scenario.Burst b = new Scenario.Burst();
    b.atHour = atHour;
    b.jobs = jobs;
    b.withinMinutes = 2;
    return b;
  }
}
