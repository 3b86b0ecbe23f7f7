package io.spillway.bootstrap.simulation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The capacity search against ceilings that follow in closed form from the legacy primary's row
 * ceiling, its statistics over seeds, its determinism, and the early stop, which may only settle
 * runs that fail.
 */
class CapacitySearchTest {
  private static final double CEILING = 10_000;
  private static final double EMIT = 20_000;

  /**
   * A day whose only jobs arrive together at 01:00, all of one size: {@code jobs} of them share the
   * primary's ceiling from the same instant, so each is available after jobs × events / ceiling,
   * events / emit rate after its computation would have ended.
   */
  private static Scenario together(int jobs) {
    Scenario s = new Scenario();
    s.name = "together";
    s.seed = 5;
    s.days = 1;
    s.drainHours = 1;
    s.workload.jobsPerDay = 0;
    Scenario.Burst b = new Scenario.Burst();
    b.atHour = 1;
    b.jobs = jobs;
    b.withinMinutes = 0;
    s.workload.bursts.add(b);
    for (Scenario.JobClassSpec c : s.workload.classes) {
      c.eventsMedian = 60_000;
      c.eventsSigma = 0;
      c.eventsPerSecond = EMIT;
    }
    s.legacy.writeRowsPerSecond = CEILING;
    return s.validate();
  }

  private static long eventsPerJob(Scenario s) {
    return JobSchedule.draw(s, Simulation.START).get(0).events(); // 60,060: whole blocks of 156 events
  }

  private static CapacitySearch.Settings settings(Scenario s, int seeds, int threads) {
    return new CapacitySearch.Settings(seeds, threads, Slo.of(s), 0);
  }

  @Test
  void theLegacyCeilingFoundIsTheClosedFormWithinTheResolutionOnEverySeed() {
    Scenario s = together(30); // the search brackets from 30 up to twice that
    long events = eventsPerJob(s);
    double target = s.availabilityTargetSeconds;
    // n jobs together: each available n·E/R − E/r after its computation; the most that meet the target
    long closedForm = (long) Math.floor(CEILING * (target + events / EMIT) / events);
    // the boundary is seconds clear of the target on both sides, wider than the primary's one-second ticks
    assertThat(closedForm * events / CEILING - events / EMIT).isLessThan(target - 2);
    assertThat((closedForm + 1) * events / CEILING - events / EMIT).isGreaterThan(target + 2);

    CapacitySearch.Result r = CapacitySearch.sustainableLoad(s, List.of("legacy-rdbms"), settings(s, 5, 2), Map.of(),
        CapacitySearch.Listener.silent());
    CapacitySearch.Finding f = r.finding("legacy-rdbms");

    assertThat(f.seeds()).hasSize(5).extracting(CapacitySearch.SeedFinding::seed).containsExactly(5L, 6L, 7L, 8L, 9L);
    for (CapacitySearch.SeedFinding seed : f.seeds()) {
      assertThat(seed.limit()).isEqualTo(CapacitySearch.Limit.FOUND);
      assertThat(seed.value()).as("seed %d", seed.seed()).isLessThanOrEqualTo(closedForm);
      assertThat((double) closedForm - seed.value()).isLessThan(Math.max(1, CapacitySearch.RESOLUTION * seed.value()));
      // each probe drew exactly the jobs a day it offered, and the verdicts follow the closed form
      for (CapacitySearch.Probe p : seed.probes()) {
        assertThat(p.jobs()).isEqualTo((int) p.value());
        assertThat(p.meets()).as("%s", p).isEqualTo(p.value() <= closedForm);
      }
    }
    assertThat(f.median()).isEqualTo(f.seeds().get(0).value());
    assertThat(f.range()).containsExactly(f.seeds().get(0).value(), f.seeds().get(0).value());
  }

  @Test
  void theCheapestLegacyCeilingFoundIsTheClosedFormWithinTheResolution() {
    int jobs = 50;
    Scenario s = together(jobs);
    long events = eventsPerJob(s);
    // rows a second that bring 50 jobs together within the target: R ≥ n·E / (T + E/r), about 9,911
    double closedForm = jobs * events / (s.availabilityTargetSeconds + events / EMIT);

    CapacitySearch.Result r = CapacitySearch.cheapestCapacity(s, List.of("legacy-rdbms"), jobs, settings(s, 5, 2),
        CapacitySearch.Listener.silent());
    CapacitySearch.Finding f = r.finding("legacy-rdbms");

    for (CapacitySearch.SeedFinding seed : f.seeds()) {
      assertThat(seed.limit()).isEqualTo(CapacitySearch.Limit.FOUND);
      // the primary grants whole rows each second: a ceiling within 0.5 % of the closed form may fall either way
      assertThat((double) seed.value()).isGreaterThanOrEqualTo(closedForm * 0.995);
      assertThat(seed.value() - closedForm).isLessThan(Math.max(1, CapacitySearch.RESOLUTION * seed.value()));
      for (CapacitySearch.Probe p : seed.probes()) {
        if (Math.abs(p.value() - closedForm) > closedForm * 0.005) {
          assertThat(p.meets()).as("%s", p).isEqualTo(p.value() > closedForm);
        }
      }
      assertThat(seed.atValue().monthlyCost()).as("the primary's price is flat").isEqualTo(s.prices.rdbmsInstanceMonth);
    }
    assertThat(f.median()).isEqualTo(f.seeds().get(0).value());
  }

  @Test
  void aJobNoTableCanServeInTimeLeavesTheCheapestCapacityUnfoundOnEverySeed() {
    // 600,000 items on one partition key take 600 s at its 1,000 WCU/s, however many units the table has
    Scenario s = together(1);
    for (Scenario.JobClassSpec c : s.workload.classes) {
      c.eventsMedian = 600_000;
    }
    s.validate();

    CapacitySearch.Result r = CapacitySearch.cheapestCapacity(s, List.of("item-per-event"), 1, settings(s, 5, 2),
        CapacitySearch.Listener.silent());
    CapacitySearch.Finding f = r.finding("item-per-event");

    assertThat(f.seeds()).allSatisfy(seed -> {
      assertThat(seed.limit()).isEqualTo(CapacitySearch.Limit.NOT_MET_WITHIN_BOUNDS);
      assertThat(seed.value()).isNull();
      assertThat(seed.probes()).noneMatch(CapacitySearch.Probe::meets);
    });
    assertThat(f.seeds().get(0).probes()).extracting(CapacitySearch.Probe::value).last().isEqualTo(r.caps().get("item-per-event"));
    assertThat(f.median()).isNull();
    assertThat(r.architectureJson("item-per-event")).containsEntry("cheapestCapacity", null).containsEntry("monthlyCost", null);
  }

  @Test
  void theMedianIsTheMiddleSeedAndTheRangeItsExtremesWithNothingFoundCountingAsAboveAll() {
    assertThat(CapacitySearch.median(List.of(500L, 100L, 300L, 200L, 400L))).isEqualTo(300L);
    assertThat(CapacitySearch.range(List.of(500L, 100L, 300L, 200L, 400L))).containsExactly(100L, 500L);
    assertThat(CapacitySearch.median(List.of(4L, 1L, 2L, 3L))).isEqualTo(2.5);
    assertThat(CapacitySearch.median(List.of(1L, 3L))).isEqualTo(2L);
    assertThat(CapacitySearch.median(Arrays.asList(7L, null, 9L, null, null))).isNull();
    assertThat(CapacitySearch.median(Arrays.asList(7L, null, 9L, 8L, null))).isEqualTo(9L);
    assertThat(CapacitySearch.range(Arrays.asList(null, 7L, 9L))).containsExactly(7L, null);
  }

  @Test
  void theSameScenarioGivesTheSameFindingsOnOneThreadOrTwo() {
    Scenario s = Scenarios.small(17, 160, 1, 300);
    List<String> archs = List.of("direct-chunked", "spillway");

    CapacitySearch.Result one = CapacitySearch.sustainableLoad(s, archs, settings(s, 2, 1), Map.of(), CapacitySearch.Listener.silent());
    CapacitySearch.Result two = CapacitySearch.sustainableLoad(s, archs, settings(s, 2, 2), Map.of(), CapacitySearch.Listener.silent());

    assertThat(two.findings()).isEqualTo(one.findings());
    Simulation.Report report = new Simulation(s).run(archs, Progress.silent());
    assertThat(report.withCapacity(two).json()).isEqualTo(report.withCapacity(one).json())
        .contains("\"sustainableJobsPerDay\"", "\"sustainableJobsPerDayRange\"", "\"bySeed\"");
    assertThat(one.findings()).allSatisfy(f -> assertThat(f.seeds()).allSatisfy(seed -> assertThat(seed.probes()).isNotEmpty()));
  }

  @Test
  void theEarlyStopSettlesOnlyRunsThatFailWhenRunToTheEnd() {
    Scenario seed = ScenarioLoader.named("case-study-small");
    Slo slo = Slo.of(seed);
    int stopped = 0;
    for (long load : List.of(100L, 181L, 217L, 290L, 580L)) {
      Scenario s = CapacitySearch.atLoad(seed, load).validate();
      CapacitySearch.Probe watched = CapacitySearch.probe(s, "legacy-rdbms", load, slo);
      ArchitectureResult full = new Simulation(s).run(List.of("legacy-rdbms"), Progress.silent()).architecture("legacy-rdbms");
      String problem = slo.problem(full);

      assertThat(watched.meets()).as("load %d: %s against %s", load, watched.outcome(), problem).isEqualTo(problem == null);
      if (watched.p99Seconds() == null) {
        stopped++;
      } else {
        assertThat(watched.p99Seconds()).isEqualTo(full.availabilityPercentile(99));
      }
    }
    assertThat(stopped).as("the overloaded days were settled early").isPositive();
  }

  @Test
  void aLoadIsScaledBurstsAndAllSoTheDayHoldsThatManyJobs() {
    Scenario seed = ScenarioLoader.named("case-study-small");
    assertThat(CapacitySearch.offeredJobsPerDay(seed)).isEqualTo(580);
    for (long load : List.of(9L, 200L, 1_160L)) {
      Scenario s = CapacitySearch.atLoad(seed, load).validate();
      assertThat(JobSchedule.draw(s, Simulation.START)).as("load %d", load).hasSize((int) load);
      assertThat(s.workload.bursts).extracting(b -> b.jobs).containsExactly((int) Math.round(30 * load / 580.0), (int) Math.round(30 * load / 580.0));
    }
    assertThat(seed.workload.jobsPerDay).as("the scenario itself is left alone").isEqualTo(520);
  }

  @Test
  void aBudgetBuysLessWriteCapacityAsTheLoadsStorageGrowsAndNoneOnceStorageTakesItAll() {
    Scenario small = Scenarios.small(11, 400, 2, 600);
    double budget = 400;

    CapacitySearch.Bought light = CapacitySearch.withinBudget(CapacitySearch.atLoad(small, 100).validate(), "direct-chunked", budget);
    CapacitySearch.Bought heavy = CapacitySearch.withinBudget(CapacitySearch.atLoad(small, 800).validate(), "direct-chunked", budget);
    CapacitySearch.Bought withStream = CapacitySearch.withinBudget(CapacitySearch.atLoad(small, 100).validate(), "spillway", budget);

    assertThat(light.scenario().table.writeUnits).isGreaterThan(heavy.scenario().table.writeUnits);
    assertThat(withStream.scenario().table.writeUnits).as("the stream's shards come out of the same budget")
        .isLessThan(light.scenario().table.writeUnits);
    // USD 0.00065 a WCU-hour: 400 a month less the storage buys ~850 WCU/s, not more
    assertThat(light.scenario().table.writeUnits).isLessThanOrEqualTo(budget / (0.00065 * 720));
    assertThat(CapacitySearch.withinBudget(CapacitySearch.atLoad(small, 100).validate(), "direct-chunked", 0.01).scenario()).isNull();
    assertThat(CapacitySearch.withinBudget(small, "legacy-rdbms", 100).why()).contains("$650 a month");
  }

  @Test
  void withinABudgetEveryLoadFoundCostsNoMoreThanItAndMoreBudgetSustainsNoLess() {
    Scenario s = Scenarios.small(5, 400, 2, 600);
    List<String> archs = List.of("direct-chunked");

    CapacitySearch.Result tight = CapacitySearch.sustainableLoadWithin(s, archs, 60, settings(s, 2, 2), CapacitySearch.Listener.silent());
    CapacitySearch.Result loose = CapacitySearch.sustainableLoadWithin(s, archs, 600, settings(s, 2, 2), CapacitySearch.Listener.silent());

    for (CapacitySearch.Result r : List.of(tight, loose)) {
      assertThat(r.budgetPerMonth()).isNotNull();
      assertThat(r.methodJson()).containsEntry("budgetPerMonth", r.budgetPerMonth());
      for (CapacitySearch.SeedFinding f : r.finding("direct-chunked").seeds()) {
        assertThat(f.probes()).filteredOn(CapacitySearch.Probe::meets).allSatisfy(p -> assertThat(p.monthlyCost()).isLessThanOrEqualTo(r.budgetPerMonth()));
      }
    }
    List<Long> few = tight.finding("direct-chunked").values();
    List<Long> more = loose.finding("direct-chunked").values();
    for (int i = 0; i < few.size(); i++) {
      assertThat(more.get(i) == null ? 0 : more.get(i)).as("seed %d", i).isGreaterThanOrEqualTo(few.get(i) == null ? 0 : few.get(i));
    }
    assertThat(more.get(0)).as("the loose budget carries some load").isNotNull().isPositive();
  }
}
