package io.spillway.adapters.inmemory;

import static org.assertj.core.api.Assertions.assertThat;

import io.spillway.application.contract.ContractFixtures;
import io.spillway.application.port.in.Ingest;
import io.spillway.application.port.in.IngestResult;
import io.spillway.application.port.in.StreamRecord;
import io.spillway.application.port.out.PublishOutcome;
import io.spillway.domain.chunk.Chunk;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.ToIntFunction;
import org.junit.jupiter.api.Test;

/** The KCL stand-in: checkpoints what ingest reports durable, and after a crash redelivers from the checkpoint. */
class InMemoryStreamConsumerTest {
  final ManualClock clock = ManualClock.atEpochDay();

  /**
   * Records every batch it is handed and reports the first {@code durable.applyAsInt(batch)}
   * records durable; {@code complete} says whether the rest counts as taken (buffered) or is
   * handed back as remaining.
   */
  static final class RecordingIngest implements Ingest {
    final List<List<StreamRecord>> batches = new ArrayList<>();
    ToIntFunction<List<StreamRecord>> durable = List::size;
    boolean complete = true;

    @Override
    public IngestResult ingest(List<StreamRecord> records) {
      batches.add(List.copyOf(records));
      int n = durable.applyAsInt(records);
      Optional<String> checkpoint = n == 0 ? Optional.empty() : Optional.of(records.get(n - 1).sequenceNumber());
      int remaining = complete ? 0 : records.size() - n;
      return new IngestResult(checkpoint, n, n, 0, 0, 0, remaining, n);
    }

    List<String> delivered(int batch) {
      return batches.get(batch).stream().map(r -> r.shardId() + "@" + r.sequenceNumber()).toList();
    }

    List<StreamRecord> all() {
      return batches.stream().flatMap(List::stream).toList();
    }
  }

  /** Ten chunks (over however many shards the stream has), by the position they were given. */
  static Map<String, byte[]> publishTen(InMemoryStream stream) {
    List<Chunk> chunks = ContractFixtures.jobChunks().subList(0, 10);
    List<PublishOutcome> outcomes = stream.publish(chunks);
    Map<String, byte[]> byPosition = new HashMap<>();
    for (int i = 0; i < chunks.size(); i++) {
      PublishOutcome.Accepted a = (PublishOutcome.Accepted) outcomes.get(i);
      byPosition.put(a.shardId() + "@" + a.sequenceNumber(), chunks.get(i).record());
    }
    return byPosition;
  }

  @Test
  void aCrashBeforeTheCheckpointRedeliversEverythingAfterIt() {
    InMemoryStream stream = new InMemoryStream(StreamLimits.unbounded(1), clock);
    publishTen(stream);
    RecordingIngest ingest = new RecordingIngest();
    ingest.durable = batch -> Math.min(4, batch.size());
    InMemoryStreamConsumer consumer = new InMemoryStreamConsumer(stream, ingest, 100);

    assertThat(consumer.pollOnce()).isEqualTo(10);
    assertThat(consumer.pollOnce()).as("read to the tip; nothing new").isZero();
    assertThat(consumer.caughtUp()).as("six records are read but not checkpointed").isFalse();

    consumer.crash();
    ingest.durable = List::size;
    assertThat(consumer.pollOnce()).isEqualTo(6);

    List<StreamRecord> first = ingest.batches.get(0);
    List<StreamRecord> redelivered = ingest.batches.get(ingest.batches.size() - 1);
    assertThat(redelivered).extracting(StreamRecord::sequenceNumber)
        .containsExactlyElementsOf(first.subList(4, 10).stream().map(StreamRecord::sequenceNumber).toList());
    for (int i = 0; i < redelivered.size(); i++) {
      assertThat(redelivered.get(i).data()).as("redelivered bytes").isEqualTo(first.get(4 + i).data());
    }
    assertThat(consumer.caughtUp()).isTrue();
    assertThat(consumer.recordsDelivered()).isEqualTo(16);
  }

  @Test
  void aCrashAfterAFullCheckpointRedeliversNothing() {
    InMemoryStream stream = new InMemoryStream(StreamLimits.unbounded(1), clock);
    publishTen(stream);
    RecordingIngest ingest = new RecordingIngest();
    InMemoryStreamConsumer consumer = new InMemoryStreamConsumer(stream, ingest, 100);
    consumer.pollOnce();

    consumer.crash();

    assertThat(consumer.pollOnce()).isZero();
    assertThat(consumer.caughtUp()).isTrue();
    assertThat(ingest.batches).hasSize(1);
  }

  @Test
  void everyShardResumesFromItsOwnCheckpoint() {
    InMemoryStream stream = new InMemoryStream(StreamLimits.unbounded(3), clock);
    Map<String, byte[]> published = publishTen(stream);
    long shardsWithRecords = published.keySet().stream().map(k -> k.substring(0, k.indexOf('@'))).distinct().count();
    assertThat(shardsWithRecords).isGreaterThan(1);
    RecordingIngest ingest = new RecordingIngest();
    ingest.durable = batch -> batch.size() / 2;
    InMemoryStreamConsumer consumer = new InMemoryStreamConsumer(stream, ingest, 100);
    consumer.pollOnce();
    List<StreamRecord> firstDelivery = ingest.all();
    assertThat(ingest.batches).as("one batch per shard with records").hasSize((int) shardsWithRecords);

    consumer.crash();
    ingest.durable = List::size;
    int before = ingest.batches.size();
    consumer.pollOnce();

    List<String> expected = new ArrayList<>();
    for (int b = 0; b < before; b++) {
      List<String> batch = ingest.delivered(b);
      expected.addAll(batch.subList(batch.size() / 2, batch.size()));
    }
    List<String> redelivered = new ArrayList<>();
    for (int b = before; b < ingest.batches.size(); b++) {
      redelivered.addAll(ingest.delivered(b));
    }
    assertThat(redelivered).containsExactlyInAnyOrderElementsOf(expected);
    assertThat(firstDelivery).hasSize(10);
    for (StreamRecord r : ingest.all()) {
      assertThat(r.data()).isEqualTo(published.get(r.shardId() + "@" + r.sequenceNumber()));
    }
    assertThat(consumer.caughtUp()).isTrue();
  }

  @Test
  void anIncompleteBatchIsHandedInAgainFromItsCheckpointWithoutACrash() {
    InMemoryStream stream = new InMemoryStream(StreamLimits.unbounded(1), clock);
    publishTen(stream);
    RecordingIngest ingest = new RecordingIngest();
    ingest.complete = false;
    ingest.durable = batch -> Math.min(3, batch.size());
    InMemoryStreamConsumer consumer = new InMemoryStreamConsumer(stream, ingest, 100);

    consumer.pollOnce();
    ingest.durable = List::size;
    consumer.pollOnce();

    assertThat(ingest.batches.get(1)).extracting(StreamRecord::sequenceNumber)
        .containsExactlyElementsOf(ingest.batches.get(0).subList(3, 10).stream().map(StreamRecord::sequenceNumber).toList());
    assertThat(consumer.redeliveries()).isEqualTo(7);
    assertThat(consumer.caughtUp()).isTrue();
  }

  @Test
  void aBatchWithNothingDurableIsHandedInAgainWhole() {
    InMemoryStream stream = new InMemoryStream(StreamLimits.unbounded(1), clock);
    publishTen(stream);
    RecordingIngest ingest = new RecordingIngest();
    ingest.complete = false;
    ingest.durable = batch -> 0;
    InMemoryStreamConsumer consumer = new InMemoryStreamConsumer(stream, ingest, 100);

    consumer.pollOnce();
    consumer.pollOnce();

    assertThat(ingest.delivered(1)).isEqualTo(ingest.delivered(0)).hasSize(10);
    assertThat(consumer.caughtUp()).isFalse();
  }

  @Test
  void drainPollsUntilEverythingIsCheckpointed() throws InterruptedException {
    InMemoryStream stream = new InMemoryStream(StreamLimits.unbounded(2), clock);
    publishTen(stream);
    RecordingIngest ingest = new RecordingIngest();
    InMemoryStreamConsumer consumer = new InMemoryStreamConsumer(stream, ingest, 3);

    assertThat(consumer.drain(100)).isEqualTo(10);
    assertThat(consumer.caughtUp()).isTrue();
    assertThat(ingest.batches).allSatisfy(b -> assertThat(b).hasSizeLessThanOrEqualTo(3));
  }

  @Test
  void recordsCheckpointedThroughTheConsumerAreNotLostWhenTheyExpire() {
    InMemoryStream stream = new InMemoryStream(StreamLimits.kinesis(1), clock);
    publishTen(stream);
    RecordingIngest ingest = new RecordingIngest();
    ingest.durable = batch -> Math.min(4, batch.size());
    InMemoryStreamConsumer consumer = new InMemoryStreamConsumer(stream, ingest, 100);
    consumer.pollOnce();

    clock.advance(Duration.ofHours(25));

    assertThat(stream.expiredRecords()).isEqualTo(10);
    assertThat(stream.lostRecords()).as("read but never checkpointed").isEqualTo(6);
  }

  @Test
  void pollsBeyondFiveASecondAreThrottledReads() {
    InMemoryStream stream = new InMemoryStream(StreamLimits.kinesis(1), clock);
    publishTen(stream);
    RecordingIngest ingest = new RecordingIngest();
    InMemoryStreamConsumer consumer = new InMemoryStreamConsumer(stream, ingest, 2);

    for (int i = 0; i < 6; i++) {
      consumer.pollOnce();
    }

    assertThat(consumer.throttledReads()).isEqualTo(1);
    assertThat(consumer.recordsDelivered()).isEqualTo(10);
    clock.advance(Duration.ofSeconds(1));
    consumer.pollOnce();
    assertThat(consumer.throttledReads()).isEqualTo(1);
  }
}
