package io.spillway.adapters.inmemory.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spillway.application.port.in.DatasetNotAvailableException;
import io.spillway.application.port.in.Datasets.DatasetSummary;
import io.spillway.application.port.in.IncompleteDatasetException;
import io.spillway.application.port.in.OpenJob;
import io.spillway.application.port.in.StreamRecord;
import io.spillway.application.service.IngestSettings;
import io.spillway.domain.chunk.Chunk;
import io.spillway.domain.chunk.ChunkFormat;
import io.spillway.domain.event.Event;
import io.spillway.domain.job.JobClass;
import io.spillway.domain.job.JobId;
import io.spillway.domain.testing.DomainArbitraries;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
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
}
