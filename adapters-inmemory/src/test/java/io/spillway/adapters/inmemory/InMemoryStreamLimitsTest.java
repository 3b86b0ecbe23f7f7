package io.spillway.adapters.inmemory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spillway.application.contract.ContractFixtures;
import io.spillway.application.port.out.ChunkStream;
import io.spillway.application.port.out.PublishOutcome;
import io.spillway.domain.chunk.Chunk;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The in-memory stream's modelled Kinesis limits: per-shard write and read rates, retention, iterator age. */
class InMemoryStreamLimitsTest {
  static final String SHARD_0 = "shardId-000000000000";

  final ManualClock clock = ManualClock.atEpochDay();

  /** The fixtures' small (single-unit, ~450-byte) chunks: a thousand of them are well under 1 MB. */
  static List<Chunk> smallChunks() {
    return ContractFixtures.jobChunks().stream().filter(c -> ContractFixtures.streamBytes(c) < 600).toList();
  }

  static long accepted(List<PublishOutcome> outcomes) {
    return outcomes.stream().filter(PublishOutcome.Accepted.class::isInstance).count();
  }

  static long throttled(List<PublishOutcome> outcomes) {
    return outcomes.stream().filter(PublishOutcome.Throttled.class::isInstance).count();
  }

  @Test
  void aShardTakesAThousandRecordsASecondAndThrottlesTheRest() {
    InMemoryStream stream = new InMemoryStream(StreamLimits.kinesis(1), clock);
    List<Chunk> fiveHundred = ContractFixtures.cycle(smallChunks(), 500);
    assertThat(fiveHundred.stream().mapToLong(ContractFixtures::streamBytes).sum() * 2).as("under 1 MB a second").isLessThan(1_000_000);

    assertThat(accepted(stream.publish(fiveHundred))).isEqualTo(500);
    assertThat(accepted(stream.publish(fiveHundred))).isEqualTo(500);
    List<PublishOutcome> over = stream.publish(fiveHundred.subList(0, 3));

    assertThat(over).hasSize(3).allSatisfy(o -> assertThat(o).isInstanceOfSatisfying(PublishOutcome.Throttled.class,
        t -> assertThat(t.reason()).contains("ProvisionedThroughputExceeded").contains(SHARD_0)));
    assertThat(stream.throttledRecords()).isEqualTo(3);

    clock.advance(Duration.ofSeconds(1));
    assertThat(accepted(stream.publish(fiveHundred.subList(0, 3)))).as("the next second").isEqualTo(3);
    assertThat(stream.acceptedRecords()).isEqualTo(1003);
  }

  @Test
  void aShardTakesAMegabyteASecondRecordByRecord() {
    InMemoryStream stream = new InMemoryStream(StreamLimits.kinesis(1), clock);
    List<Chunk> big = ContractFixtures.bigChunks();
    Chunk small = ContractFixtures.firstEuChunk();
    assertThat(ContractFixtures.streamBytes(big.get(0)) + ContractFixtures.streamBytes(big.get(1))).isLessThan(1_000_000);
    assertThat(ContractFixtures.streamBytes(big.get(0)) + ContractFixtures.streamBytes(big.get(1)) + ContractFixtures.streamBytes(big.get(2)))
        .isGreaterThan(1_000_000);

    List<PublishOutcome> outcomes = stream.publish(List.of(big.get(0), big.get(1), big.get(2), small));

    assertThat(outcomes.get(0)).isInstanceOf(PublishOutcome.Accepted.class);
    assertThat(outcomes.get(1)).isInstanceOf(PublishOutcome.Accepted.class);
    assertThat(outcomes.get(2)).as("over 1 MB in the second").isInstanceOf(PublishOutcome.Throttled.class);
    assertThat(outcomes.get(3)).as("a small record still fits").isInstanceOf(PublishOutcome.Accepted.class);

    clock.advance(Duration.ofMillis(999));
    assertThat(stream.publish(List.of(big.get(2))).get(0)).as("same second").isInstanceOf(PublishOutcome.Throttled.class);
    clock.advance(Duration.ofMillis(1));
    assertThat(stream.publish(List.of(big.get(2))).get(0)).as("the next second").isInstanceOf(PublishOutcome.Accepted.class);
  }

  @Test
  void theWriteLimitsArePerShard() {
    InMemoryStream stream = new InMemoryStream(StreamLimits.kinesis(2), clock);
    List<Chunk> onShard0 = smallChunks().stream().filter(c -> stream.shardFor(c.id().streamPartitionKey()) == 0).toList();
    Chunk onShard1 = smallChunks().stream().filter(c -> stream.shardFor(c.id().streamPartitionKey()) == 1).findFirst().orElseThrow();
    List<Chunk> fiveHundred = ContractFixtures.cycle(onShard0, 500);
    stream.publish(fiveHundred);
    stream.publish(fiveHundred);

    assertThat(stream.publish(List.of(onShard0.get(0))).get(0)).isInstanceOf(PublishOutcome.Throttled.class);
    assertThat(stream.publish(List.of(onShard1)).get(0)).isInstanceOfSatisfying(PublishOutcome.Accepted.class,
        a -> assertThat(a.shardId()).isEqualTo("shardId-000000000001"));
  }

  @Test
  void sequenceNumbersAreDenseTwentyDigitPositionsPerShard() {
    InMemoryStream stream = new InMemoryStream(StreamLimits.kinesis(1), clock);

    List<PublishOutcome> outcomes = stream.publish(smallChunks().subList(0, 3));

    assertThat(outcomes).extracting(o -> ((PublishOutcome.Accepted) o).sequenceNumber())
        .containsExactly("00000000000000000000", "00000000000000000001", "00000000000000000002");
    assertThat(InMemoryStream.position("00000000000000000002")).isEqualTo(2);
    assertThat(stream.tip(SHARD_0)).isEqualTo(3);
  }

  @Test
  void aCallOverPutRecordsLimitsSendsNothing() {
    InMemoryStream stream = new InMemoryStream(StreamLimits.unbounded(1), clock);
    Chunk big = ContractFixtures.bigChunks().get(0);

    assertThatThrownBy(() -> stream.publish(Collections.nCopies(ChunkStream.MAX_RECORDS_PER_CALL + 1, ContractFixtures.firstEuChunk())))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> stream.publish(Collections.nCopies(14, big))).isInstanceOf(IllegalArgumentException.class);

    assertThat(stream.acceptedRecords()).isZero();
    assertThat(stream.retainedRecords()).isZero();
  }

  @Test
  void aRecordOverOneMebibyteFailsTheWholeCallBeforeAnythingIsSent() {
    InMemoryStream stream = new InMemoryStream(StreamLimits.unbounded(1), clock);
    Chunk small = ContractFixtures.firstEuChunk();
    // not a chunk the assembler would cut (items stop at 409,600 bytes): only its size matters here
    Chunk oversized = new Chunk(small.id(), small.header(), Arrays.copyOf(small.record(), 1024 * 1024 + 1), small.payloadOffset());

    assertThatThrownBy(() -> stream.publish(List.of(small, oversized)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(String.valueOf(1024 * 1024));

    assertThat(stream.acceptedRecords()).as("Kinesis refuses the whole request").isZero();
    assertThat(stream.retainedRecords()).isZero();
  }

  @Test
  void recordsExpireAfterTheRetentionAndAreLostOnlyWhenNotCheckpointed() {
    InMemoryStream stream = new InMemoryStream(StreamLimits.kinesis(1), clock);
    stream.publish(smallChunks().subList(0, 5));
    stream.checkpointed(SHARD_0, 3);

    clock.advance(Duration.ofHours(24).minusSeconds(1));
    assertThat(stream.retainedRecords()).isEqualTo(5);
    assertThat(stream.expiredRecords()).isZero();

    clock.advance(Duration.ofSeconds(2));
    assertThat(stream.retainedRecords()).isZero();
    assertThat(stream.expiredRecords()).isEqualTo(5);
    assertThat(stream.lostRecords()).as("positions 3 and 4 were never checkpointed").isEqualTo(2);
    assertThat(stream.hasRecordsFrom(SHARD_0, 0)).isFalse();
    assertThat(stream.read(SHARD_0, 0, 100).records()).isEmpty();
  }

  @Test
  void aCheckpointNeverMovesBack() {
    InMemoryStream stream = new InMemoryStream(StreamLimits.kinesis(1), clock);
    stream.publish(smallChunks().subList(0, 5));
    stream.checkpointed(SHARD_0, 5);
    stream.checkpointed(SHARD_0, 2);

    clock.advance(Duration.ofHours(25));

    assertThat(stream.lostRecords()).isZero();
    assertThat(stream.expiredRecords()).isEqualTo(5);
  }

  @Test
  void aReadFromAnExpiredPositionStartsAtTheOldestRecordLeft() {
    InMemoryStream stream = new InMemoryStream(StreamLimits.kinesis(1), clock);
    stream.publish(smallChunks().subList(0, 2));
    clock.advance(Duration.ofHours(12));
    List<PublishOutcome> later = stream.publish(smallChunks().subList(2, 4));
    clock.advance(Duration.ofHours(13));

    InMemoryStream.ReadResult read = stream.read(SHARD_0, 0, 100);

    assertThat(read.records()).extracting(r -> r.sequenceNumber())
        .containsExactly(((PublishOutcome.Accepted) later.get(0)).sequenceNumber(), ((PublishOutcome.Accepted) later.get(1)).sequenceNumber());
    assertThat(read.nextPosition()).isEqualTo(4);
    assertThat(stream.lostRecords()).isEqualTo(2);
  }

  @Test
  void aLongerRetentionKeepsRecordsLonger() {
    InMemoryStream stream = new InMemoryStream(StreamLimits.kinesis(1).withRetention(Duration.ofDays(7)), clock);
    stream.publish(smallChunks().subList(0, 2));

    clock.advance(Duration.ofDays(6));
    assertThat(stream.retainedRecords()).isEqualTo(2);
    clock.advance(Duration.ofDays(1).plusSeconds(1));
    assertThat(stream.retainedRecords()).isZero();
  }

  @Test
  void aShardAnswersFiveGetRecordsCallsASecond() {
    InMemoryStream stream = new InMemoryStream(StreamLimits.kinesis(1), clock);
    stream.publish(smallChunks().subList(0, 10));

    long position = 0;
    for (int call = 0; call < 5; call++) {
      InMemoryStream.ReadResult read = stream.read(SHARD_0, position, 2);
      assertThat(read.throttled()).as("call %d", call).isFalse();
      assertThat(read.records()).hasSize(2);
      position = read.nextPosition();
    }
    InMemoryStream.ReadResult sixth = stream.read(SHARD_0, 0, 2);

    assertThat(sixth.throttled()).isTrue();
    assertThat(sixth.records()).isEmpty();
    assertThat(sixth.nextPosition()).isZero();

    clock.advance(Duration.ofSeconds(1));
    assertThat(stream.read(SHARD_0, 0, 2).throttled()).isFalse();
  }

  @Test
  void aShardServesAtMostTwoMegabytesASecondAcrossCalls() {
    StreamLimits writeFreely = new StreamLimits(1, Long.MAX_VALUE / 4, Integer.MAX_VALUE / 4, 2_000_000, 5, 10_000, 10_000_000, 1024 * 1024, Duration.ofHours(24));
    InMemoryStream stream = new InMemoryStream(writeFreely, clock);
    List<Chunk> big = new ArrayList<>();
    for (int i = 0; i < 3; i++) big.addAll(ContractFixtures.bigChunks());
    stream.publish(big.subList(0, 12));

    long read = 0;
    long position = 0;
    int throttledCalls = 0;
    for (int call = 0; call < 5; call++) {
      InMemoryStream.ReadResult r = stream.read(SHARD_0, position, 100);
      read += r.records().stream().mapToLong(s -> s.data().length).sum();
      position = r.nextPosition();
      throttledCalls += r.throttled() ? 1 : 0;
    }

    assertThat(read).as("bytes served in one second over five calls").isLessThanOrEqualTo(2_000_000).isGreaterThan(1_500_000);
    assertThat(throttledCalls).as("calls after the budget is spent are throttled, as Kinesis answers them").isEqualTo(4);
    clock.advance(Duration.ofSeconds(1));
    assertThat(stream.read(SHARD_0, position, 100).records()).as("the next second").isNotEmpty();
  }

  @Test
  void iteratorAgeIsTheAgeOfTheOldestRecordNotYetRead() {
    InMemoryStream stream = new InMemoryStream(StreamLimits.kinesis(1), clock);
    stream.publish(smallChunks().subList(0, 1));
    clock.advance(Duration.ofSeconds(10));
    stream.publish(smallChunks().subList(1, 2));

    assertThat(stream.iteratorAge(SHARD_0, 0)).isEqualTo(Duration.ofSeconds(10));
    assertThat(stream.iteratorAge(SHARD_0, 1)).isEqualTo(Duration.ZERO);

    clock.advance(Duration.ofSeconds(5));
    assertThat(stream.iteratorAge(SHARD_0, 0)).isEqualTo(Duration.ofSeconds(15));
    assertThat(stream.iteratorAge(SHARD_0, 1)).isEqualTo(Duration.ofSeconds(5));
    assertThat(stream.iteratorAge(SHARD_0, 2)).as("at the tip").isEqualTo(Duration.ZERO);

    InMemoryStream.ReadResult first = stream.read(SHARD_0, 0, 1);
    assertThat(first.behindLatest()).as("after reading position 0").isEqualTo(Duration.ofSeconds(5));
  }
}
