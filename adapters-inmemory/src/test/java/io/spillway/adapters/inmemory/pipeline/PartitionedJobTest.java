package io.spillway.adapters.inmemory.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spillway.adapters.inmemory.SequentialJobIds;
import io.spillway.application.port.in.DatasetReader;
import io.spillway.application.port.in.IncompleteDatasetException;
import io.spillway.application.port.in.OpenJob;
import io.spillway.application.port.in.PartitionOpened;
import io.spillway.application.port.out.JobPartition;
import io.spillway.application.service.AvailabilityCheck;
import io.spillway.application.service.ChunkPublisher;
import io.spillway.application.service.IngestSettings;
import io.spillway.application.service.IntakeService;
import io.spillway.application.service.IntakeSettings;
import io.spillway.application.service.PublisherSettings;
import io.spillway.domain.InvalidFieldException;
import io.spillway.domain.chunk.ChunkAssembler;
import io.spillway.domain.chunk.ChunkFormat;
import io.spillway.domain.chunk.ChunkId;
import io.spillway.domain.event.Event;
import io.spillway.domain.job.JobClass;
import io.spillway.domain.job.JobId;
import io.spillway.domain.job.JobStatus;
import io.spillway.domain.manifest.Manifest;
import io.spillway.domain.manifest.PartitionManifest;
import io.spillway.domain.testing.DomainArbitraries;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** A job written by several producer tasks, one partition each: in one process, or across processes sharing the job records. */
class PartitionedJobTest {
  private static final JobId JOB = JobId.of("job-parts");
  private static final List<String> GROUPS = List.of("eu", "us", "apac");

  static Event event(int partition, long sequence, int payloadBytes) {
    byte[] payload = sequence % 3 == 0 ? DomainArbitraries.randomBytes(partition * 1_000_003L + sequence, payloadBytes)
        : DomainArbitraries.jsonLike(partition * 1_000_003L + sequence, payloadBytes);
    return new Event(JOB, partition, sequence, "e-" + partition + "-" + sequence, Instant.parse("2025-01-01T00:00:00Z").plusMillis(sequence),
        sequence % 2 == 0 ? "click" : "view", GROUPS.get((int) ((sequence * 7 + partition) % GROUPS.size())), 1, payload);
  }

  @Test
  void fourTasksAppendInParallelToOneJobAndItsDatasetHoldsEachEventOnce() throws Exception {
    int partitions = 4;
    int perPartition = 3_000;
    try (Harness h = Harness.unbounded()) {
      h.intake.open(new OpenJob(Optional.of(JOB), "parallel", JobClass.COMPLEX, 8).withPartitions(partitions));
      ExecutorService tasks = Executors.newFixedThreadPool(partitions);
      CyclicBarrier start = new CyclicBarrier(partitions);
      List<Future<Integer>> done = new ArrayList<>();
      for (int p = 0; p < partitions; p++) {
        int partition = p;
        done.add(tasks.submit(() -> {
          start.await();
          int accepted = 0;
          for (long s = 0; s < perPartition; s++) {
            if (h.intake.append(JOB, event(partition, s, 600)) == io.spillway.application.port.in.AppendOutcome.ACCEPTED) accepted++;
          }
          h.intake.sealPartition(JOB, partition);
          return accepted;
        }));
      }
      for (Future<Integer> f : done) {
        assertThat(f.get()).isEqualTo(perPartition);
      }
      tasks.shutdown();

      Manifest manifest = h.jobs.manifest(JOB).orElseThrow();
      assertThat(manifest.eventCount()).isEqualTo((long) partitions * perPartition);
      List<PartitionManifest> parts = h.jobs.partitions(JOB).stream().map(x -> x.manifest().orElseThrow()).toList();
      assertThat(parts).hasSize(partitions);
      assertThat(parts.stream().mapToLong(PartitionManifest::chunkCount).sum()).isEqualTo(manifest.chunkCount());
      assertThat(h.jobs.find(JOB).orElseThrow().status()).isEqualTo(JobStatus.SEALED);

      h.newConsumer(IngestSettings.defaults()).ingest(h.allRecords());
      assertThat(h.jobs.find(JOB).orElseThrow().status()).isEqualTo(JobStatus.AVAILABLE);

      List<Event> back = h.readBack(JOB);
      assertThat(back).hasSize(partitions * perPartition);
      Set<String> seen = new HashSet<>();
      for (Event e : back) {
        assertThat(seen.add(e.partition() + "/" + e.sequence())).as("%s once", e).isTrue();
        assertThat(e).isEqualTo(event(e.partition(), e.sequence(), 600));
      }

      // one partition, verified against its own manifest
      try (DatasetReader reader = h.datasets.openPartition(JOB, 2)) {
        long n = 0;
        while (reader.hasNext()) {
          assertThat(reader.next().partition()).isEqualTo(2);
          n++;
        }
        assertThat(n).isEqualTo(perPartition);
        assertThat(reader.summary().verifiedAgainstManifest()).isTrue();
      }
      // one group, across every partition
      List<Event> us = new ArrayList<>();
      h.datasets.read(JOB, Optional.of("us"), us::add);
      assertThat(us).isNotEmpty().allMatch(e -> e.groupKey().equals("us"));
      assertThat(us.stream().map(Event::partition).distinct().count()).isEqualTo(partitions);
      assertThat(us).hasSize((int) back.stream().filter(e -> e.groupKey().equals("us")).count());
    }
  }

  @Test
  void partitionsOpenedByTwoProducerProcessesSealOneJob() {
    try (Harness h = Harness.unbounded()) {
      IntakeService other = new IntakeService(h.jobs, new SequentialJobIds(), h.clock, new ChunkPublisher(h.stream, h.clock, PublisherSettings.defaults()),
          h.codecs.writer(), ChunkAssembler.Settings.defaults(), new AvailabilityCheck(h.jobs, h.chunks, h.clock), Duration.ofMinutes(1));
      h.intake.create(new OpenJob(Optional.of(JOB), "two hosts", JobClass.STANDARD, 4).withPartitions(3));
      assertThat(h.jobs.find(JOB).orElseThrow().partitions()).isEqualTo(3);
      assertThat(h.intake.openPartition(JOB, 0).state()).isEqualTo(PartitionOpened.State.NEW);
      assertThat(other.openPartition(JOB, 1).state()).isEqualTo(PartitionOpened.State.NEW);
      assertThat(other.openPartition(JOB, 2).state()).isEqualTo(PartitionOpened.State.NEW);
      assertThatThrownBy(() -> other.openPartition(JOB, 2)).isInstanceOf(InvalidFieldException.class).hasMessageContaining("not open in this process already");
      assertThatThrownBy(() -> other.openPartition(JOB, 3)).isInstanceOf(InvalidFieldException.class).hasMessageContaining("partition");
      assertThatThrownBy(() -> other.append(JOB, event(0, 0, 100))).hasMessageContaining("partition 0 not opened here");

      for (long s = 0; s < 500; s++) {
        h.intake.append(JOB, event(0, s, 400));
        other.append(JOB, event(1, s, 400));
        other.append(JOB, event(2, s, 400));
      }
      assertThat(h.jobs.find(JOB).orElseThrow().status()).isEqualTo(JobStatus.PRODUCING);
      PartitionManifest one = other.sealPartition(JOB, 1);
      assertThat(one.eventCount()).isEqualTo(500);
      assertThat(h.jobs.manifest(JOB)).isEmpty();
      // the process holding partition 0 cannot seal the job while partition 2 is open elsewhere, but seals its own
      assertThatThrownBy(() -> h.intake.seal(JOB)).isInstanceOf(InvalidFieldException.class).hasMessageContaining("2 of 3 are sealed");
      assertThat(h.jobs.find(JOB).orElseThrow().status()).isEqualTo(JobStatus.PRODUCING);
      other.sealPartition(JOB, 2);

      Manifest m = h.jobs.manifest(JOB).orElseThrow();
      assertThat(m.eventCount()).isEqualTo(1_500);
      assertThat(h.jobs.find(JOB).orElseThrow().status()).isEqualTo(JobStatus.SEALED);
      h.newConsumer(IngestSettings.defaults()).ingest(h.allRecords());
      assertThat(h.jobs.find(JOB).orElseThrow().status()).isEqualTo(JobStatus.AVAILABLE);
      assertThat(h.readBack(JOB)).hasSize(1_500);
    }
  }

  @Test
  void aPartitionOfAJobThatIsNotResumableCannotBeOpenedAgainAndASealedOneTakesOnlyDuplicates() {
    try (Harness h = Harness.unbounded()) {
      h.intake.create(new OpenJob(Optional.of(JOB), "strict", JobClass.STANDARD, 2).withPartitions(2));
      h.intake.openPartition(JOB, 0);
      h.intake.append(JOB, event(0, 0, 100));
      IntakeService restarted = new IntakeService(h.jobs, new SequentialJobIds(), h.clock, new ChunkPublisher(h.stream, h.clock, PublisherSettings.defaults()),
          h.codecs.writer(), ChunkAssembler.Settings.defaults(), h.availability, Duration.ofMinutes(1));
      assertThatThrownBy(() -> restarted.openPartition(JOB, 0)).isInstanceOf(InvalidFieldException.class)
          .hasMessageContaining("only a resumable job's partition may be opened again");

      h.intake.sealPartition(JOB, 0);
      PartitionOpened again = restarted.openPartition(JOB, 0);
      assertThat(again.state()).isEqualTo(PartitionOpened.State.SEALED);
      assertThat(restarted.append(JOB, event(0, 0, 100))).isEqualTo(io.spillway.application.port.in.AppendOutcome.DUPLICATE);
      assertThatThrownBy(() -> restarted.append(JOB, event(0, 1, 100))).hasMessageContaining("was sealed");
      assertThat(restarted.sealPartition(JOB, 0).eventCount()).isEqualTo(1);
    }
  }

  @Test
  void aGroupReadFindsAGapInAnyPartitionsChunks() {
    try (Harness h = Harness.unbounded()) {
      h.intake.open(new OpenJob(Optional.of(JOB), "gap", JobClass.STANDARD, 4).withPartitions(2));
      for (int p = 0; p < 2; p++) {
        for (long s = 0; s < 300; s++) {
          h.intake.append(JOB, new Event(JOB, p, s, "e" + s, Instant.EPOCH, "t", "g", 1, DomainArbitraries.randomBytes(p * 7919L + s, 5_000)));
        }
      }
      h.intake.seal(JOB);
      h.newConsumer(IngestSettings.defaults()).ingest(h.allRecords());
      List<ChunkId> ofPartitionOne = new ArrayList<>();
      for (int b = 0; b < 4; b++) {
        try (var ids = h.chunks.storedIds(JOB, b)) {
          ids.filter(id -> id.partition() == 1).forEach(ofPartitionOne::add);
        }
      }
      assertThat(ofPartitionOne).hasSizeGreaterThan(2);
      List<Event> whole = new ArrayList<>();
      h.datasets.read(JOB, Optional.of("g"), whole::add);
      assertThat(whole).hasSize(600);

      h.chunks.remove(ofPartitionOne.stream().filter(id -> id.sequence() == 1).findFirst().orElseThrow());
      assertThatThrownBy(() -> h.datasets.read(JOB, Optional.of("g"), e -> {})).isInstanceOf(IncompleteDatasetException.class)
          .hasMessageContaining("group g");
      assertThatThrownBy(() -> { try (DatasetReader r = h.datasets.openPartition(JOB, 1)) { while (r.hasNext()) r.next(); } })
          .isInstanceOf(IncompleteDatasetException.class).hasMessageContaining("partition 1");
      try (DatasetReader r = h.datasets.openPartition(JOB, 0)) {
        while (r.hasNext()) r.next();
        assertThat(r.summary().verifiedAgainstManifest()).isTrue();
      }
    }
  }

  @Test
  void anOpenPartitionReportsItsProgressOncePerIntervalAndShowsStalledWhenItStops() {
    try (Harness h = Harness.unbounded()) {
      IntakeService intake = new IntakeService(h.jobs, new SequentialJobIds(), h.clock, h.publisher, h.codecs.writer(), ChunkAssembler.Settings.defaults(),
          h.availability, Duration.ofMinutes(1), new IntakeSettings(512L << 20, Duration.ofSeconds(30)));
      intake.open(new OpenJob(Optional.of(JOB), "slow", JobClass.STANDARD, 2).withPartitions(2));
      Instant opened = h.clock.now();
      assertThat(h.jobs.partitions(JOB)).extracting(JobPartition::lastProgressAt).containsOnly(opened);
      intake.append(JOB, event(1, 0, 100));
      h.clock.advance(Duration.ofSeconds(10));
      intake.flushLingering();
      assertThat(h.jobs.partitions(JOB).get(1).eventsAccepted()).as("within the interval: not yet").isZero();
      h.clock.advance(Duration.ofSeconds(25));
      intake.flushLingering();
      JobPartition one = h.jobs.partitions(JOB).get(1);
      assertThat(one.eventsAccepted()).isEqualTo(1);
      assertThat(one.lastProgressAt()).isEqualTo(opened.plusSeconds(35));
      // partition 0 accepted nothing: no progress to report, its record still says when it was opened
      assertThat(h.jobs.partitions(JOB).get(0).lastProgressAt()).isEqualTo(opened);

      h.clock.advance(Duration.ofMinutes(20));
      intake.flushLingering();
      assertThat(h.jobs.partitions(JOB)).allMatch(p -> p.stalled(h.clock.now(), Duration.ofMinutes(15)));
      intake.append(JOB, event(1, 1, 100));
      intake.flushLingering();
      assertThat(h.jobs.partitions(JOB).get(1).stalled(h.clock.now(), Duration.ofMinutes(15))).isFalse();
      assertThat(h.jobs.partitions(JOB).get(0).stalled(h.clock.now(), Duration.ofMinutes(15))).isTrue();
    }
  }

  @Test
  void aPartitionsChunksCarryItInTheirRecords() {
    try (Harness h = Harness.unbounded()) {
      h.intake.open(new OpenJob(Optional.of(JOB), "records", JobClass.STANDARD, 2).withPartitions(3));
      h.intake.append(JOB, event(2, 0, 100));
      h.intake.seal(JOB);
      List<ChunkId> ids = h.allRecords().stream().map(r -> ChunkFormat.parse(r.data()).id()).toList();
      assertThat(ids).extracting(ChunkId::partition).containsExactly(2);
    }
  }
}
