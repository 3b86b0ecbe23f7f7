package io.spillway.bootstrap.simulation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The cohort engine against the services it stands in for, and at the seed's scale: the same
 * small case study gives the same outcome through both, and seed-scale days show both failure
 * modes and the quotas they need.
 */
class CohortRunTest {
  private static final List<String> CHUNKED = List.of("direct-chunked", "spillway");

  @Test
  void onTheSmallCaseStudyTheCohortsAgreeWithTheServices() {
    Scenario services = ScenarioLoader.named("case-study-small");
    Scenario cohorts = ScenarioLoader.named("case-study-small");
    cohorts.engine = "cohorts";

    Simulation.Report byServices = new Simulation(services).run(CHUNKED, Progress.silent());
    Simulation.Report byCohorts = new Simulation(cohorts).run(CHUNKED, Progress.silent());

    for (String name : CHUNKED) {
      ArchitectureResult s = byServices.architecture(name);
      ArchitectureResult c = byCohorts.architecture(name);
      assertThat(c.jobsCompleted()).as(name + " jobs completed").isEqualTo(s.jobsCompleted());
      assertThat(c.eventsStored()).as(name + " events stored").isEqualTo(s.eventsStored());
      // chunk boundaries differ (the services cut per group and on linger), so the units spent do, a little
      assertThat(c.wcuConsumed).as(name + " write units").isCloseTo(s.wcuConsumed, within(0.01 * s.wcuConsumed));
      assertThat(c.availabilityPercentile(99)).as(name + " p99 within the target on both").isLessThan(services.availabilityTargetSeconds);
      assertThat(s.availabilityPercentile(99)).isLessThan(services.availabilityTargetSeconds);
    }
    // the paced consumers lag the burst by about the same on both: the backlog's oldest record, in seconds
    assertThat(byCohorts.architecture("spillway").maxIteratorAgeSeconds)
        .isBetween(byServices.architecture("spillway").maxIteratorAgeSeconds / 2, byServices.architecture("spillway").maxIteratorAgeSeconds * 2);
  }

  @Test
  void theSameSeedGivesTheSameReport() {
    Scenario s = Scenarios.small(7, 400, 2, 600);
    s.engine = "cohorts";
    s.faults.add(new Scenario.Fault("capacity-cut", 1, 30));

    assertThat(new Simulation(s).run(Progress.silent()).json()).isEqualTo(new Simulation(s).run(Progress.silent()).json());
  }

  @Test
  void theSeedDayNeedsQuotaIncreasesAndTheLegacyPrimaryFinishesNoJob() {
    Scenario s = ScenarioLoader.named("seed-case-study");
    Simulation.Report r = new Simulation(s).run(Progress.silent());
    ArchitectureResult legacy = r.architecture("legacy-rdbms");
    ArchitectureResult spillway = r.architecture("spillway");

    // hundreds of GB a job: the primary's 7,500 rows a second would take days for one
    assertThat(legacy.jobsCompleted()).isZero();
    assertThat(spillway.jobsCompleted() / s.days).isGreaterThanOrEqualTo(500);
    assertThat(spillway.availabilityPercentile(99)).isLessThan(s.availabilityTargetSeconds);
    assertThat(spillway.eventsLost()).isZero();
    assertThat(spillway.eventsProduced()).isEqualTo(spillway.eventsStored() + spillway.eventsInFlight());
    assertThat(spillway.storedBytes).as("tens of TB a day").isGreaterThan(10_000_000_000_000L);
    assertThat(Quotas.needed(s, spillway)).extracting(Quotas.Increase::quota)
        .contains("DynamoDB table write capacity (WCU/s)", "Kinesis shards per account outside us-east-1, us-west-2, eu-west-1");
    assertThat(Quotas.needed(s, spillway).get(0).needed()).isGreaterThan(Quotas.TABLE_WRITE_UNITS * 10);
    assertThat(Quotas.needed(s, legacy)).isEmpty();
    assertThat(r.json()).contains("\"quotaIncreases\"");
  }

  @Test
  void aSmallQuotaFitsTheDefaults() {
    Scenario s = ScenarioLoader.named("case-study-small");
    ArchitectureResult spillway = new Simulation(s).run(List.of("spillway"), Progress.silent()).architecture("spillway");
    assertThat(Quotas.needed(s, spillway)).isEmpty();
  }

  @Test
  void atSeedScaleTooFewShardsFillTheProducerBuffersAndStallTheJobs() {
    Scenario s = ScenarioLoader.named("seed-case-study");
    s.days = 0.5;
    s.workload.bursts.remove(1);
    s.drainHours = 1;
    s.stream.shards = 400;
    s.consumers.workers = 400;

    ArchitectureResult spillway = new Simulation(s).run(List.of("spillway"), Progress.silent()).architecture("spillway");

    // failure mode 1: the stream takes 400 MB/s, the jobs offer more: buffers reach their bound, computations wait
    assertThat(spillway.maxProducerBufferBytes()).isLessThanOrEqualTo(spillway.producerBufferBoundBytes())
        .isGreaterThan(spillway.producerBufferBoundBytes() - 400_000);
    assertThat(spillway.producerStalledSeconds()).isPositive();
    assertThat(spillway.eventsLost()).isZero();
    assertThat(spillway.eventsProduced()).isEqualTo(spillway.eventsStored() + spillway.eventsInFlight());
  }

  @Test
  void atSeedScaleSlowConsumersLetTheBacklogExpireAndTheForecastWarnsFirst() {
    Scenario s = ScenarioLoader.named("seed-case-study");
    s.days = 2;
    s.drainHours = 0;
    s.table.autoScaling = null;
    s.table.writeUnits = 250_000;
    s.consumers.workers = 100;
    s.consumers.writeUnitsPerSecondPerWorker = 2_500;

    ArchitectureResult spillway = new Simulation(s).run(List.of("spillway"), Progress.silent()).architecture("spillway");

    // failure mode 2: ~40 TB a day in, ~21 TB a day out: by the second morning the first day's records pass the 24 h retention
    assertThat(spillway.eventsLost()).isPositive();
    assertThat(spillway.firstAlarmAt()).isNotNull().isBefore(spillway.firstLossAt());
    assertThat(spillway.alarmLeadTimeSeconds()).as("warned hours ahead").isGreaterThan(6 * 3_600);
    assertThat(spillway.eventsProduced()).isEqualTo(spillway.eventsStored() + spillway.eventsLost() + spillway.eventsInFlight());
  }

  /** A fault from 06:00 for 30 h on the seed's two days: the forecast names what the fault took away, 12 h ahead, on time. */
  @ParameterizedTest(name = "{0}")
  @CsvSource({"consumers-down, 0, CONSUMERS", "capacity-cut, 100000, WRITE_CAPACITY", "shard-readers, 5, SHARD_READS"})
  void atSeedScaleTheForecastWarnsHoursAheadAndNamesTheBottleneck(String fault, double value, String bottleneck) {
    Scenario s = ScenarioLoader.named("seed-case-study");
    s.days = 2;
    Scenario.Fault f = new Scenario.Fault(fault, 6, 30 * 60);
    if (fault.equals("capacity-cut")) {
      f.writeUnits = value;
    } else if (fault.equals("shard-readers")) {
      f.readers = (int) value;
    }
    s.faults.add(f);

    ArchitectureResult spillway = new Simulation(s.validate()).run(List.of("spillway"), Progress.silent()).architecture("spillway");

    assertThat(spillway.eventsLost()).as("the backlog passed the retention").isPositive();
    assertThat(spillway.bottleneckAtFirstAlarm()).isEqualTo(bottleneck);
    assertThat(spillway.alarmLeadTimeSeconds()).isGreaterThanOrEqualTo(6 * 3_600);
    assertThat(spillway.projectionErrorPercent()).isBetween(-10.0, 10.0);
    assertThat(spillway.eventsProduced()).isEqualTo(spillway.eventsStored() + spillway.eventsLost() + spillway.eventsInFlight());
  }

  @Test
  void aNewOnDemandStreamHoldsTheFirstSeedScaleJobsToItsWarmUpThenCarriesTheDay() {
    Scenario s = ScenarioLoader.named("seed-case-study");
    s.stream.mode = "on-demand";

    ArchitectureResult spillway = new Simulation(s.validate()).run(List.of("spillway"), Progress.silent()).architecture("spillway");

    // 4 MB/s at first, doubling some 16 minutes after each saturated minute: the first jobs' computations wait on it
    assertThat(spillway.producerStalledSeconds()).isPositive();
    assertThat(spillway.maxProducerBufferBytes()).isGreaterThan(spillway.producerBufferBoundBytes() / 2);
    // and by the busiest hours it takes ~1 GB/s: every job completes, nothing lost
    assertThat(spillway.jobsCompleted()).isEqualTo(spillway.jobsArrivedCount());
    assertThat(spillway.eventsLost()).isZero();
    assertThat(spillway.cost).containsKeys("kinesisOnDemandStream", "kinesisOnDemandIngest", "kinesisOnDemandRetrieval")
        .doesNotContainKey("kinesisShards");
    // 43 TB a day in, each record rounded up to a KB, at USD 0.08 a GB
    assertThat(spillway.cost.get("kinesisOnDemandIngest")).isGreaterThan(50_000);
    assertThat(Quotas.needed(s, spillway)).extracting(Quotas.Increase::quota).noneMatch(q -> q.startsWith("Kinesis"));
  }
}
