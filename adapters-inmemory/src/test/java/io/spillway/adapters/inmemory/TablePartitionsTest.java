package io.spillway.adapters.inmemory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spillway.domain.InvalidFieldException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** DynamoDB's physical partitions, quotas, on-demand limits and read units as the in-memory table models them. */
class TablePartitionsTest {
  static final Instant T = Instant.parse("2026-01-01T00:00:00Z");

  static TableCapacity table(TableCapacity.Settings settings) {
    return new TableCapacity(settings, T);
  }

  /** Two distinct keys the table puts on the same partition, and one on another. */
  static List<String> keysSharingAPartition(TableCapacity table) {
    List<String> keys = new ArrayList<>();
    String first = "J#k0#0";
    for (int i = 1; keys.size() < 2; i++) {
      String k = "J#k" + i + "#0";
      if (table.partitionIndexOf(k) == table.partitionIndexOf(first) && keys.isEmpty()) {
        keys.add(first);
        keys.add(k);
      }
    }
    for (int i = 1; ; i++) {
      String k = "J#other" + i;
      if (table.partitionIndexOf(k) != table.partitionIndexOf(first)) {
        keys.add(k);
        return keys;
      }
    }
  }

  @Test
  void aNewTableHasThePartitionsItsCapacityNeeds() {
    assertThat(table(TableCapacity.Settings.provisioned(10).withReadUnits(10)).partitions()).as("10 WCU, 10 RCU").isEqualTo(1);
    assertThat(table(TableCapacity.Settings.provisioned(1_000)).partitions()).as("1,000 WCU + 100 RCU: 1.03").isEqualTo(2);
    assertThat(table(TableCapacity.Settings.provisioned(10_000).withReadUnits(3_000)).partitions()).as("10 + 1").isEqualTo(11);
    assertThat(table(TableCapacity.Settings.onDemand()).partitions()).as("on-demand: 4,000 WCU and 12,000 RCU warm").isEqualTo(4);
    assertThat(table(TableCapacity.Settings.unlimited()).partitions()).isEqualTo(1);
  }

  @Test
  void raisingProvisionedCapacityAddsPartitionsAndLoweringItKeepsThem() {
    TableCapacity table = table(TableCapacity.Settings.provisioned(1_000));
    table.setWriteUnitsPerSecond(5_000, T.plusSeconds(1));
    assertThat(table.partitions()).as("5 + 1/30").isEqualTo(6);
    table.setWriteUnitsPerSecond(100, T.plusSeconds(2));
    assertThat(table.partitions()).as("partitions never merge").isEqualTo(6);
    assertThat(table.writeUnitsPerSecond()).isEqualTo(100);
  }

  @Test
  void aProvisionedRateIsHeldToThePerTableQuotaUnlessItIsRaised() {
    TableCapacity capped = table(TableCapacity.Settings.provisioned(100_000));
    assertThat(capped.writeUnitsPerSecond()).isEqualTo(40_000);
    assertThat(capped.partitions()).isEqualTo(41);
    capped.setWriteUnitsPerSecond(60_000, T.plusSeconds(1));
    assertThat(capped.writeUnitsPerSecond()).isEqualTo(40_000);

    TableCapacity raised = table(TableCapacity.Settings.provisioned(100_000).withQuota(100_000, 40_000));
    assertThat(raised.writeUnitsPerSecond()).isEqualTo(100_000);
  }

  @Test
  void autoScalingStopsAtTheQuota() {
    TableCapacity table = new TableCapacity(TableCapacity.Settings.provisioned(30_000).withQuota(35_000, 40_000), T,
        Optional.of(new TableCapacity.AutoScaling(30_000, 100_000, 0.7, Duration.ofMinutes(1), Duration.ZERO, Duration.ofMinutes(15))));
    for (int s = 0; s < 5 * 60; s++) {
      table.tryConsumeItems(100_000, 1, T.plusSeconds(s));
    }
    assertThat(table.writeUnitsPerSecond()).isEqualTo(35_000);
  }

  @Test
  void aHotPartitionIsThrottledWhileTheTableHasRoom() {
    TableCapacity table = table(TableCapacity.Settings.provisioned(10_000).withReadUnits(3_000));
    List<String> keys = keysSharingAPartition(table);

    assertThat(table.tryConsume(keys.get(0), 600, T)).isTrue();
    assertThat(table.tryConsume(keys.get(1), 600, T)).as("another key, the same partition: 1,200 > 1,000").isFalse();
    assertThat(table.tryConsume(keys.get(1), 400, T)).as("exactly 1,000 on the partition").isTrue();
    assertThat(table.tryConsume(keys.get(2), 600, T)).as("another partition").isTrue();
    assertThat(table.tryConsume(keys.get(1), 600, T.plusSeconds(1))).as("the next second").isTrue();
  }

  @Test
  void aBatchOnOneKeyIsHeldToItsPartitionsRoomToo() {
    TableCapacity table = table(TableCapacity.Settings.provisioned(10_000).withReadUnits(3_000));
    List<String> keys = keysSharingAPartition(table);
    assertThat(table.tryConsumeItems(keys.get(0), 25, 30, T)).isEqualTo(25);

    assertThat(table.tryConsumeItems(keys.get(1), 25, 30, T)).as("250 units left on the partition").isEqualTo(8);
  }

  @Test
  void itemsOnDistinctKeysSpreadEvenlyOverThePartitions() {
    TableCapacity table = table(TableCapacity.Settings.provisioned(10_000).withReadUnits(3_000));
    assertThat(table.partitions()).isEqualTo(11);

    assertThat(table.tryConsumeItems(11_000, 1, T)).as("1,000 a partition, within the table's 10,000").isEqualTo(10_000);
    for (int i = 0; i < 11; i++) {
      assertThat(table.partitionWritesIn(i, T)).isLessThanOrEqualTo(1_000);
    }
    TableCapacity roomy = table(TableCapacity.Settings.provisioned(10_000).withReadUnits(3_000));
    assertThat(roomy.tryConsumeItems(22, 1, T)).isEqualTo(22);
    for (int i = 0; i < 11; i++) {
      assertThat(roomy.partitionWritesIn(i, T)).as("two each").isEqualTo(2.0);
    }
  }

  @Test
  void savedBurstCannotTakeAPartitionPastAThousandUnitsASecond() {
    TableCapacity table = table(TableCapacity.Settings.provisioned(100).withReadUnits(10));
    assertThat(table.partitions()).isEqualTo(1);
    Instant later = T.plusSeconds(300);

    assertThat(table.tryConsumeItems(30_000, 1, later)).as("30,000 saved, but one partition").isEqualTo(1_000);
    assertThat(table.tryConsumeItems(30_000, 1, later.plusSeconds(1))).isEqualTo(1_000);
  }

  @Test
  void aPartitionPastTenGigabytesSplitsAndItsKeysAreSpreadByHash() {
    TableCapacity table = table(TableCapacity.Settings.provisioned(10).withReadUnits(10));
    for (int k = 0; k < 10; k++) {
      table.stored("J#big" + k + "#0", 1L << 30);
    }
    assertThat(table.partitions()).as("exactly 10 GiB").isEqualTo(1);

    table.stored("J#big10#0", 1);
    assertThat(table.partitions()).isGreaterThanOrEqualTo(2);
    assertThat(table.splitsForSize()).isPositive();
    java.util.Set<Integer> holding = new java.util.HashSet<>();
    for (int k = 0; k <= 10; k++) {
      holding.add(table.partitionIndexOf("J#big" + k + "#0"));
    }
    assertThat(holding).as("the keys spread over the halves").hasSizeGreaterThan(1);
  }

  @Test
  void oneKeyPastTenGigabytesDoesNotSplitItsPartition() {
    TableCapacity table = table(TableCapacity.Settings.provisioned(10).withReadUnits(10));
    table.stored("J#one#0", 20L << 30);
    assertThat(table.partitions()).isEqualTo(1);
  }

  @Test
  void aPartitionHotForTenMinutesSplitsForHeat() {
    TableCapacity table = table(TableCapacity.Settings.provisioned(800).withReadUnits(3));
    assertThat(table.partitions()).isEqualTo(1);
    for (int s = 0; s < 10 * 60; s++) {
      table.tryConsumeItems(800, 1, T.plusSeconds(s));
    }
    assertThat(table.partitions()).as("nine minutes closed").isEqualTo(1);

    table.tryConsumeItems(800, 1, T.plusSeconds(600));
    assertThat(table.partitions()).as("the tenth hot minute closed").isEqualTo(2);
    assertThat(table.splitsForHeat()).isEqualTo(1);
  }

  @Test
  void aPartitionHotFromOneKeyDoesNotSplitForHeat() {
    TableCapacity table = table(TableCapacity.Settings.provisioned(800).withReadUnits(3));
    for (int s = 0; s < 30 * 60; s++) {
      table.tryConsume("J#hot#0", 800, T.plusSeconds(s));
    }
    assertThat(table.partitions()).as("a split cannot help one key").isEqualTo(1);
  }

  @Test
  void aPartitionThatIsNotHotDoesNotSplit() {
    TableCapacity table = table(TableCapacity.Settings.provisioned(900).withReadUnits(3));
    for (int s = 0; s < 30 * 60; s++) {
      table.tryConsumeItems(700, 1, T.plusSeconds(s));
    }
    assertThat(table.partitions()).isEqualTo(1);
  }

  @Test
  void anOnDemandTableTakesItsWarmThroughputAtOnce() {
    TableCapacity table = table(new TableCapacity.Settings(TableCapacity.Mode.ON_DEMAND, 20_000, Duration.ZERO, 1_000, 0));
    assertThat(table.partitions()).isEqualTo(20);

    assertThat(table.tryConsumeItems(30_000, 1, T)).isEqualTo(20_000);
  }

  @Test
  void anOnDemandTableGrowsNoFurtherThanItsQuotaUnlessItIsRaised() {
    TableCapacity quota = table(new TableCapacity.Settings(TableCapacity.Mode.ON_DEMAND, 30_000, Duration.ZERO, 1_000, 0));
    TableCapacity raised = table(new TableCapacity.Settings(TableCapacity.Mode.ON_DEMAND, 30_000, Duration.ZERO, 1_000, 0).withQuota(100_000, 40_000));
    Instant t = T;
    for (int s = 0; s <= 31 * 60; s++) {
      t = T.plusSeconds(s);
      quota.tryConsumeItems(100_000, 1, t);
      raised.tryConsumeItems(100_000, 1, t);
    }
    assertThat(quota.writeUnitsPerSecond(t)).as("twice the 30,000 peak, held to the 40,000 quota").isEqualTo(40_000);
    assertThat(quota.tryConsumeItems(100_000, 1, t.plusSeconds(1))).isEqualTo(40_000);
    assertThat(raised.writeUnitsPerSecond(t)).isEqualTo(60_000);
    assertThat(raised.tryConsumeItems(100_000, 1, t.plusSeconds(1))).isEqualTo(60_000);
  }

  @Test
  void anOnDemandMaximumThroughputCapsTheTable() {
    TableCapacity table = table(TableCapacity.Settings.onDemand().withMaxWriteUnits(1_500));
    assertThat(table.writeUnitsPerSecond()).isEqualTo(1_500);
    assertThat(table.tryConsumeItems(5_000, 1, T)).isEqualTo(1_500);
    assertThat(table.partitions()).as("the maximum caps throughput, not the table's partitions").isEqualTo(4);
  }

  @Test
  void aMaximumThroughputIsOnlyForOnDemandTables() {
    assertThatThrownBy(() -> TableCapacity.Settings.provisioned(100).withMaxWriteUnits(50))
        .isInstanceOf(InvalidFieldException.class).hasMessageContaining("table.maxWriteUnits").hasMessageContaining("50.0");
  }

  @Test
  void liftingACutRestoresAProvisionedTablesCapacity() {
    TableCapacity table = table(TableCapacity.Settings.provisioned(1_000));
    table.ceiling(10, T);
    assertThat(table.writeUnitsPerSecond()).isEqualTo(10);

    table.ceiling(Double.POSITIVE_INFINITY, T.plusSeconds(60));

    assertThat(table.writeUnitsPerSecond()).as("the rate before the cut").isEqualTo(1_000);
    assertThat(table.tryConsumeItems(1_000, 1, T.plusSeconds(61))).as("and it refills at that rate").isGreaterThanOrEqualTo(990);
  }

  @Test
  void anOperatorsChangeDuringACutIsWhatTheLiftRestores() {
    TableCapacity table = table(TableCapacity.Settings.provisioned(1_000));
    table.ceiling(10, T);
    table.setWriteUnitsPerSecond(500, T.plusSeconds(10));
    assertThat(table.writeUnitsPerSecond()).as("still cut").isEqualTo(10);

    table.ceiling(Double.POSITIVE_INFINITY, T.plusSeconds(60));
    assertThat(table.writeUnitsPerSecond()).isEqualTo(500);
  }

  @Test
  void readUnitsAreFourKilobyteBlocksHalvedWhenEventuallyConsistent() {
    assertThat(TableCapacity.readUnits(4_096, true)).isEqualTo(1.0);
    assertThat(TableCapacity.readUnits(4_097, true)).isEqualTo(2.0);
    assertThat(TableCapacity.readUnits(4_097, false)).isEqualTo(1.0);
    assertThat(TableCapacity.readUnits(100, false)).isEqualTo(0.5);
    assertThat(TableCapacity.readUnits(0, true)).as("a read that finds nothing").isEqualTo(1.0);
    assertThat(TableCapacity.readUnits(409_600, true)).isEqualTo(100.0);
  }

  @Test
  void aQuerySumsItsItemsBeforeRoundingAndRoundsEachPage() {
    assertThat(InMemoryChunks.queryReadUnits(List.of(1_500, 1_500, 1_500), true)).as("4,500 bytes: 2 blocks, not 3").isEqualTo(2.0);
    assertThat(InMemoryChunks.queryReadUnits(List.of(1_500, 1_500, 1_500), false)).isEqualTo(1.0);
    assertThat(InMemoryChunks.queryReadUnits(List.of(409_600, 409_600, 409_600), true)).as("two items a 1 MB page, then one").isEqualTo(300.0);
    assertThat(InMemoryChunks.queryReadUnits(List.of(), false)).isEqualTo(0.5);
  }

  @Test
  void readsAreHeldToTheTablesReadUnitsAndThePartitionsThreeThousand() {
    TableCapacity small = table(TableCapacity.Settings.provisioned(100).withReadUnits(10));
    assertThat(small.tryRead("J#a#0", 10, T)).isTrue();
    assertThat(small.tryRead("J#a#1", 1, T)).isFalse();
    assertThat(small.readsThrottled()).isEqualTo(1);
    assertThat(small.readUnitsConsumed()).isEqualTo(10.0);
    assertThat(small.tryRead("J#a#1", 5, T.plusMillis(500))).isTrue();

    TableCapacity big = table(TableCapacity.Settings.provisioned(100).withReadUnits(30_000));
    assertThat(big.tryRead("J#a#0", 3_000, T)).isTrue();
    assertThat(big.tryRead("J#a#0", 1, T)).as("the partition's 3,000 read units").isFalse();
    assertThat(big.tryConsume("J#a#0", 100, T)).as("writes are limited apart from reads").isTrue();
  }

  @Test
  void anOnDemandTableReadsItsWarmTwelveThousandAtOnce() {
    TableCapacity table = table(TableCapacity.Settings.onDemand());
    int granted = 0;
    for (int k = 0; k < 10_000; k++) {
      if (table.tryRead("J#r" + k, 2, T)) granted += 2;
    }
    assertThat(granted).isLessThanOrEqualTo(12_000).isGreaterThan(10_000);
    assertThat(table.readUnitsPerSecond()).isEqualTo(12_000);
  }
}
