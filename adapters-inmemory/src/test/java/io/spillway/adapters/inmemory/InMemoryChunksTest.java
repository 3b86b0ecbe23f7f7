package io.spillway.adapters.inmemory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spillway.application.contract.ContractFixtures;
import io.spillway.application.port.out.PutOutcome;
import io.spillway.domain.chunk.Chunk;
import io.spillway.domain.chunk.CorruptChunkException;
import io.spillway.domain.chunk.StoredItemLayout;
import io.spillway.domain.testing.ChunkFixtures;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The in-memory table's modelled DynamoDB limits: item size, throttling, billing of failed conditions. */
class InMemoryChunksTest {
  final ManualClock clock = ManualClock.atEpochDay();

  InMemoryChunks table(TableCapacity.Settings settings) {
    return new InMemoryChunks(new TableCapacity(settings, clock.now()), clock);
  }

  static Chunk multiUnitChunk() {
    return ContractFixtures.jobChunks().stream().filter(c -> c.writeUnits() >= 3).findFirst().orElseThrow();
  }

  /** A chunk whose stored item has exactly this many bytes (its record padded: only its size matters here). */
  static Chunk withItemSize(Chunk chunk, int itemBytes) {
    int recordLength = itemBytes - StoredItemLayout.itemSize(chunk.id(), 0);
    return new Chunk(chunk.id(), chunk.header(), Arrays.copyOf(chunk.record(), recordLength), chunk.payloadOffset());
  }

  @Test
  void aFailedConditionalPutIsBilledLikeAWrite() {
    InMemoryChunks table = table(TableCapacity.Settings.unlimited());
    Chunk chunk = multiUnitChunk();

    table.putIfAbsent(chunk);
    PutOutcome again = table.putIfAbsent(chunk);

    assertThat(again).isEqualTo(new PutOutcome.AlreadyPresent(chunk.writeUnits()));
    assertThat(table.capacity().consumed()).isEqualTo(2.0 * chunk.writeUnits());
    assertThat(table.itemsWritten()).isEqualTo(1);
    assertThat(table.duplicatesSeen()).isEqualTo(1);
  }

  @Test
  void aThrottledPutStoresNothingChargesNothingAndSucceedsOnceCapacityRefills() {
    InMemoryChunks table = table(TableCapacity.Settings.provisioned(1));
    Chunk chunk = multiUnitChunk();

    PutOutcome throttled = table.putIfAbsent(chunk);

    assertThat(throttled).isInstanceOf(PutOutcome.Throttled.class);
    assertThat(throttled.isDurable()).isFalse();
    assertThat(((PutOutcome.Throttled) throttled).reason()).contains("ProvisionedThroughputExceeded");
    assertThat(table.count(chunk.id().jobId(), chunk.id().bucket())).isZero();
    assertThat(table.capacity().consumed()).isZero();

    clock.advance(Duration.ofSeconds(chunk.writeUnits()));
    assertThat(table.putIfAbsent(chunk)).isEqualTo(new PutOutcome.Written(chunk.writeUnits()));
  }

  @Test
  void aDuplicateIsThrottledTooWhenTheTableHasNoCapacity() {
    InMemoryChunks table = table(TableCapacity.Settings.provisioned(1));
    Chunk chunk = ContractFixtures.firstEuChunk();
    assertThat(chunk.writeUnits()).isEqualTo(1);
    assertThat(table.putIfAbsent(chunk)).isInstanceOf(PutOutcome.Written.class);

    assertThat(table.putIfAbsent(chunk)).isInstanceOf(PutOutcome.Throttled.class);
    assertThat(table.duplicatesSeen()).isZero();
  }

  @Test
  void aHotBucketIsThrottledAtAThousandUnitsASecondThoughTheTableHasMore() {
    InMemoryChunks table = table(TableCapacity.Settings.provisioned(100_000));
    List<Chunk> big = ContractFixtures.bigChunks();
    int units = big.get(0).writeUnits();
    assertThat(units).isBetween(334, 400);

    assertThat(table.putIfAbsent(big.get(0))).isInstanceOf(PutOutcome.Written.class);
    assertThat(table.putIfAbsent(big.get(1))).isInstanceOf(PutOutcome.Written.class);
    assertThat(table.putIfAbsent(big.get(2))).as("a third ~%d-unit item in one second on one key", units).isInstanceOf(PutOutcome.Throttled.class);
    assertThat(table.putIfAbsent(ContractFixtures.firstEuChunk())).as("another partition key").isInstanceOf(PutOutcome.Written.class);

    clock.advance(Duration.ofSeconds(1));
    assertThat(table.putIfAbsent(big.get(2))).isInstanceOf(PutOutcome.Written.class);
  }

  @Test
  void anItemOfExactly409600BytesIsStored() {
    InMemoryChunks table = table(TableCapacity.Settings.unlimited());
    Chunk atLimit = withItemSize(ContractFixtures.firstEuChunk(), StoredItemLayout.ITEM_LIMIT_BYTES);
    assertThat(atLimit.storedItemSize()).isEqualTo(409_600);

    assertThat(table.putIfAbsent(atLimit)).isEqualTo(new PutOutcome.Written(400));
  }

  @Test
  void anItemOverDynamoDbsLimitIsRefusedAndNothingIsChargedOrStored() {
    InMemoryChunks table = table(TableCapacity.Settings.unlimited());
    Chunk tooBig = withItemSize(ContractFixtures.firstEuChunk(), StoredItemLayout.ITEM_LIMIT_BYTES + 1);

    assertThatThrownBy(() -> table.putIfAbsent(tooBig))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("409601")
        .hasMessageContaining("409600");
    assertThat(table.capacity().consumed()).isZero();
    assertThat(table.count(tooBig.id().jobId(), tooBig.id().bucket())).isZero();
  }

  @Test
  void aRecordCorruptedAtRestSurfacesAsCorruptChunkOnRead() {
    InMemoryChunks table = table(TableCapacity.Settings.unlimited());
    Chunk chunk = ContractFixtures.firstEuChunk();
    table.putIfAbsent(chunk);

    table.corrupt(chunk, ChunkFixtures.flipped(chunk.record(), chunk.record().length - 1, 0x01));

    assertThatThrownBy(() -> {
      try (Stream<Chunk> s = table.read(chunk.id().jobId(), chunk.id().bucket(), Optional.empty())) {
        s.toList();
      }
    }).isInstanceOfSatisfying(CorruptChunkException.class, e -> assertThat(e.reason()).isEqualTo(CorruptChunkException.Reason.CHECKSUM_MISMATCH));
  }

  @Test
  void aCountReadsTheKeysOnlyIndexEventuallyConsistent() {
    InMemoryChunks table = table(TableCapacity.Settings.unlimited());
    Chunk chunk = multiUnitChunk();
    table.putIfAbsent(chunk);

    assertThat(table.count(chunk.id().jobId(), chunk.id().bucket())).isEqualTo(1);
    assertThat(table.capacity().readUnitsConsumed()).as("one index item of keys: half a 4 KB read").isEqualTo(0.5);
  }

  @Test
  void aReadChargesTheItemsSizesSummedAndRoundedUpToFourKilobytesStronglyConsistent() {
    InMemoryChunks table = table(TableCapacity.Settings.unlimited());
    Chunk chunk = multiUnitChunk();
    table.putIfAbsent(chunk);

    try (Stream<Chunk> s = table.read(chunk.id().jobId(), chunk.id().bucket(), Optional.empty())) {
      assertThat(s.count()).isEqualTo(1);
    }
    assertThat(table.capacity().readUnitsConsumed()).isEqualTo(Math.ceil(chunk.storedItemSize() / 4096.0));
  }

  @Test
  void aThrottledReadIsCountedAndAnsweredAsTheSdksRetryWouldBe() {
    InMemoryChunks table = table(TableCapacity.Settings.provisioned(100).withReadUnits(1));
    Chunk chunk = ContractFixtures.firstEuChunk();
    table.putIfAbsent(chunk);

    for (int i = 0; i < 3; i++) {
      assertThat(table.count(chunk.id().jobId(), chunk.id().bucket())).isEqualTo(1);
    }
    assertThat(table.capacity().readsThrottled()).as("1 read unit a second: two counts of half a unit").isEqualTo(1);
    assertThat(table.capacity().readUnitsConsumed()).as("the retried read is charged too").isEqualTo(1.5);
  }
}
