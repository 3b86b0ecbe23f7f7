package io.spillway.adapters.inmemory;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** DynamoDB's documented write capacity as the in-memory table models it. */
class TableCapacityTest {
  static final Instant T = Instant.parse("2026-01-01T00:00:00Z");

  static TableCapacity provisioned(double wcu) {
    return new TableCapacity(TableCapacity.Settings.provisioned(wcu), T);
  }

  @Test
  void aProvisionedTableGrantsItsRateAndRefusesBeyondIt() {
    TableCapacity table = provisioned(10);

    assertThat(table.tryConsume("J#a#0", 4, T)).isTrue();
    assertThat(table.tryConsume("J#a#1", 6, T)).isTrue();
    assertThat(table.tryConsume("J#a#2", 1, T)).as("the second's 10 units are spent").isFalse();

    assertThat(table.tryConsume("J#a#2", 10, T.plusSeconds(1))).as("a second later").isTrue();
    assertThat(table.tryConsume("J#a#3", 1, T.plusSeconds(1))).isFalse();
  }

  @Test
  void capacityRefillsContinuouslyWithinASecond() {
    TableCapacity table = provisioned(10);
    table.tryConsume("J#a#0", 10, T);

    assertThat(table.tryConsume("J#a#1", 5, T.plusMillis(500))).isTrue();
    assertThat(table.tryConsume("J#a#1", 1, T.plusMillis(500))).isFalse();
  }

  @Test
  void unusedCapacityIsSavedAsBurst() {
    TableCapacity table = provisioned(10);

    Instant later = T.plusSeconds(50);
    assertThat(table.tryConsume("J#a#0", 510, later)).as("10 at the start plus 50 s of 10 saved").isTrue();
    assertThat(table.tryConsume("J#a#1", 1, later)).isFalse();
  }

  @Test
  void burstIsSavedForAtMostThreeHundredSeconds() {
    TableCapacity table = provisioned(10);
    Instant later = T.plusSeconds(1_000);

    // spread over seconds: a 10-unit table has one partition, and a partition takes at most 1,000 units a second
    assertThat(table.tryConsume("J#a#0", 1_000, later)).isTrue();
    assertThat(table.tryConsume("J#a#1", 1_000, later.plusSeconds(1))).isTrue();
    assertThat(table.tryConsume("J#a#2", 1_000, later.plusSeconds(2))).isTrue();
    assertThat(table.tryConsume("J#a#3", 1_000, later.plusSeconds(3))).as("300 s x 10 units saved, not 1,000 s").isFalse();
    assertThat(table.tryConsume("J#a#3", 30, later.plusSeconds(3))).as("3,000 saved + 3 s x 10 - 3,000 spent").isTrue();
    assertThat(table.tryConsume("J#a#4", 1, later.plusSeconds(3))).isFalse();
  }

  @Test
  void onePartitionKeyTakesAtMostAThousandUnitsASecondWhateverTheTableHas() {
    TableCapacity table = provisioned(1_000_000);

    assertThat(table.tryConsume("J#hot#0", 400, T)).isTrue();
    assertThat(table.tryConsume("J#hot#0", 400, T.plusMillis(300))).isTrue();
    assertThat(table.tryConsume("J#hot#0", 400, T.plusMillis(600))).as("1,200 in one second on one key").isFalse();
    assertThat(table.tryConsume("J#hot#0", 200, T.plusMillis(900))).as("exactly 1,000").isTrue();
    assertThat(table.tryConsume("J#hot#0", 1, T.plusMillis(999))).isFalse();
    assertThat(table.tryConsume("J#hot#1", 1_000, T.plusMillis(999))).as("another key").isTrue();

    assertThat(table.tryConsume("J#hot#0", 1_000, T.plusSeconds(1))).as("the next second").isTrue();
  }

  @Test
  void thePartitionCapBindsInUnlimitedModeToo() {
    TableCapacity table = new TableCapacity(
        new TableCapacity.Settings(TableCapacity.Mode.UNLIMITED, 0, Duration.ZERO, 1_000, 0), T);

    assertThat(table.tryConsume("J#a#0", 1_000, T)).isTrue();
    assertThat(table.tryConsume("J#a#0", 1, T)).isFalse();
    assertThat(table.tryConsume("J#a#1", 1_000_000, T)).as("one request over the cap").isFalse();
    assertThat(table.tryConsume("J#a#1", 999, T)).isTrue();
  }

  @Test
  void unlimitedCapacityNeverRefusesAndCountsWhatItGrants() {
    TableCapacity table = new TableCapacity(TableCapacity.Settings.unlimited(), T);

    for (int i = 0; i < 10_000; i++) {
      assertThat(table.tryConsume("J#a#0", 400, T)).isTrue();
    }
    assertThat(table.consumed()).isEqualTo(4_000_000.0);
    assertThat(table.throttled()).isZero();
  }

  @Test
  void aRequestRefusedByItsPartitionTakesNothingFromTheTable() {
    TableCapacity table = new TableCapacity(
        new TableCapacity.Settings(TableCapacity.Mode.PROVISIONED, 10, Duration.ofSeconds(300), 5, 0), T);

    assertThat(table.tryConsume("J#a#0", 5, T)).isTrue();
    assertThat(table.tryConsume("J#a#0", 1, T)).as("over the partition cap").isFalse();
    assertThat(table.tryConsume("J#a#1", 5, T)).as("the table still has the 5 the refusal did not take").isTrue();
    assertThat(table.tryConsume("J#a#2", 1, T)).isFalse();

    assertThat(table.consumed()).isEqualTo(10.0);
    assertThat(table.throttled()).isEqualTo(2);
  }

  @Test
  void aRequestRefusedByTheTableTakesNothingFromItsPartition() {
    TableCapacity table = new TableCapacity(
        new TableCapacity.Settings(TableCapacity.Mode.PROVISIONED, 10, Duration.ofSeconds(300), 15, 0), T);

    assertThat(table.tryConsume("J#a#0", 10, T)).isTrue();
    assertThat(table.tryConsume("J#a#0", 5, T)).as("the table is empty").isFalse();

    assertThat(table.tryConsume("J#a#0", 5, T.plusMillis(500))).as("10 + 5 within the key's 15, in the same second").isTrue();
    assertThat(table.consumed()).isEqualTo(15.0);
  }

  @Test
  void aRateCutKeepsTheSavedBurst() {
    TableCapacity table = provisioned(10);
    Instant later = T.plusSeconds(20);

    table.setWriteUnitsPerSecond(1, later);

    assertThat(table.writeUnitsPerSecond()).isEqualTo(1.0);
    assertThat(table.tryConsume("J#a#0", 210, later)).isTrue();
    assertThat(table.tryConsume("J#a#0", 1, later)).isFalse();
    assertThat(table.tryConsume("J#a#0", 1, later.plusSeconds(1))).as("refilled at the new rate").isTrue();
    assertThat(table.tryConsume("J#a#0", 1, later.plusSeconds(1))).isFalse();
  }

  @Test
  void anOnDemandTableAbsorbsTwiceItsPreviousPeakAndGrowsOnlyAfterThePeakSettles() {
    TableCapacity table = new TableCapacity(TableCapacity.Settings.onDemand(), T, java.util.Optional.empty());

    assertThat(table.tryConsumeItems(5_000, 1, T)).as("a new table absorbs 4,000 units a second").isEqualTo(4_000);
    // saturate it for a while: the peak seen is 4,000 units a second
    Instant t = T;
    for (int s = 1; s <= 40 * 60; s++) {
      t = T.plusSeconds(s);
      table.tryConsumeItems(10_000, 1, t);
    }
    assertThat(table.writeUnitsPerSecond(t)).as("4,000 units a second held for 30 minutes became the previous peak").isEqualTo(8_000);
    assertThat(table.tryConsumeItems(10_000, 1, t.plusSeconds(1))).isEqualTo(8_000);
  }

  @Test
  void autoScalingRaisesCapacityMinutesAfterUtilizationStaysAboveTarget() {
    TableCapacity table = new TableCapacity(TableCapacity.Settings.provisioned(100), T,
        java.util.Optional.of(TableCapacity.AutoScaling.between(100, 1_000)));

    Instant t = T;
    for (int s = 1; s <= 60 * 4; s++) {
      t = T.plusSeconds(s);
      table.tryConsumeItems(1_000, 1, t);
      if (s == 60 * 2) {
        assertThat(table.writeUnitsPerSecond()).as("not yet: 2 minutes above target, then 3 to apply").isEqualTo(100);
      }
    }
    for (int s = 60 * 4 + 1; s <= 60 * 7; s++) {
      t = T.plusSeconds(s);
      table.tryConsumeItems(1_000, 1, t);
    }
    assertThat(table.writeUnitsPerSecond()).as("raised to consumed / 70 %").isGreaterThan(100).isLessThanOrEqualTo(1_000);
  }

  @Test
  void aCeilingCapsTheTableUntilLiftedAndAStormRefusesItsShareOfRequests() {
    TableCapacity table = provisioned(1_000);
    assertThat(table.tryConsumeItems(1_000, 1, T)).isEqualTo(1_000);
    table.ceiling(10, T);
    assertThat(table.tryConsumeItems(100, 1, T.plusSeconds(1))).as("a second at the 10 units left").isEqualTo(10);
    table.ceiling(Double.POSITIVE_INFINITY, T.plusSeconds(2));
    table.setWriteUnitsPerSecond(1_000, T.plusSeconds(2));
    assertThat(table.tryConsumeItems(100, 1, T.plusSeconds(3))).isEqualTo(100);

    table.storm(0.5, T.plusSeconds(100));
    int refused = 0;
    for (int i = 0; i < 100; i++) {
      if (!table.tryConsume("J#a#" + i, 1, T.plusSeconds(4))) refused++;
    }
    assertThat(refused).isBetween(45, 55);
    assertThat(table.tryConsume("J#b#0", 1, T.plusSeconds(100))).as("the storm is over").isTrue();
  }
}
