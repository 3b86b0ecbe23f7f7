package io.spillway.adapters.inmemory.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spillway.adapters.inmemory.InMemoryChunks;
import io.spillway.adapters.inmemory.InMemoryDeadLetters;
import io.spillway.adapters.inmemory.InMemoryJobs;
import io.spillway.adapters.inmemory.ManualClock;
import io.spillway.adapters.inmemory.SequentialJobIds;
import io.spillway.adapters.inmemory.TableCapacity;
import io.spillway.application.codec.Codecs;
import io.spillway.application.port.in.AppendOutcome;
import io.spillway.application.port.in.OpenJob;
import io.spillway.application.port.in.StreamRecord;
import io.spillway.application.port.out.ChunkStream;
import io.spillway.application.port.out.PublishOutcome;
import io.spillway.application.service.AvailabilityCheck;
import io.spillway.application.service.ChunkPublisher;
import io.spillway.application.service.IngestService;
import io.spillway.application.service.IngestSettings;
import io.spillway.application.service.IntakeService;
import io.spillway.application.service.PublisherSettings;
import io.spillway.application.service.WriteRateGovernor;
import io.spillway.domain.InvalidFieldException;
import io.spillway.domain.chunk.Chunk;
import io.spillway.domain.chunk.ChunkAssembler;
import io.spillway.domain.event.Event;
import io.spillway.domain.job.JobClass;
import io.spillway.domain.job.JobId;
import io.spillway.domain.job.JobStatus;
import io.spillway.domain.manifest.Manifest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class IntakeServiceTest {
  private static final JobId JOB = new JobId("intake");

  private static Event event(long seq) {
    return new Event(JOB, seq, "e-" + seq, Instant.parse("2026-01-01T00:00:00Z").plusMillis(seq), "t", "g", 1, ("{\"n\":" + seq + "}").getBytes());
  }

  @Test
  void sequencesAreDenseFromZero_aRepeatIsADuplicateAndAGapIsRefusedNamingTheNextSequence() {
    try (Harness h = Harness.unbounded()) {
      h.intake.open(new OpenJob(Optional.of(JOB), "dense", JobClass.STANDARD, 1));
      assertThat(h.intake.append(JOB, event(0))).isEqualTo(AppendOutcome.ACCEPTED);
      assertThat(h.intake.append(JOB, event(1))).isEqualTo(AppendOutcome.ACCEPTED);
      assertThat(h.intake.append(JOB, event(1))).isEqualTo(AppendOutcome.DUPLICATE);

      assertThatThrownBy(() -> h.intake.append(JOB, event(5)))
          .isInstanceOf(InvalidFieldException.class)
          .hasMessageContaining("event.sequence")
          .hasMessageContaining("next sequence of job intake is 2");

      Manifest manifest = h.intake.seal(JOB);
      assertThat(manifest.eventCount()).isEqualTo(2);
      assertThat(h.intake.stats().duplicatesIgnored()).isEqualTo(1);
    }
  }

  @Test
  void appendsToAnUnknownOrSealedJobAreRefused() {
    try (Harness h = Harness.unbounded()) {
      assertThatThrownBy(() -> h.intake.append(JOB, event(0))).isInstanceOf(InvalidFieldException.class).hasMessageContaining("jobId");
      h.intake.open(new OpenJob(Optional.of(JOB), "sealed", JobClass.STANDARD, 1));
      h.intake.append(JOB, event(0));
      h.intake.seal(JOB);
      assertThatThrownBy(() -> h.intake.append(JOB, event(1))).isInstanceOf(InvalidFieldException.class).hasMessageContaining("already sealed");
      assertThatThrownBy(() -> h.intake.open(new OpenJob(Optional.of(JOB), "again", JobClass.STANDARD, 1)))
          .isInstanceOf(InvalidFieldException.class).hasMessageContaining("openJob.jobId");
    }
  }

  @Test
  void aJobWhoseChunksAreAllStoredBeforeItsManifestBecomesAvailableAtSeal() {
    ManualClock clock = ManualClock.atEpochDay();
    Codecs codecs = Codecs.standard();
    InMemoryJobs jobs = new InMemoryJobs();
    InMemoryChunks chunks = new InMemoryChunks(new TableCapacity(TableCapacity.Settings.unlimited(), clock.now()), clock);
    IngestService consumer = new IngestService(chunks, new InMemoryDeadLetters(), new AvailabilityCheck(jobs, chunks, clock),
        new WriteRateGovernor(clock, 1e9), codecs, clock, IngestSettings.defaults());
    // a stream whose consumer is faster than the producer: every published chunk is stored at once
    List<String> storedBeforeSeal = new ArrayList<>();
    ChunkStream instant = batch -> {
      List<PublishOutcome> out = new ArrayList<>();
      List<StreamRecord> records = new ArrayList<>();
      for (Chunk c : batch) {
        String seq = String.valueOf(storedBeforeSeal.size());
        storedBeforeSeal.add(seq);
        records.add(new StreamRecord("s", seq, clock.now(), c.record()));
        out.add(new PublishOutcome.Accepted("s", seq));
      }
      consumer.ingest(records);
      return out;
    };
    IntakeService intake = new IntakeService(jobs, new SequentialJobIds(), clock, new ChunkPublisher(instant, clock, PublisherSettings.defaults()),
        codecs.writer(), ChunkAssembler.Settings.defaults(), new AvailabilityCheck(jobs, chunks, clock), Duration.ofMinutes(1));
    intake.open(new OpenJob(Optional.of(JOB), "fast consumer", JobClass.STANDARD, 2));
    for (int i = 0; i < 50; i++) intake.append(JOB, event(i));

    intake.seal(JOB);

    assertThat(storedBeforeSeal).isNotEmpty();
    assertThat(jobs.find(JOB).orElseThrow().status()).isEqualTo(JobStatus.AVAILABLE);
  }

  @Test
  void openChunksAreCutAndPublishedOnceTheyLingerPastTheDeadline() {
    try (Harness h = Harness.unbounded()) {
      h.intake.open(new OpenJob(Optional.of(JOB), "slow job", JobClass.STANDARD, 1));
      h.intake.append(JOB, event(0));
      assertThat(h.intake.flushLingering()).isZero();
      assertThat(h.stream.acceptedRecords()).isZero();

      h.clock.advance(ChunkAssembler.Settings.defaults().linger());

      assertThat(h.intake.flushLingering()).isEqualTo(1);
      assertThat(h.stream.acceptedRecords()).isEqualTo(1);
      assertThat(h.jobs.find(JOB).orElseThrow().status()).isEqualTo(JobStatus.PRODUCING);
    }
  }
}
