package io.spillway.application.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spillway.application.port.out.ChunkStream;
import io.spillway.application.port.out.PublishOutcome;
import io.spillway.domain.chunk.Chunk;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * What every {@link ChunkStream} adapter must do: one outcome per chunk, in order; accepted chunks
 * carry their shard and a decimal sequence number that grows, per shard, from call to call; a chunk
 * always goes to the shard of its partition key; calls over PutRecords' limits are refused before
 * anything is sent, with an {@link IllegalArgumentException} that names the limit. Throttling is
 * not part of the contract (kinesis-mock does not throttle): the stream under test must take the
 * contract's load, up to about 6 MB in a second, without refusing any of it.
 */
public abstract class ChunkStreamContract {

  /** A new stream with several shards, whose capacity the contract's load does not exceed. */
  protected abstract ChunkStream newStream();

  private static List<PublishOutcome.Accepted> accepted(List<PublishOutcome> outcomes) {
    List<PublishOutcome.Accepted> out = new ArrayList<>();
    for (PublishOutcome o : outcomes) {
      assertThat(o).isInstanceOf(PublishOutcome.Accepted.class);
      out.add((PublishOutcome.Accepted) o);
    }
    return out;
  }

  private static BigInteger sequence(PublishOutcome.Accepted a) {
    assertThat(a.sequenceNumber()).as("a decimal sequence number").matches("[0-9]{1,128}");
    return new BigInteger(a.sequenceNumber());
  }

  @Test
  void anEmptyCallHasNoOutcomes() {
    assertThat(newStream().publish(List.of())).isEmpty();
  }

  @Test
  void everyChunkGetsOneOutcomeInOrderWithItsShardAndSequenceNumber() {
    ChunkStream stream = newStream();
    List<Chunk> chunks = ContractFixtures.jobChunks();

    List<PublishOutcome> outcomes = stream.publish(chunks);

    assertThat(outcomes).hasSize(chunks.size());
    List<PublishOutcome.Accepted> accepted = accepted(outcomes);
    Set<String> positions = new HashSet<>();
    for (PublishOutcome.Accepted a : accepted) {
      assertThat(a.shardId()).isNotBlank();
      sequence(a);
      assertThat(positions.add(a.shardId() + "@" + new BigInteger(a.sequenceNumber()))).as("each record has its own position").isTrue();
    }
    assertThat(accepted.stream().map(PublishOutcome.Accepted::shardId).distinct().count())
        .as("%d partition keys spread over more than one shard", chunks.size()).isGreaterThan(1);
  }

  @Test
  void outcomesFollowTheOrderOfTheChunks() {
    ChunkStream stream = newStream();
    List<Chunk> chunks = ContractFixtures.jobChunks().subList(0, 40);
    Map<String, String> shardOfKey = new HashMap<>();
    for (int i = 0; i < chunks.size(); i++) {
      shardOfKey.put(chunks.get(i).id().streamPartitionKey(), accepted(stream.publish(List.of(chunks.get(i)))).get(0).shardId());
    }

    List<Chunk> reversed = new ArrayList<>(chunks);
    Collections.reverse(reversed);
    List<PublishOutcome.Accepted> outcomes = accepted(stream.publish(reversed));

    for (int i = 0; i < reversed.size(); i++) {
      assertThat(outcomes.get(i).shardId()).as("outcome %d is the shard of chunk %d's key", i, i)
          .isEqualTo(shardOfKey.get(reversed.get(i).id().streamPartitionKey()));
    }
  }

  @Test
  void aChunkPublishedAgainGoesToTheSameShardFurtherOn() {
    ChunkStream stream = newStream();
    Chunk chunk = ContractFixtures.firstEuChunk();

    PublishOutcome.Accepted first = accepted(stream.publish(List.of(chunk))).get(0);
    PublishOutcome.Accepted second = accepted(stream.publish(List.of(chunk))).get(0);

    assertThat(second.shardId()).isEqualTo(first.shardId());
    assertThat(sequence(second)).isGreaterThan(sequence(first));
  }

  @Test
  void sequenceNumbersGrowPerShardFromCallToCall() {
    ChunkStream stream = newStream();
    List<Chunk> chunks = ContractFixtures.jobChunks();
    Map<String, BigInteger> highest = new HashMap<>();

    for (int call = 0; call < 4; call++) {
      List<Chunk> batch = chunks.subList(call * 30, call * 30 + 30);
      Map<String, BigInteger> lowestOfCall = new HashMap<>();
      Map<String, BigInteger> highestOfCall = new HashMap<>();
      for (PublishOutcome.Accepted a : accepted(stream.publish(batch))) {
        BigInteger seq = sequence(a);
        lowestOfCall.merge(a.shardId(), seq, BigInteger::min);
        highestOfCall.merge(a.shardId(), seq, BigInteger::max);
      }
      for (Map.Entry<String, BigInteger> e : lowestOfCall.entrySet()) {
        BigInteger before = highest.get(e.getKey());
        if (before != null) {
          assertThat(e.getValue()).as("call %d on %s", call, e.getKey()).isGreaterThan(before);
        }
      }
      highestOfCall.forEach((shard, seq) -> highest.merge(shard, seq, BigInteger::max));
    }
  }

  @Test
  void fiveHundredChunksInOneCallAreTaken() {
    ChunkStream stream = newStream();
    List<Chunk> chunks = ContractFixtures.cycle(ContractFixtures.jobChunks(), ChunkStream.MAX_RECORDS_PER_CALL);

    List<PublishOutcome> outcomes = stream.publish(chunks);

    assertThat(accepted(outcomes)).hasSize(ChunkStream.MAX_RECORDS_PER_CALL);
  }

  @Test
  void moreThanFiveHundredChunksInOneCallAreRefusedNamingTheLimit() {
    ChunkStream stream = newStream();
    List<Chunk> chunks = ContractFixtures.cycle(ContractFixtures.jobChunks(), ChunkStream.MAX_RECORDS_PER_CALL + 1);

    assertThatThrownBy(() -> stream.publish(chunks))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(String.valueOf(ChunkStream.MAX_RECORDS_PER_CALL));
  }

  @Test
  void aCallUpToFiveMebibytesIsTakenAndOneOverIsRefusedNamingTheLimit() {
    ChunkStream stream = newStream();
    Chunk big = ContractFixtures.bigChunks().get(0);
    int fitting = (int) (ChunkStream.MAX_BYTES_PER_CALL / ContractFixtures.streamBytes(big));
    List<Chunk> upToTheLimit = Collections.nCopies(fitting, big);
    List<Chunk> overTheLimit = Collections.nCopies(fitting + 1, big);
    long upBytes = upToTheLimit.stream().mapToLong(ContractFixtures::streamBytes).sum();
    long overBytes = overTheLimit.stream().mapToLong(ContractFixtures::streamBytes).sum();
    assertThat(upBytes).isLessThanOrEqualTo(ChunkStream.MAX_BYTES_PER_CALL);
    assertThat(overBytes).isGreaterThan(ChunkStream.MAX_BYTES_PER_CALL);

    assertThatThrownBy(() -> stream.publish(overTheLimit))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(String.valueOf(ChunkStream.MAX_BYTES_PER_CALL));
    assertThat(accepted(stream.publish(upToTheLimit))).hasSize(fitting);
  }
}
