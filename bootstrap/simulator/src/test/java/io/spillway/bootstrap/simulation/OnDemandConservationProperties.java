package io.spillway.bootstrap.simulation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

/** Through an on-demand stream, as through a provisioned one, no event appears or vanishes, whatever the load and the fault. */
class OnDemandConservationProperties {

  @Property(tries = 8)
  void eventsAreConservedThroughAnOnDemandStream(@ForAll @LongRange(min = 1, max = 1_000_000) long seed,
      @ForAll @IntRange(min = 50, max = 900) int jobsPerDay, @ForAll @IntRange(min = 1, max = 4) int workers,
      @ForAll @IntRange(min = 5, max = 2_000) int writeUnits, @ForAll @IntRange(min = 0, max = 3) int fault) {
    Scenario s = Scenarios.small(seed, jobsPerDay, 4, writeUnits);
    s.stream.mode = "on-demand";
    s.consumers.workers = workers;
    switch (fault) {
      case 1 -> s.faults.add(new Scenario.Fault("consumers-down", 1, 45));
      case 2 -> s.faults.add(new Scenario.Fault("put-latency", 1, 30));
      case 3 -> s.faults.add(new Scenario.Fault("shard-readers", 0.5, 60));
      default -> { }
    }
    s.validate();

    ArchitectureResult a = new Simulation(s).run(List.of("spillway"), Progress.silent()).architecture("spillway");

    assertThat(a.eventsProduced()).as("produced").isEqualTo(a.eventsStored() + a.eventsLost() + a.eventsInFlight());
    assertThat(a.eventsBothStoredAndLost()).isZero();
    assertThat(a.eventsInFlight()).isNotNegative();
  }
}
