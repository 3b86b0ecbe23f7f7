package io.spillway.bootstrap.simulation;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

/** For any scenario, no event appears or vanishes: produced = stored + lost + in flight, and none is both stored and lost. */
class ConservationProperties {

  @Property(tries = 12)
  void eventsAreConserved(@ForAll @LongRange(min = 1, max = 1_000_000) long seed, @ForAll @IntRange(min = 50, max = 900) int jobsPerDay,
      @ForAll @IntRange(min = 1, max = 4) int shards, @ForAll @IntRange(min = 5, max = 2_000) int writeUnits,
      @ForAll @IntRange(min = 0, max = 5) int fault, @ForAll @IntRange(min = 1, max = 5_000) int rowsPerTransaction) {
    Scenario s = Scenarios.small(seed, jobsPerDay, shards, writeUnits);
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
