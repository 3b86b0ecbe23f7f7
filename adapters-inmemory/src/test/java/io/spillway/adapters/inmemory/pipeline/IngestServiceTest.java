package io.spillway.adapters.inmemory.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.spillway.adapters.inmemory.StreamLimits;
import io.spillway.adapters.inmemory.TableCapacity;
import io.spillway.application.port.in.IngestResult;
import io.spillway.application.port.in.OpenJob;
import io.spillway.application.port.in.StreamRecord;
import io.spillway.application.port.out.DeadLetter;
import io.spillway.application.service.IngestService;
import io.spillway.application.service.IngestSettings;
import io.spillway.application.service.PublisherSettings;
import io.spillway.domain.event.Event;
import io.spillway.domain.job.JobClass;
import io.spillway.domain.job.JobId;
import io.spillway.domain.job.JobStatus;
import io.spillway.domain.testing.DomainArbitraries;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class IngestServiceTest {
  private static final JobId JOB = new JobId("ingest");

  private static List<Event> events(int n, int payloadBytes) {
    List<Event> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(new Event(JOB, i, "e-" + i, Instant.parse("2026-01-01T00:00:00Z").plusMillis(i), "t", "g" + (i % 3), 1,
          DomainArbitraries.randomBytes(i, payloadBytes)));
    }
    return out;
  }

  private static List<StreamRecord> produce(Harness h, List<Event> events, int buckets) {
    h.intake.open(new OpenJob(Optional.of(JOB), "ingest", JobClass.STANDARD, buckets));
    h.intake.appendAll(JOB, events);
    h.intake.seal(JOB);
    return h.allRecords();
  }

  private static StreamRecord withData(StreamRecord r, byte[] data) {
    return new StreamRecord(r.shardId(), r.sequenceNumber(), r.arrivedAt(), data);
  }

  @Test
  void aCorruptRecordIsDeadLetteredWithItsReasonAndDoesNotBlockTheRecordsAfterIt() {
    try (Harness h = Harness.unbounded()) {
      List<StreamRecord> records = produce(h, events(300, 2_000), 2);
      assertThat(records.size()).isGreaterThanOrEqualTo(3);
      byte[] flipped = records.get(0).data().clone();
      flipped[flipped.length - 1] ^= 0x5A;
      List<StreamRecord> batch = new ArrayList<>(records);
      batch.set(0, withData(records.get(0), flipped));
      batch.add(1, withData(records.get(1), "not a chunk at all".getBytes()));

      IngestResult result = h.newConsumer(IngestSettings.defaults()).ingest(batch);

      assertThat(result.complete()).isTrue();
      assertThat(result.deadLettered()).isEqualTo(2);
      assertThat(result.checkpoint()).contains(batch.get(batch.size() - 1).sequenceNumber());
      List<DeadLetter> letters = h.deadLetters.list(10);
      assertThat(letters).extracting(DeadLetter::reason).containsExactly("CHECKSUM_MISMATCH", "BAD_MAGIC");
      assertThat(letters.get(0).record()).isEqualTo(flipped);
      assertThat(letters.get(0).position()).isEqualTo(records.get(0).sequenceNumber());
      // the corrupted chunk is missing, so the job is not AVAILABLE: the loss is visible, not silent
      assertThat(h.jobs.find(JOB).orElseThrow().status()).isEqualTo(JobStatus.SEALED);
      h.newConsumer(IngestSettings.defaults()).ingest(List.of(records.get(0)));
      assertThat(h.jobs.find(JOB).orElseThrow().status()).isEqualTo(JobStatus.AVAILABLE);
    }
  }

  @Test
  void aRedeliveredBatchIsCountedAsDuplicatesAndStoresNothingTwice() {
    try (Harness h = Harness.unbounded()) {
      List<StreamRecord> records = produce(h, events(200, 3_000), 3);
      IngestService consumer = h.newConsumer(IngestSettings.defaults());
      IngestResult first = consumer.ingest(records);
      IngestResult again = h.newConsumer(IngestSettings.defaults()).ingest(records);

      assertThat(first.written()).isEqualTo(records.size());
      assertThat(again.written()).isZero();
      assertThat(again.duplicates()).isEqualTo(records.size());
      assertThat(again.checkpoint()).isEqualTo(first.checkpoint());
      assertThat(h.chunks.itemsWritten()).isEqualTo(records.size());
      assertThat(h.readBack(JOB)).hasSize(200);
    }
  }

  @Test
  void whenTheTableKeepsThrottlingTheCheckpointStopsBeforeTheFirstRecordNotDurable() {
    // 100 WCU/s and no saved burst: a ~300 KB chunk (300 WCU) can never pass in one second
    TableCapacity.Settings tiny = new TableCapacity.Settings(TableCapacity.Mode.PROVISIONED, 100, Duration.ofSeconds(300), 1_000, 0);
    try (Harness h = new Harness(StreamLimits.unbounded(1), tiny, PublisherSettings.defaults())) {
      List<StreamRecord> records = produce(h, events(300, 3_000), 1);
      IngestSettings settings = new IngestSettings(1_000_000, 3, Duration.ofMillis(1), Duration.ofMillis(2), true);

      IngestResult result = h.newConsumer(settings).ingest(records);

      assertThat(result.complete()).isFalse();
      assertThat(result.durable()).isZero();
      assertThat(result.checkpoint()).isEmpty();
      assertThat(result.throttled()).isEqualTo(3);
      assertThat(h.chunks.itemsWritten()).isZero();

      // capacity saved up over time lets the same records through: redelivery completes the job
      h.clock.advance(Duration.ofMinutes(5));
      IngestResult retry = h.newConsumer(IngestSettings.defaults()).ingest(records);
      assertThat(retry.complete()).isTrue();
      assertThat(h.jobs.find(JOB).orElseThrow().status()).isEqualTo(JobStatus.AVAILABLE);
    }
  }

  @Test
  void theGovernorPacesWritesToTheBudget() {
    try (Harness h = Harness.unbounded()) {
      List<StreamRecord> records = produce(h, events(400, 4_000), 2);
      long units = 0;
      for (StreamRecord r : records) {
        units += io.spillway.domain.chunk.ChunkFormat.parse(r.data()).writeUnits();
      }
      double budget = 500;
      Instant start = h.clock.now();
      IngestResult result = h.newConsumer(IngestSettings.defaults().withWriteUnitsPerSecond(budget)).ingest(records);
      double seconds = Duration.between(start, h.clock.now()).toNanos() / 1e9;

      assertThat(result.complete()).isTrue();
      // a one-second bucket starts full, so the first `budget` units pass at once; the rest at the budget
      assertThat(seconds).isGreaterThanOrEqualTo((units - budget - 400) / budget);
      assertThat(units / Math.max(seconds, 1e-9)).isLessThanOrEqualTo(budget * 2.5);
    }
  }
}
