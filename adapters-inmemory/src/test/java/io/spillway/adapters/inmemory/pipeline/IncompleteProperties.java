package io.spillway.adapters.inmemory.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.spillway.adapters.inmemory.InMemoryChunks;
import io.spillway.adapters.inmemory.InMemoryJobs;
import io.spillway.adapters.inmemory.ManualClock;
import io.spillway.adapters.inmemory.TableCapacity;
import io.spillway.application.codec.Codecs;
import io.spillway.application.port.out.Chunks;
import io.spillway.application.port.out.Jobs;
import io.spillway.application.port.out.PutOutcome;
import io.spillway.application.port.out.StoredChunks;
import io.spillway.application.service.AvailabilityCheck;
import io.spillway.domain.chunk.Chunk;
import io.spillway.domain.event.Event;
import io.spillway.domain.job.Job;
import io.spillway.domain.job.JobClass;
import io.spillway.domain.job.JobId;
import io.spillway.domain.job.JobStatus;
import io.spillway.domain.manifest.Manifest;
import io.spillway.domain.testing.ChunkFixtures;
import io.spillway.domain.testing.DomainArbitraries;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.lifecycle.BeforeTry;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A SEALED job whose chunks are still missing once they must have left the stream — every chunk
 * entered it no later than the seal, so by {@code seal + retention + grace} none can arrive — is
 * marked INCOMPLETE by the availability sweep, after its chunks are counted in the table, with its
 * count brought up to what the table holds so that expected − stored is the number lost. A count
 * that is short only because a consumer died before counting makes the job AVAILABLE instead; and
 * without a known retention nothing is ever marked INCOMPLETE.
 */
class IncompleteProperties {
  private static final JobId JOB = new JobId("incomplete");
  private static final Duration QUIET = Duration.ofSeconds(10);
  private static final Duration RETENTION = Duration.ofHours(24);
  private static final Duration GRACE = Duration.ofMinutes(5);

  // jqwik keeps one instance for all tries of a property: each try starts over
  private ManualClock clock;
  private InMemoryJobs jobs;
  private InMemoryChunks chunks;

  @BeforeTry
  @BeforeEach
  void freshStores() {
    clock = ManualClock.atEpochDay();
    jobs = new InMemoryJobs();
    chunks = new InMemoryChunks(new TableCapacity(TableCapacity.Settings.unlimited(), clock.now()), clock);
  }

  private static AvailabilityCheck.Settings settings(Optional<Duration> retention) {
    AvailabilityCheck.Settings recounts = AvailabilityCheck.Settings.defaults().withRecounts(QUIET, Duration.ofMinutes(2)).withGrace(GRACE);
    return retention.map(recounts::withRetention).orElse(recounts);
  }

  private AvailabilityCheck process(Optional<Duration> retention, Chunks table) {
    return new AvailabilityCheck(jobs, table, clock, settings(retention));
  }

  private AvailabilityCheck process(Duration retention) {
    return process(Optional.of(retention), chunks);
  }

  /** A PRODUCING job and its chunks: exactly {@code chunkCount}, one per group. */
  private List<Chunk> openJob(int chunkCount) {
    List<Event> events = new ArrayList<>();
    for (int i = 0; i < chunkCount * 5; i++) {
      events.add(new Event(JOB, i, "e-" + i, Instant.parse("2026-01-01T00:00:00Z").plusMillis(i), "t", "g" + (i % chunkCount), 1,
          DomainArbitraries.randomBytes(i, 200)));
    }
    jobs.create(Job.submitted(JOB, "incomplete", JobClass.STANDARD, 3, clock.now()));
    Job submitted = jobs.find(JOB).orElseThrow();
    jobs.replace(submitted, submitted.transitionTo(JobStatus.PRODUCING, clock.now()));
    List<Chunk> all = ChunkFixtures.assemble(JOB, events, 3, Codecs.standard().writer());
    assertThat(all).hasSize(chunkCount);
    return all;
  }

  /** Stores the chunks in the table; a consumer counts {@code counted} of them (it died before counting the rest). */
  private void store(List<Chunk> some, long counted, AvailabilityCheck consumer) {
    for (Chunk c : some) {
      assertThat(chunks.putIfAbsent(c)).isInstanceOf(PutOutcome.Written.class);
    }
    if (counted > 0) {
      consumer.stored(JOB, counted);
    }
  }

  /** What IntakeService.seal does once its chunks are published; returns the seal time. */
  private Instant seal(List<Chunk> all) {
    jobs.putManifest(new Manifest(JOB, 3, all.size(), all.stream().mapToLong(Chunk::eventCount).sum(), 0, clock.now()));
    Job producing = jobs.find(JOB).orElseThrow();
    assertThat(jobs.replace(producing, producing.transitionTo(JobStatus.SEALED, clock.now()))).isTrue();
    process(RETENTION).check(JOB);
    return clock.now();
  }

  private JobStatus status() {
    return jobs.find(JOB).orElseThrow().status();
  }

  private long storedCount() {
    return jobs.progress(JOB).orElseThrow().stored();
  }

  @Test
  void aSealedJobMissingThreeOfTenChunksIsIncompleteOnceTheyHaveLeftTheStreamAndNotBefore() {
    List<Chunk> all = openJob(10);
    AvailabilityCheck consumer = process(RETENTION);
    store(all.subList(3, 10), 7, consumer);
    Instant deadline = seal(all).plus(RETENTION).plus(GRACE);

    AvailabilityCheck.Sweep first = consumer.sweep();
    clock.advanceTo(deadline.minusSeconds(1));
    AvailabilityCheck.Sweep early = consumer.sweep();
    assertThat(status()).as("a second before the deadline").isEqualTo(JobStatus.SEALED);
    clock.advanceTo(deadline);
    AvailabilityCheck.Sweep due = consumer.sweep();

    assertThat(first).isEqualTo(new AvailabilityCheck.Sweep(1, 0, 0, 0));
    assertThat(early).as("counted in the table, still within the retention").isEqualTo(new AvailabilityCheck.Sweep(1, 0, 1, 0));
    assertThat(due).isEqualTo(new AvailabilityCheck.Sweep(0, 0, 1, 1));
    assertThat(status()).isEqualTo(JobStatus.INCOMPLETE);
    assertThat(jobs.find(JOB).orElseThrow().updatedAt()).isEqualTo(deadline);
    assertThat(storedCount()).isEqualTo(7);
    assertThat(jobs.manifest(JOB).orElseThrow().chunkCount() - storedCount()).as("missing").isEqualTo(3);
    assertThat(consumer.sweep()).as("no longer listed").isEqualTo(new AvailabilityCheck.Sweep(0, 0, 0, 0));
  }

  @Test
  void aShortCountWithEveryChunkInTheTableMakesTheJobAvailableNeverIncompleteEvenPastTheDeadline() {
    List<Chunk> all = openJob(10);
    AvailabilityCheck consumer = process(RETENTION);
    store(all, 6, consumer); // the consumer died before counting four of them
    Instant deadline = seal(all).plus(RETENTION).plus(GRACE);
    assertThat(status()).isEqualTo(JobStatus.SEALED);

    clock.advanceTo(deadline.plus(Duration.ofHours(3)));
    AvailabilityCheck.Sweep sweep = process(RETENTION).sweep(); // a process that never saw the job before

    assertThat(sweep).isEqualTo(new AvailabilityCheck.Sweep(0, 1, 1, 0));
    assertThat(status()).isEqualTo(JobStatus.AVAILABLE);
  }

  @Test
  void theCountIsBroughtUpToWhatTheTableHoldsSoThatOnlyTheLostChunksAreMissing() {
    List<Chunk> all = openJob(10);
    AvailabilityCheck consumer = process(RETENTION);
    store(all.subList(2, 10), 5, consumer); // 8 stored, 5 counted
    Instant deadline = seal(all).plus(RETENTION).plus(GRACE);

    clock.advanceTo(deadline);
    assertThat(consumer.sweep().madeIncomplete()).isEqualTo(1);

    assertThat(status()).isEqualTo(JobStatus.INCOMPLETE);
    assertThat(storedCount()).isEqualTo(8);
  }

  @Test
  void withoutAKnownRetentionNoJobIsEverMarkedIncomplete() {
    List<Chunk> all = openJob(10);
    AvailabilityCheck unknown = process(Optional.empty(), chunks);
    AvailabilityCheck legacy = new AvailabilityCheck(jobs, chunks, clock, QUIET, Duration.ofMinutes(2));
    AvailabilityCheck defaults = new AvailabilityCheck(jobs, chunks, clock);
    store(all.subList(3, 10), 7, unknown);
    seal(all);

    int incomplete = 0;
    int recounted = 0;
    for (int day = 0; day < 30; day++) {
      for (AvailabilityCheck p : List.of(unknown, legacy, defaults)) {
        AvailabilityCheck.Sweep sweep = p.sweep();
        incomplete += sweep.madeIncomplete();
        recounted += sweep.recounted();
      }
      clock.advance(Duration.ofHours(6));
    }

    assertThat(recounted).as("the sweeps did look").isPositive();
    assertThat(incomplete).isZero();
    assertThat(status()).isEqualTo(JobStatus.SEALED);
  }

  @Test
  void chunksArrivingAfterTheJobWasMarkedIncompleteAreCountedButLeaveItIncomplete() {
    List<Chunk> all = openJob(10);
    AvailabilityCheck consumer = process(RETENTION);
    store(all.subList(3, 10), 7, consumer);
    clock.advanceTo(seal(all).plus(RETENTION).plus(GRACE));
    consumer.sweep();
    assertThat(status()).isEqualTo(JobStatus.INCOMPLETE);

    for (Chunk late : all.subList(0, 3)) {
      assertThat(chunks.putIfAbsent(late)).isInstanceOf(PutOutcome.Written.class);
      assertThat(consumer.stored(JOB, 1)).contains(JobStatus.INCOMPLETE);
    }

    assertThat(storedCount()).isEqualTo(10);
    assertThat(consumer.check(JOB)).contains(JobStatus.INCOMPLETE);
    assertThat(process(RETENTION).check(JOB)).contains(JobStatus.INCOMPLETE);
    assertThat(consumer.sweep()).isEqualTo(new AvailabilityCheck.Sweep(0, 0, 0, 0));
    assertThat(status()).isEqualTo(JobStatus.INCOMPLETE);
  }

  /**
   * Two processes sweep at once: both read the job SEALED and count the table, and the first does
   * all its work just as the second is about to write. The count is corrected once, by the one whose
   * move won — two corrections would count the same chunks twice.
   */
  @Test
  void ofTwoProcessesSweepingAtOnceOnlyOneMarksTheJobAndCorrectsItsCount() {
    List<Chunk> all = openJob(10);
    AvailabilityCheck first = process(RETENTION);
    store(all.subList(2, 10), 5, first); // 8 stored, 5 counted
    clock.advanceTo(seal(all).plus(RETENTION).plus(GRACE));
    List<AvailabilityCheck.Sweep> firstSweeps = new ArrayList<>();
    Runnable firstSweepsOnce = () -> {
      if (firstSweeps.isEmpty()) {
        firstSweeps.add(first.sweep());
      }
    };
    Jobs interleaved = new Jobs() {
      @Override
      public boolean create(Job job) {
        return jobs.create(job);
      }

      @Override
      public Optional<Job> find(JobId id) {
        return jobs.find(id);
      }

      @Override
      public boolean replace(Job current, Job next) {
        firstSweepsOnce.run();
        return jobs.replace(current, next);
      }

      @Override
      public void putManifest(Manifest manifest) {
        jobs.putManifest(manifest);
      }

      @Override
      public Optional<Manifest> manifest(JobId id) {
        return jobs.manifest(id);
      }

      @Override
      public Optional<StoredChunks> addStored(JobId id, long n) {
        firstSweepsOnce.run();
        return jobs.addStored(id, n);
      }

      @Override
      public Optional<StoredChunks> progress(JobId id) {
        return jobs.progress(id);
      }

      @Override
      public List<JobId> sealed() {
        return jobs.sealed();
      }

      @Override
      public List<Job> opened(java.time.Instant from, java.time.Instant to) {
        return jobs.opened(from, to);
      }

      @Override
      public void owesAnnouncement(JobId id) {
        jobs.owesAnnouncement(id);
      }

      @Override
      public List<JobId> owedAnnouncements() {
        return jobs.owedAnnouncements();
      }

      @Override
      public void announced(JobId id) {
        jobs.announced(id);
      }

      @Override
      public void touchPartition(JobId id, int partition, java.time.Instant at, long events) {
        jobs.touchPartition(id, partition, at, events);
      }

      @Override
      public void putPartitionManifest(io.spillway.domain.manifest.PartitionManifest m) {
        jobs.putPartitionManifest(m);
      }

      @Override
      public List<io.spillway.application.port.out.JobPartition> partitions(JobId id) {
        return jobs.partitions(id);
      }
    };

    AvailabilityCheck.Sweep second = new AvailabilityCheck(interleaved, chunks, clock, settings(Optional.of(RETENTION))).sweep();

    assertThat(firstSweeps).containsExactly(new AvailabilityCheck.Sweep(0, 0, 1, 1));
    assertThat(second.madeIncomplete()).isZero();
    assertThat(status()).isEqualTo(JobStatus.INCOMPLETE);
    assertThat(storedCount()).as("corrected once").isEqualTo(8);
  }

  /**
   * For any chunk count, any part of the chunks in the table, any part of those counted, and any
   * sweep times: after each sweep the job is INCOMPLETE exactly when the retention is known, the
   * deadline has passed and the table holds fewer chunks than the manifest promises; past the
   * deadline a complete table makes it AVAILABLE; it is never both, one after the other; and once
   * INCOMPLETE its count is what the table holds.
   */
  @Property(tries = 300)
  void aJobIsIncompleteExactlyWhenItsChunksAreMissingPastTheDeadline(@ForAll long seed,
      @ForAll @IntRange(min = 1, max = 12) int expected, @ForAll @IntRange(min = 0, max = 12) int inTableDraw,
      @ForAll @IntRange(min = 1, max = 72) int retentionHours, @ForAll boolean retentionKnown,
      @ForAll @Size(min = 1, max = 6) List<@IntRange(min = 0, max = 2_000) Integer> sweepsPermille) {
    Random random = new Random(seed);
    int inTable = Math.min(inTableDraw, expected);
    long counted = random.nextInt(inTable + 1);
    Duration retention = Duration.ofHours(retentionHours);
    List<Chunk> all = openJob(expected);
    List<Chunk> shuffled = new ArrayList<>(all);
    Collections.shuffle(shuffled, random);
    AvailabilityCheck consumer = process(retentionKnown ? Optional.of(retention) : Optional.empty(), chunks);
    store(shuffled.subList(0, inTable), counted, consumer);
    Instant sealedAt = seal(all);
    Instant deadline = sealedAt.plus(retention).plus(GRACE);
    long window = retention.plus(GRACE).toSeconds();
    List<Integer> times = new ArrayList<>(sweepsPermille);
    Collections.sort(times);

    List<JobStatus> seen = new ArrayList<>();
    for (int permille : times) {
      clock.advanceTo(sealedAt.plusSeconds(window * permille / 1_000));
      consumer.sweep();
      JobStatus status = status();
      seen.add(status);
      boolean past = retentionKnown && !clock.now().isBefore(deadline);

      assertThat(status == JobStatus.INCOMPLETE).as("INCOMPLETE at %s (deadline %s, %d of %d in the table)", clock.now(), deadline, inTable, expected)
          .isEqualTo(past && inTable < expected);
      if (past && inTable == expected) {
        assertThat(status).isEqualTo(JobStatus.AVAILABLE);
      }
      if (status == JobStatus.INCOMPLETE) {
        StoredChunks progress = jobs.progress(JOB).orElseThrow();
        assertThat(progress.stored()).isEqualTo(inTable);
        assertThat(jobs.manifest(JOB).orElseThrow().chunkCount() - progress.stored()).as("missing").isEqualTo(expected - inTable);
      }
    }
    assertThat(seen).as("never both").doesNotContainSubsequence(JobStatus.AVAILABLE, JobStatus.INCOMPLETE)
        .doesNotContainSubsequence(JobStatus.INCOMPLETE, JobStatus.AVAILABLE);
  }
}
