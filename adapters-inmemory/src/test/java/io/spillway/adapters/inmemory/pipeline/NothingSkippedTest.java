package io.spillway.adapters.inmemory.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spillway.application.port.in.IngestResult;
import io.spillway.application.port.in.OpenJob;
import io.spillway.application.port.in.StreamRecord;
import io.spillway.application.port.out.Chunks;
import io.spillway.application.port.out.DeadLetter;
import io.spillway.application.port.out.DeadLetters;
import io.spillway.application.port.out.PermanentStoreException;
import io.spillway.application.port.out.PutOutcome;
import io.spillway.application.port.out.RetryableStoreException;
import io.spillway.application.service.IngestSettings;
import io.spillway.domain.chunk.Chunk;
import io.spillway.domain.chunk.ChunkFormat;
import io.spillway.domain.event.Event;
import io.spillway.domain.job.JobClass;
import io.spillway.domain.job.JobId;
import io.spillway.domain.job.JobStatus;
import io.spillway.domain.testing.DomainArbitraries;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * No record is passed over: a poison record of any size is dead-lettered (its head, length and
 * digest when it is larger than an item), a chunk of a job never opened is dead-lettered as such,
 * and a record that can be neither stored nor dead-lettered now stops the batch before it.
 */
class NothingSkippedTest {
  private static final JobId JOB = new JobId("skip");

  static List<Event> events(JobId job, int n, int payloadBytes) {
    List<Event> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(new Event(job, i, "e-" + i, Instant.parse("2026-01-01T00:00:00Z").plusMillis(i), "t", "g" + (i % 3), 1,
          DomainArbitraries.randomBytes(i, payloadBytes)));
    }
    return out;
  }

  static List<StreamRecord> produce(Harness h, JobId job, List<Event> events) {
    h.intake.open(new OpenJob(Optional.of(job), "skip", JobClass.STANDARD, 2));
    h.intake.appendAll(job, events);
    h.intake.seal(job);
    return h.allRecords();
  }

  static StreamRecord at(StreamRecord like, String position, byte[] data) {
    return new StreamRecord(like.shardId(), position, like.arrivedAt(), data);
  }

  /** [valid, poison, valid], the poison at a position between the two. */
  static List<StreamRecord> sandwich(List<StreamRecord> valid, byte[] poison) {
    StreamRecord a = valid.get(0);
    StreamRecord b = valid.get(1);
    return List.of(at(a, "1", a.data()), at(a, "2", poison), at(b, "3", b.data()));
  }

  static byte[] random(int size, long seed) {
    byte[] bytes = new byte[size];
    new Random(seed).nextBytes(bytes);
    return bytes;
  }

  @Test
  void aPoisonRecordLargerThanAnItemIsDeadLetteredByItsHeadAndTheValidRecordsAroundItAreStored() {
    try (Harness h = Harness.unbounded()) {
      List<StreamRecord> valid = produce(h, JOB, events(JOB, 300, 2_000));
      byte[] poison = random(990 * 1024, 11);
      System.arraycopy("SPWC".getBytes(), 0, poison, 0, 4);
      List<StreamRecord> batch = sandwich(valid, poison);

      IngestResult result = h.newConsumer(IngestSettings.defaults()).ingest(batch);

      assertThat(result.complete()).isTrue();
      assertThat(result.written()).isEqualTo(2);
      assertThat(result.deadLettered()).isEqualTo(1);
      assertThat(result.checkpoint()).contains("3");
      DeadLetter letter = h.deadLetters.list(5).get(0);
      assertThat(letter.position()).isEqualTo("2");
      assertThat(letter.recordLength()).isEqualTo(990 * 1024);
      assertThat(letter.truncated()).isTrue();
      assertThat(letter.record()).hasSize(DeadLetter.KEPT_BYTES).isEqualTo(java.util.Arrays.copyOf(poison, DeadLetter.KEPT_BYTES));
      assertThat(letter.sha256()).isEqualTo(DeadLetter.sha256(poison));
      assertThat(letter.reason()).isNotBlank();
      for (StreamRecord r : List.of(batch.get(0), batch.get(2))) {
        Chunk c = ChunkFormat.parse(r.data());
        assertThat(h.chunks.count(c.id().jobId(), c.id().bucket())).isPositive();
      }
    }
  }

  @Test
  void aChunkOfAJobNeverOpenedIsDeadLetteredAsUnknownJobAndNotStored() {
    try (Harness h = Harness.unbounded()) {
      List<StreamRecord> records = produce(h, JOB, events(JOB, 100, 500));
      List<StreamRecord> elsewhere;
      try (Harness other = Harness.unbounded()) {
        elsewhere = produce(other, new JobId("other-table"), events(new JobId("other-table"), 50, 500));
      }
      List<StreamRecord> batch = new ArrayList<>(records);
      batch.add(at(records.get(0), "x-1", elsewhere.get(0).data()));

      IngestResult result = h.newConsumer(IngestSettings.defaults()).ingest(batch);

      assertThat(result.complete()).isTrue();
      assertThat(result.deadLettered()).isEqualTo(1);
      assertThat(h.deadLetters.list(5)).singleElement().satisfies(d -> {
        assertThat(d.reason()).isEqualTo(DeadLetter.UNKNOWN_JOB);
        assertThat(d.position()).isEqualTo("x-1");
        assertThat(d.record()).isEqualTo(elsewhere.get(0).data());
      });
      assertThat(h.chunks.count(new JobId("other-table"), 0) + h.chunks.count(new JobId("other-table"), 1)).isZero();
      assertThat(h.jobs.find(new JobId("other-table"))).isEmpty();
      assertThat(h.jobs.find(JOB).orElseThrow().status()).isEqualTo(JobStatus.AVAILABLE);
    }
  }

  @Test
  void whenADeadLetterCannotBeWrittenTheBatchStopsBeforeThePoisonAndResumesThere() {
    try (Harness h = Harness.unbounded()) {
      List<StreamRecord> batch = sandwich(produce(h, JOB, events(JOB, 300, 2_000)), random(1_000, 3));
      AtomicInteger refusals = new AtomicInteger(2);
      DeadLetters flaky = new FailingDeadLetters(h.deadLetters, () -> refusals.getAndDecrement() > 0);
      var consumer = h.newConsumer(IngestSettings.defaults(), h.chunks, flaky);

      IngestResult first = consumer.ingest(batch);

      assertThat(first.checkpoint()).contains("1");
      assertThat(first.durable()).isEqualTo(1);
      assertThat(first.remaining()).isEqualTo(2);
      assertThat(h.deadLetters.count()).isZero();
      IngestResult second = consumer.ingest(batch.subList(1, 3));
      assertThat(second.checkpoint()).as("still refused once").isEmpty();
      IngestResult third = consumer.ingest(batch.subList(1, 3));
      assertThat(third.complete()).isTrue();
      assertThat(third.checkpoint()).contains("3");
      assertThat(h.deadLetters.list(5)).extracting(DeadLetter::position).containsExactly("2");
    }
  }

  @Test
  void aStoreFailureNoRetryFixesIsThrownAndNothingAfterItIsCheckpointed() {
    try (Harness h = Harness.unbounded()) {
      List<StreamRecord> records = produce(h, JOB, events(JOB, 300, 2_000));
      AtomicInteger puts = new AtomicInteger();
      Chunks tableGone = new DelegatingChunks(h.chunks) {
        @Override
        public PutOutcome putIfAbsent(Chunk chunk) {
          if (puts.incrementAndGet() > 1) {
            throw new PermanentStoreException("spillway-table", "PutItem on DynamoDB table spillway-table failed: ResourceNotFoundException", null);
          }
          return super.putIfAbsent(chunk);
        }
      };
      var consumer = h.newConsumer(IngestSettings.defaults(), tableGone, h.deadLetters);

      assertThatThrownBy(() -> consumer.ingest(records)).isInstanceOf(PermanentStoreException.class)
          .hasMessageContaining("spillway-table");

      assertThat(puts).as("not retried").hasValue(2);
      assertThat(h.deadLetters.count()).as("the record is not the fault").isZero();
    }
  }

  @Test
  void anItemTheStoreRefusesForGoodIsDeadLetteredWithTheStoresReason() {
    try (Harness h = Harness.unbounded()) {
      List<StreamRecord> batch = sandwich(produce(h, JOB, events(JOB, 300, 2_000)), random(10, 1));
      StreamRecord refusedRecord = batch.get(2);
      Chunk refusedChunk = ChunkFormat.parse(refusedRecord.data());
      Chunks picky = new DelegatingChunks(h.chunks) {
        @Override
        public PutOutcome putIfAbsent(Chunk chunk) {
          return chunk.id().equals(refusedChunk.id()) ? new PutOutcome.Refused("ITEM_TOO_LARGE", "Item size has exceeded the maximum allowed size")
              : super.putIfAbsent(chunk);
        }
      };

      IngestResult result = h.newConsumer(IngestSettings.defaults(), picky, h.deadLetters).ingest(batch);

      assertThat(result.complete()).isTrue();
      assertThat(result.deadLettered()).isEqualTo(2);
      assertThat(result.throttled()).as("a refusal is not throttling").isZero();
      assertThat(h.deadLetters.list(5)).extracting(DeadLetter::position, DeadLetter::reason)
          .contains(org.assertj.core.groups.Tuple.tuple("3", "ITEM_TOO_LARGE"));
    }
  }

  /** Passes every call to the in-memory table; tests override what should fail. */
  static class DelegatingChunks implements Chunks {
    private final Chunks inner;

    DelegatingChunks(Chunks inner) {
      this.inner = inner;
    }

    @Override
    public PutOutcome putIfAbsent(Chunk chunk) {
      return inner.putIfAbsent(chunk);
    }

    @Override
    public Stream<Chunk> read(JobId job, int bucket, Optional<String> group) {
      return inner.read(job, bucket, group);
    }

    @Override
    public long count(JobId job, int bucket) {
      return inner.count(job, bucket);
    }

    @Override
    public long deleteAll(JobId job, int bucket) {
      return inner.deleteAll(job, bucket);
    }

    @Override
    public java.util.stream.Stream<io.spillway.domain.chunk.ChunkId> storedIds(JobId job, int bucket) {
      return inner.storedIds(job, bucket);
    }

    @Override
    public Stream<io.spillway.application.port.out.StoredItem> items(JobId job, int bucket) {
      return inner.items(job, bucket);
    }
  }

  /** Keeps letters in {@code inner}, but refuses an add with a timeout whenever {@code fails} says so. */
  static final class FailingDeadLetters implements DeadLetters {
    private final DeadLetters inner;
    private final java.util.function.BooleanSupplier fails;

    FailingDeadLetters(DeadLetters inner, java.util.function.BooleanSupplier fails) {
      this.inner = inner;
      this.fails = fails;
    }

    @Override
    public void add(DeadLetter letter) {
      if (fails.getAsBoolean()) {
        throw new RetryableStoreException("PutItem of a dead letter timed out");
      }
      inner.add(letter);
    }

    @Override
    public List<DeadLetter> list(int limit) {
      return inner.list(limit);
    }

    @Override
    public long count() {
      return inner.count();
    }

    @Override
    public Optional<DeadLetter> find(String source, String position) {
      return inner.find(source, position);
    }

    @Override
    public boolean replace(DeadLetter letter) {
      return inner.replace(letter);
    }

    @Override
    public boolean remove(String source, String position) {
      return inner.remove(source, position);
    }
  }
}
