package io.spillway.bootstrap.simulation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spillway.domain.InvalidFieldException;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The scenario's table: the per-table quota, on-demand settings and the table every architecture is given. */
class TableScenarioTest {
  static final Instant T = Instant.parse("2026-01-01T00:00:00Z");

  @Test
  void provisionedCapacityPastThePerTableQuotaNeedsAQuotaIncrease() {
    Scenario s = new Scenario();
    s.table.writeUnits = 50_000;

    assertThatThrownBy(s::validate).isInstanceOf(InvalidFieldException.class)
        .hasMessageContaining("table.writeUnits").hasMessageContaining("50000.0").hasMessageContaining("40000")
        .hasMessageContaining("needs a quota increase");

    s.table.quotaWriteUnits = 60_000;
    s.validate();
    assertThat(ArchitectureRun.table(s, T).writeUnitsPerSecond()).isEqualTo(50_000);
  }

  @Test
  void autoScalingPastTheQuotaIsRefusedToo() {
    Scenario s = new Scenario();
    s.table.autoScaling = new Scenario.AutoScaling();
    s.table.autoScaling.max = 80_000;

    assertThatThrownBy(s::validate).isInstanceOf(InvalidFieldException.class)
        .hasMessageContaining("table.autoScaling.max").hasMessageContaining("needs a quota increase");
  }

  @Test
  void anOnDemandTableTakesItsWarmThroughputAndItsMaximum() {
    Scenario s = new Scenario();
    s.table.mode = "on-demand";
    s.table.warmWriteUnits = 8_000;
    s.table.maxWriteUnits = 6_000.0;
    s.validate();

    assertThat(ArchitectureRun.table(s, T).writeUnitsPerSecond()).isEqualTo(6_000);
    assertThat(ArchitectureRun.table(s, T).partitions()).isEqualTo(8);
  }

  @Test
  void aMaximumThroughputIsRefusedOnAProvisionedTable() {
    Scenario s = new Scenario();
    s.table.maxWriteUnits = 6_000.0;

    assertThatThrownBy(s::validate).isInstanceOf(InvalidFieldException.class).hasMessageContaining("table.maxWriteUnits");
  }

  @Test
  void aProvisionedTableGetsTheScenariosReadUnitsAndItsPartitions() {
    Scenario s = new Scenario();
    s.table.writeUnits = 3_000;
    s.table.readUnits = 6_000;
    s.validate();

    assertThat(ArchitectureRun.table(s, T).partitions()).as("3 + 2").isEqualTo(5);
    assertThat(ArchitectureRun.table(s, T).readUnitsPerSecond()).isEqualTo(6_000);
  }
}
