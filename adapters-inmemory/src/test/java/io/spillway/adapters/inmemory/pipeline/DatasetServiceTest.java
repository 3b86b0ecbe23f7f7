package io.spillway.adapters.inmemory.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spillway.application.port.in.DatasetNotAvailableException;
import io.spillway.application.port.in.Datasets.DatasetSummary;
import io.spillway.application.port.in.IncompleteDatasetException;
import io.spillway.application.port.in.JobProgress;
import io.spillway.application.port.in.OpenJob;
import io.spillway.application.port.in.StreamRecord;
import io.spillway.application.service.AvailabilityCheck;
import io.spillway.application.service.IngestSettings;
import io.spillway.domain.chunk.Chunk;
import io.spillway.domain.chunk.ChunkFormat;
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
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class DatasetServiceTest {
  private static final JobId JOB = new JobId("datasets");

  private static List<StreamRecord> produce(Harness h, int n) {
    h.intake.open(new OpenJob(Optional.of(JOB), "datasets", JobClass.STANDARD, 3));
    for (int i = 0; i < n; i++) {
      String group = i % 2 == 0 ? "eu" : "eu-west";
      h.intake.append(JOB, new Event(JOB, i, "e-" + i, Instant.parse("2026-01-01T00:00:00Z").plusMillis(i), "t", group, 1,
          DomainArbitraries.randomBytes(i, 5_000)));
    }
    h.intake.seal(JOB);
    return h.allRecords();
  }

  @Test
  void aJobIsNotServedBeforeItIsAvailable() {
    try (Harness h = Harness.unbounded()) {
      produce(h, 100);
      assertThatThrownBy(() -> h.readBack(JOB)).isInstanceOf(DatasetNotAvailableException.class).hasMessageContaining("SEALED");
      assertThatThrownBy(() -> h.readBack(new JobId("nobody"))).isInstanceOf(DatasetNotAvailableException.class).hasMessageContaining("unknown");
    }
  }

  @Test
  void aGroupReadReturnsThatGroupOnly_evenWhenAnotherGroupNameStartsWithIt() {
    try (Harness h = Harness.unbounded()) {
      h.newConsumer(IngestSettings.defaults()).ingest(produce(h, 400));
      List<Event> eu = new ArrayList<>();
      DatasetSummary summary = h.datasets.read(JOB, Optional.of("eu"), eu::add);

      assertThat(eu).hasSize(200).allSatisfy(e -> assertThat(e.groupKey()).isEqualTo("eu"));
      assertThat(summary.events()).isEqualTo(200);
      assertThat(summary.chunks()).isGreaterThan(1);
      assertThat(summary.verifiedAgainstManifest()).isFalse();
    }
  }

  @Test
  void aChunkAlteredAtRestFailsTheReadInsteadOfServingPartialData() {
    try (Harness h = Harness.unbounded()) {
      List<StreamRecord> records = produce(h, 400);
      h.newConsumer(IngestSettings.defaults()).ingest(records);
      Chunk victim = ChunkFormat.parse(records.get(1).data());
      byte[] altered = victim.record().clone();
      altered[altered.length - 3] ^= 1;
      h.chunks.corrupt(victim, altered);

      assertThatThrownBy(() -> h.readBack(JOB)).isInstanceOf(IncompleteDatasetException.class).hasMessageContaining("CHECKSUM_MISMATCH");
    }
  }

  @Test
  void aChunkSwappedForAnotherValidOneFailsTheManifestCheck() {
    try (Harness h = Harness.unbounded()) {
      List<StreamRecord> records = produce(h, 400);
      h.newConsumer(IngestSettings.defaults()).ingest(records);
      Chunk a = ChunkFormat.parse(records.get(0).data());
      Chunk b = ChunkFormat.parse(records.get(1).data());
      h.chunks.corrupt(a, b.record());

      assertThatThrownBy(() -> h.readBack(JOB)).isInstanceOf(IncompleteDatasetException.class);
    }
  }

  private static final Duration RETENTION = Duration.ofHours(24);

  /** A consumer process's availability sweep on a stream that keeps records for a day. */
  private static AvailabilityCheck sweeper(Harness h) {
    return new AvailabilityCheck(h.jobs, h.chunks, h.clock, AvailabilityCheck.Settings.defaults().withRetention(RETENTION));
  }

  /** Produces and seals the job, then stores all its chunks but the first {@code lost}. Returns how many chunks it has. */
  private static int produceLosing(Harness h, int lost) {
    List<StreamRecord> records = produce(h, 400);
    assertThat(records.size()).isGreaterThan(lost);
    h.newConsumer(IngestSettings.defaults()).ingest(records.subList(lost, records.size()));
    return records.size();
  }

  @Test
  void progressSaysHowManyChunksAreExpectedStoredAndMissing() {
    try (Harness h = Harness.unbounded()) {
      h.intake.open(new OpenJob(Optional.of(JOB), "datasets", JobClass.STANDARD, 3));
      JobProgress open = h.datasets.progress(JOB).orElseThrow();
      assertThat(open.expected()).as("no manifest before the seal").isEmpty();
      assertThat(open.missing()).isEmpty();
      h.intake.seal(JOB);
      JobProgress empty = h.datasets.progress(JOB).orElseThrow();
      assertThat(empty.job().status()).isEqualTo(JobStatus.AVAILABLE);
      assertThat(empty.expected()).hasValue(0);
      assertThat(empty.missing()).hasValue(0);
      assertThat(h.datasets.progress(new JobId("nobody"))).isEmpty();
    }
    try (Harness h = Harness.unbounded()) {
      int chunks = produceLosing(h, 3);

      JobProgress sealed = h.datasets.progress(JOB).orElseThrow();

      assertThat(sealed.job().status()).isEqualTo(JobStatus.SEALED);
      assertThat(sealed.expected()).hasValue(chunks);
      assertThat(sealed.stored()).isEqualTo(chunks - 3);
      assertThat(sealed.missing()).hasValue(3);
    }
  }

  @Test
  void anIncompleteJobReportsItsMissingChunksAndItsReadSaysHowMany() {
    try (Harness h = Harness.unbounded()) {
      int chunks = produceLosing(h, 3);
      AvailabilityCheck sweep = sweeper(h);
      sweep.sweep();
      h.clock.advance(RETENTION);
      sweep.sweep();
      assertThat(h.datasets.job(JOB).orElseThrow().status()).as("within the grace period").isEqualTo(JobStatus.SEALED);
      h.clock.advance(AvailabilityCheck.Settings.DEFAULT_GRACE);
      assertThat(sweep.sweep().madeIncomplete()).isEqualTo(1);

      JobProgress progress = h.datasets.progress(JOB).orElseThrow();

      assertThat(progress.job().status()).isEqualTo(JobStatus.INCOMPLETE);
      assertThat(progress.expected()).isEqualTo(OptionalLong.of(chunks));
      assertThat(progress.stored()).isEqualTo(chunks - 3);
      assertThat(progress.missing()).hasValue(3);
      assertThatThrownBy(() -> h.readBack(JOB)).isInstanceOf(DatasetNotAvailableException.class)
          .hasMessageContaining("INCOMPLETE")
          .hasMessageContaining("3 of its " + chunks + " chunks are missing");
    }
  }
}
