package io.spillway.adapters.inmemory;

import static org.assertj.core.api.Assertions.assertThat;

import io.spillway.application.contract.ContractFixtures;
import io.spillway.application.port.out.PublishOutcome;
import io.spillway.domain.chunk.Chunk;
import io.spillway.domain.chunk.ChunkId;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** An on-demand {@link InMemoryStream}: the stream-level allowance on top of per-shard limits that still hold as it grows. */
class OnDemandStreamTest {
  final ManualClock clock = ManualClock.atEpochDay();

  private static final java.util.Map<Integer, byte[]> DATA = new java.util.concurrent.ConcurrentHashMap<>();

  /** A record of {@code bytes} bytes (data and key together) under {@code sequence}'s key; records of a size share their data. */
  static Chunk record(long sequence, int bytes) {
    Chunk base = ContractFixtures.firstEuChunk();
    ChunkId id = new ChunkId(base.id().jobId(), 0, "g", sequence);
    byte[] data = DATA.computeIfAbsent(bytes - id.streamPartitionKey().length(), byte[]::new);
    return new Chunk(id, base.header(), data, base.payloadOffset());
  }

  /** {@code count} records of {@code bytes} bytes on distinct keys, from {@code first}. */
  static List<Chunk> records(long first, int count, int bytes) {
    List<Chunk> out = new ArrayList<>();
    for (int i = 0; i < count; i++) out.add(record(first + i, bytes));
    return out;
  }

  static long publishAll(InMemoryStream stream, List<Chunk> chunks) {
    long accepted = 0;
    for (int from = 0; from < chunks.size(); from += 10) {
      accepted += InMemoryStreamLimitsTest.accepted(stream.publish(chunks.subList(from, Math.min(chunks.size(), from + 10))));
    }
    return accepted;
  }

  /** Grows a new stream by two single busy seconds: one at minute 0, one when that peak has settled; returns minute 32. */
  void grow(InMemoryStream stream) {
    publishAll(stream, records(1_000_000, 60, 100_000));
    clock.advance(Duration.ofMinutes(16));
    publishAll(stream, records(2_000_000, 160, 100_000));
    clock.advance(Duration.ofMinutes(16));
  }

  @Test
  void aNewOnDemandStreamHasFourShardsAndTakesAtMostFourMegabytesASecond() {
    InMemoryStream stream = new InMemoryStream(StreamLimits.onDemand(), clock);
    assertThat(stream.shardIds()).hasSize(4);
    assertThat(stream.activeShards()).isEqualTo(4);

    // 60 records of 100 KB on distinct keys: 6 MB, spread over the shards
    long accepted = publishAll(stream, records(0, 60, 100_000));

    assertThat(accepted).as("at most 4 MB of the 6").isLessThanOrEqualTo(40).isGreaterThan(20);
    assertThat(stream.throttledRecords()).isEqualTo(60 - accepted);
    clock.advance(Duration.ofSeconds(1));
    assertThat(publishAll(stream, records(100, 4, 100_000))).as("the next second").isEqualTo(4);
  }

  @Test
  void shardsAddedForRecordsDoNotRaiseTheBytesAllowance() {
    InMemoryStream stream = new InMemoryStream(StreamLimits.onDemand(), clock);
    // one second of 3,000 small records: a records peak that settles into 6,000 records a second, 6 shards
    long small = publishAll(stream, records(0, 3_000, 200));
    assertThat(small).isEqualTo(3_000);
    clock.advance(Duration.ofMinutes(16));
    assertThat(stream.activeShards()).isEqualTo(6);

    List<PublishOutcome> outcomes = new ArrayList<>();
    for (Chunk c : records(10_000, 60, 100_000)) outcomes.addAll(stream.publish(List.of(c)));

    assertThat(InMemoryStreamLimitsTest.accepted(outcomes)).as("6 shards of 1 MB, but the stream's 4 MB").isEqualTo(40);
    assertThat(outcomes).filteredOn(PublishOutcome.Throttled.class::isInstance)
        .anySatisfy(o -> assertThat(((PublishOutcome.Throttled) o).reason()).contains("on-demand stream is over its 4.0 MB/s"));
  }

  @Test
  void aHotKeyIsHeldToOneMegabyteASecondHoweverLargeTheStreamGrows() {
    InMemoryStream stream = new InMemoryStream(StreamLimits.onDemand(), clock);
    grow(stream);
    assertThat(stream.activeShards()).as("the shards grew with the allowance").isGreaterThanOrEqualTo(10);
    assertThat(stream.onDemandCapacity().orElseThrow().writeBytesPerSecond(clock.now())).isGreaterThanOrEqualTo(10_000_000);

    Chunk hot = record(7, 100_000);
    List<Chunk> twoMegabytesOnOneKey = new ArrayList<>();
    for (int i = 0; i < 20; i++) twoMegabytesOnOneKey.add(hot);
    long accepted = InMemoryStreamLimitsTest.accepted(stream.publish(twoMegabytesOnOneKey));

    assertThat(accepted).as("one key, one shard: 1 MB of the 2").isEqualTo(10);
  }

  @Test
  void aShardHoldsAThousandRecordsASecondBehindTheAllowance() {
    InMemoryStream stream = new InMemoryStream(StreamLimits.onDemand(), clock);
    // small records all hashing to the first of the four shards
    List<Chunk> onShard0 = new ArrayList<>();
    for (long seq = 0; onShard0.size() < 1_200; seq++) {
      Chunk c = record(seq, 200);
      if (stream.shardFor(c.id().streamPartitionKey()) == 0) onShard0.add(c);
    }

    long accepted = 0;
    for (int from = 0; from < onShard0.size(); from += 500) {
      accepted += InMemoryStreamLimitsTest.accepted(stream.publish(onShard0.subList(from, Math.min(onShard0.size(), from + 500))));
    }

    assertThat(accepted).as("the stream takes 4,000 records a second, the shard 1,000").isEqualTo(1_000);
  }

  @Test
  void aGrownStreamIsReadAtTheReadLimitsOfTheShardsEachInitialShardsSliceHolds() {
    InMemoryStream stream = new InMemoryStream(StreamLimits.onDemand(), clock);
    assertThat(readCallsInOneSecond(stream)).as("a new stream: 5 calls a second a shard").isEqualTo(5);

    grow(stream);
    int shards = stream.activeShards();
    assertThat(shards).isGreaterThanOrEqualTo(10);

    int inFirstSlice = (shards + 3) / 4;
    assertThat(readCallsInOneSecond(stream)).as("shard 0's slice overlaps %d of the %d shards", inFirstSlice, shards).isEqualTo(5 * inFirstSlice);
  }

  private int readCallsInOneSecond(InMemoryStream stream) {
    clock.advance(Duration.ofSeconds(1));
    String shard = stream.shardIds().get(0);
    int calls = 0;
    while (!stream.read(shard, stream.tip(shard), 1).throttled()) calls++;
    return calls;
  }

  @Test
  void onDemandBillingCountsEachRecordRoundedUpToAKibibyteAndWhatIsRead() {
    InMemoryStream stream = new InMemoryStream(StreamLimits.onDemand(), clock);
    stream.publish(List.of(record(1, 1_500), record(2, 1_024)));
    String shard = stream.shardIds().get(stream.shardFor(record(1, 1_500).id().streamPartitionKey()));

    assertThat(stream.billedIngestBytes()).isEqualTo(2_048 + 1_024);
    InMemoryStream.ReadResult read = stream.read(shard, 0, 10);
    assertThat(stream.readBytes()).isEqualTo(read.records().stream().mapToLong(r -> r.data().length).sum()).isPositive();
  }

  @Test
  void aProvisionedStreamIsUnchanged() {
    StreamLimits limits = StreamLimits.kinesis(3).withRetention(Duration.ofDays(2));
    InMemoryStream stream = new InMemoryStream(limits, clock);

    assertThat(limits.isOnDemand()).isFalse();
    assertThat(StreamLimits.onDemand().withRetention(Duration.ofDays(2)).isOnDemand()).isTrue();
    assertThat(stream.activeShards()).isEqualTo(3);
    assertThat(stream.onDemandCapacity()).isEmpty();
  }
}
