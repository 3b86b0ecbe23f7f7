package io.spillway.bootstrap.simulation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Item-per-event pays DynamoDB's 1,000 write units a second per partition key like every architecture. */
class ItemPerEventPartitionTest {

  @Test
  void oneJobsItemsShareAKeySoItWritesAtMostAThousandItemsASecondOnAnyTable() {
    Scenario s = Scenarios.small(3, 8, 1, 40_000);
    for (Scenario.JobClassSpec c : s.workload.classes) {
      c.eventsPerSecond = 4_000; // four times what one key takes in one-unit items
      c.eventsMedian = 300_000; // minutes of writes at the key's pace
      c.eventsSigma = 0.1;
    }
    s.table.autoScaling = null;
    s.validate();
    ArchitectureResult items = new Simulation(s).run(List.of("item-per-event"), Progress.silent()).architecture("item-per-event");

    assertThat(items.jobsArrivedCount()).isEqualTo(1);
    assertThat(items.jobsCompleted()).isEqualTo(1);
    assertThat(items.throttledRequests).as("40,000 units a second on the table, yet items come back unprocessed").isPositive();
    double peak = items.timeline().stream().mapToDouble(TimelineRow::writeUnitsPerSecond).max().orElseThrow();
    assertThat(peak).as("a minute's writes from one job's key").isGreaterThan(900).isLessThanOrEqualTo(1_000);
  }
}
