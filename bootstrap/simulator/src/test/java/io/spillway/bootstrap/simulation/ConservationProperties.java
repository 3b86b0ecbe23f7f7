package io.spillway.bootstrap.simulation;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

/**
 * For any scenario, on either engine, no event appears or vanishes: produced = stored + lost + in
 * flight, and none is both stored and lost.
 */
class ConservationProperties {

  /** Cohorts that outlive the retention while the consumers are down are lost whole, each event once and every job INCOMPLETE. */
  @Property(tries = 6)
  void cohortsLostToTheRetentionAreCountedOnce(@ForAll @LongRange(min = 1, max = 1_000_000) long seed,
      @ForAll @IntRange(min = 50, max = 900) int jobsPerDay, @ForAll @IntRange(min = 28, max = 30) int outageHours) {
    Scenario s = Scenarios.small(seed, jobsPerDay, 2, 2_000);
    s.engine = "cohorts";
    // every job arrives within the first 3 h and emits for minutes: all of it is older than 24 h when the consumers return
    s.drainHours = 32;
    s.faults.add(new Scenario.Fault("consumers-down", 0, outageHours * 60.0));

    ArchitectureResult a = new Simulation(s).run(java.util.List.of("spillway"), Progress.silent()).architecture("spillway");

    assertThat(a.eventsLost()).as("a day-long outage passes the 24 h retention").isEqualTo(a.eventsProduced()).isPositive();
    assertThat(a.jobsIncomplete()).isEqualTo(a.jobsArrivedCount());
    assertThat(a.eventsStored()).isZero();
    assertThat(a.eventsProduced()).isEqualTo(a.eventsStored() + a.eventsLost() + a.eventsInFlight());
  }

  @Property(tries = 12)
  void eventsAreConserved(@ForAll @LongRange(min = 1, max = 1_000_000) long seed, @ForAll @IntRange(min = 50, max = 900) int jobsPerDay,
      @ForAll @IntRange(min = 1, max = 4) int shards, @ForAll @IntRange(min = 5, max = 2_000) int writeUnits,
      @ForAll @IntRange(min = 0, max = 5) int fault, @ForAll @IntRange(min = 1, max = 5_000) int rowsPerTransaction,
      @ForAll boolean cohorts) {
    Scenario s = Scenarios.small(seed, jobsPerDay, shards, writeUnits);
    s.engine = cohorts ? "cohorts" : "services";
    // the legacy primary as tight as the table, so open transactions are left in flight at the end
    s.legacy.writeRowsPerSecond = writeUnits;
    s.legacy.rowsPerTransaction = rowsPerTransaction;
    switch (fault) {
      case 1 -> s.faults.add(new Scenario.Fault("consumers-down", 1, 45));
      case 2 -> s.faults.add(new Scenario.Fault("throttling-storm", 0.5, 60));
      case 3 -> s.faults.add(new Scenario.Fault("put-latency", 1, 30));
      case 4 -> s.faults.add(new Scenario.Fault("capacity-cut", 1, 90));
      case 5 -> s.faults.add(new Scenario.Fault("shard-readers", 0.5, 60));
      default -> { }
    }

    Simulation.Report r = new Simulation(s).run(Progress.silent());

    for (ArchitectureResult a : r.architectures()) {
      assertThat(a.eventsProduced()).as(a.name + " produced").isEqualTo(a.eventsStored() + a.eventsLost() + a.eventsInFlight());
      assertThat(a.eventsBothStoredAndLost()).as(a.name).isZero();
      assertThat(a.eventsStored()).isNotNegative();
      assertThat(a.eventsInFlight()).isNotNegative();
    }
  }
}
