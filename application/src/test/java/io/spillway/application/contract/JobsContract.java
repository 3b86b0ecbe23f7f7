package io.spillway.application.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spillway.application.port.out.Jobs;
import io.spillway.application.port.out.StoredChunks;
import io.spillway.domain.job.Job;
import io.spillway.domain.job.JobClass;
import io.spillway.domain.job.JobId;
import io.spillway.domain.job.JobStatus;
import io.spillway.domain.manifest.Manifest;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What every {@link Jobs} adapter must do: create-if-absent, compare-and-set on the job's status,
 * manifests written once (the same one again is a no-op, a different one is refused), and the list
 * of jobs in id order. Instants are whole milliseconds, which every store keeps exactly.
 */
public abstract class JobsContract {

  /** A new, empty store. */
  protected abstract Jobs newJobs();

  static final Instant T0 = Instant.parse("2025-06-01T12:00:00.123Z");

  static Job submitted(String id) {
    return Job.submitted(JobId.of(id), "nightly " + id, JobClass.STANDARD, 16, T0);
  }

  /** Every job the tests open: they are all opened within a day of T0. */
  static List<Job> listed(Jobs jobs) {
    return jobs.opened(T0.minus(Duration.ofDays(1)), T0.plus(Duration.ofDays(1)));
  }

  static Manifest manifest(JobId job, long chunks, long checksum) {
    return new Manifest(job, 16, chunks, chunks * 100, checksum, T0.plusSeconds(60));
  }

  @Test
  void aCreatedJobIsFoundAsCreated() {
    Jobs jobs = newJobs();
    Job job = new Job(JobId.of("job-1"), "ünïcode näme 📈", JobClass.COMPLEX, 1024, JobStatus.SUBMITTED, T0, T0.plusMillis(1));

    assertThat(jobs.create(job)).isTrue();

    assertThat(jobs.find(job.id())).contains(job);
  }

  @Test
  void anUnknownJobIsNotFound() {
    Jobs jobs = newJobs();
    jobs.create(submitted("job-1"));

    assertThat(jobs.find(JobId.of("job-2"))).isEmpty();
    assertThat(jobs.find(JobId.of("job-"))).isEmpty();
  }

  @Test
  void creatingAJobTwiceIsRefusedAndKeepsTheFirst() {
    Jobs jobs = newJobs();
    Job first = submitted("job-1");
    Job second = Job.submitted(first.id(), "another name", JobClass.COMPLEX, 3, T0.plusSeconds(5));
    jobs.create(first);

    assertThat(jobs.create(second)).isFalse();
    assertThat(jobs.create(first)).isFalse();

    assertThat(jobs.find(first.id())).contains(first);
    assertThat(listed(jobs)).containsExactly(first);
  }

  @Test
  void aReplaceFromTheStoredStatusSucceeds() {
    Jobs jobs = newJobs();
    Job submitted = submitted("job-1");
    jobs.create(submitted);
    Job producing = submitted.transitionTo(JobStatus.PRODUCING, T0.plusSeconds(1));

    assertThat(jobs.replace(submitted, producing)).isTrue();

    assertThat(jobs.find(submitted.id())).contains(producing);
  }

  @Test
  void aReplaceFromAStaleStatusIsRefusedAndChangesNothing() {
    Jobs jobs = newJobs();
    Job submitted = submitted("job-1");
    jobs.create(submitted);
    Job producing = submitted.transitionTo(JobStatus.PRODUCING, T0.plusSeconds(1));
    jobs.replace(submitted, producing);

    Job failed = submitted.transitionTo(JobStatus.FAILED, T0.plusSeconds(2));
    assertThat(jobs.replace(submitted, failed)).as("replace from SUBMITTED, stored is PRODUCING").isFalse();

    assertThat(jobs.find(submitted.id())).contains(producing);
  }

  @Test
  void ofTwoReplacesFromTheSameStatusOnlyTheFirstWins() {
    Jobs jobs = newJobs();
    Job submitted = submitted("job-1");
    jobs.create(submitted);
    Job producing = submitted.transitionTo(JobStatus.PRODUCING, T0.plusSeconds(1));
    Job sealed = submitted.transitionTo(JobStatus.SEALED, T0.plusSeconds(1));

    assertThat(jobs.replace(submitted, sealed)).isTrue();
    assertThat(jobs.replace(submitted, producing)).isFalse();

    assertThat(jobs.find(submitted.id())).contains(sealed);
  }

  @Test
  void aJobWalksItsLifecycleThroughReplaces() {
    Jobs jobs = newJobs();
    Job job = submitted("job-1");
    jobs.create(job);

    for (JobStatus next : List.of(JobStatus.PRODUCING, JobStatus.SEALED, JobStatus.AVAILABLE)) {
      Job moved = job.transitionTo(next, job.updatedAt().plusSeconds(1));
      assertThat(jobs.replace(job, moved)).as("to %s", next).isTrue();
      job = moved;
    }

    assertThat(jobs.find(job.id())).contains(job);
    assertThat(jobs.find(job.id()).orElseThrow().status()).isEqualTo(JobStatus.AVAILABLE);
  }

  @Test
  void aReplaceOfAnUnknownJobIsRefusedAndCreatesNothing() {
    Jobs jobs = newJobs();
    Job ghost = submitted("job-ghost");

    assertThat(jobs.replace(ghost, ghost.transitionTo(JobStatus.PRODUCING, T0.plusSeconds(1)))).isFalse();

    assertThat(jobs.find(ghost.id())).isEmpty();
    assertThat(listed(jobs)).isEmpty();
  }

  @Test
  void theSameManifestMayBeStoredAgain() {
    Jobs jobs = newJobs();
    Manifest manifest = manifest(JobId.of("job-1"), 240, 0x1234_5678_9ABC_DEF0L);

    jobs.putManifest(manifest);
    jobs.putManifest(new Manifest(manifest.jobId(), manifest.buckets(), manifest.chunkCount(), manifest.eventCount(),
        manifest.datasetChecksum(), manifest.sealedAt()));

    assertThat(jobs.manifest(manifest.jobId())).contains(manifest);
  }

  @Test
  void aDifferentManifestForTheSameJobIsRefusedAndTheFirstKept() {
    Jobs jobs = newJobs();
    JobId id = JobId.of("job-1");
    Manifest first = manifest(id, 240, -7L);
    jobs.putManifest(first);

    assertThatThrownBy(() -> jobs.putManifest(manifest(id, 240, -8L))).as("other checksum").isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> jobs.putManifest(manifest(id, 241, -7L))).as("other chunk count").isInstanceOf(IllegalStateException.class);

    assertThat(jobs.manifest(id)).contains(first);
  }

  @Test
  void manifestsAreKeptPerJob() {
    Jobs jobs = newJobs();
    Manifest one = manifest(JobId.of("job-1"), 1, 1L);
    Manifest two = manifest(JobId.of("job-2"), 2, 2L);

    jobs.putManifest(one);
    jobs.putManifest(two);

    assertThat(jobs.manifest(one.jobId())).contains(one);
    assertThat(jobs.manifest(two.jobId())).contains(two);
    assertThat(jobs.manifest(JobId.of("job-3"))).isEmpty();
  }

  @Test
  void anEmptyDatasetHasAManifestToo() {
    Jobs jobs = newJobs();
    Manifest empty = new Manifest(JobId.of("job-empty"), 1, 0, 0, 0L, T0);

    jobs.putManifest(empty);

    assertThat(jobs.manifest(empty.jobId())).contains(empty);
  }

  @Test
  void jobsOpenedAtOneInstantAreListedInIdOrderWithTheirLatestState() {
    Jobs jobs = newJobs();
    assertThat(listed(jobs)).isEmpty();
    List<String> ids = List.of("job-b", "job-A", "job-a", "job-10", "job-9", "job-a.1", "job-_");
    for (String id : ids) {
      jobs.create(submitted(id));
    }
    Job a = submitted("job-a");
    Job producing = a.transitionTo(JobStatus.PRODUCING, T0.plusSeconds(1));
    jobs.replace(a, producing);

    List<Job> listed = listed(jobs);

    assertThat(listed).extracting(j -> j.id().value()).containsExactly("job-10", "job-9", "job-A", "job-_", "job-a", "job-a.1", "job-b");
    assertThat(listed).contains(producing).doesNotContain(a);
  }

  @Test
  void theListHoldsTheJobsOpenedInTheWindowOldestFirstAcrossDays() {
    Jobs jobs = newJobs();
    Instant midnight = Instant.parse("2025-06-02T00:00:00Z");
    Job lastDay = opened("job-z-before", midnight.minusMillis(1));
    Job atMidnight = opened("job-a-midnight", midnight);
    Job nextDay = opened("job-m-next", midnight.plus(Duration.ofHours(30)));
    Job weekLater = opened("job-c-week", midnight.plus(Duration.ofDays(7)));
    Job outside = opened("job-b-outside", midnight.plus(Duration.ofDays(9)));
    List.of(outside, weekLater, nextDay, atMidnight, lastDay).forEach(jobs::create);

    assertThat(jobs.opened(midnight.minusSeconds(1), midnight.plus(Duration.ofDays(8))))
        .containsExactly(lastDay, atMidnight, nextDay, weekLater);
    assertThat(jobs.opened(midnight, weekLater.openedAt())).as("from inclusive, to exclusive").containsExactly(atMidnight, nextDay);
    assertThat(jobs.opened(midnight.plusSeconds(1), nextDay.openedAt())).isEmpty();
  }

  @Test
  void aWindowThatEndsBeforeItStartsOrIsTooLongIsRefused() {
    Jobs jobs = newJobs();

    assertThatThrownBy(() -> jobs.opened(T0, T0.minusMillis(1))).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> jobs.opened(T0, T0.plus(Duration.ofDays(Jobs.MAX_WINDOW_DAYS + 1))))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(Jobs.MAX_WINDOW_DAYS + " days");
  }

  private static Job opened(String id, Instant at) {
    return Job.submitted(JobId.of(id), "job " + id, JobClass.STANDARD, 4, at);
  }

  @Test
  void storedChunksAddUpAcrossCallsAndComeBackWithTheJob() {
    Jobs jobs = newJobs();
    Job job = submitted("job-1");
    jobs.create(job);

    assertThat(jobs.progress(job.id())).contains(new StoredChunks(job, 0));
    assertThat(jobs.addStored(job.id(), 3)).contains(new StoredChunks(job, 3));
    assertThat(jobs.addStored(job.id(), 4)).contains(new StoredChunks(job, 7));
    assertThat(jobs.addStored(job.id(), 0)).contains(new StoredChunks(job, 7));
    assertThat(jobs.progress(job.id())).contains(new StoredChunks(job, 7));
  }

  @Test
  void storedChunksOfAnUnknownJobAreRefusedAndCreateNothing() {
    Jobs jobs = newJobs();

    assertThat(jobs.addStored(JobId.of("job-ghost"), 2)).isEmpty();

    assertThat(jobs.progress(JobId.of("job-ghost"))).isEmpty();
    assertThat(jobs.find(JobId.of("job-ghost"))).isEmpty();
    assertThat(listed(jobs)).isEmpty();
  }

  @Test
  void aStatusMoveKeepsTheCountOfStoredChunks() {
    Jobs jobs = newJobs();
    Job job = submitted("job-1");
    jobs.create(job);
    jobs.addStored(job.id(), 5);
    Job sealed = job.transitionTo(JobStatus.SEALED, T0.plusSeconds(1));

    assertThat(jobs.replace(job, sealed)).isTrue();

    assertThat(jobs.progress(job.id())).contains(new StoredChunks(sealed, 5));
    assertThat(jobs.addStored(job.id(), 1)).contains(new StoredChunks(sealed, 6));
  }

  /**
   * The availability sweep marks a SEALED job INCOMPLETE, then brings its count up to what the
   * table holds; a chunk stored later still adds to the count and the job stays INCOMPLETE.
   */
  @Test
  void anIncompleteJobKeepsItsCountTakesLaterCountsAndLeavesTheSealedList() {
    Jobs jobs = newJobs();
    Job job = submitted("job-1");
    jobs.create(job);
    Job sealed = job.transitionTo(JobStatus.SEALED, T0.plusSeconds(1));
    jobs.replace(job, sealed);
    jobs.addStored(job.id(), 5);
    Job incomplete = sealed.transitionTo(JobStatus.INCOMPLETE, T0.plusSeconds(2));

    assertThat(jobs.replace(sealed, incomplete)).isTrue();
    assertThat(jobs.replace(sealed, incomplete)).as("a second sweep's move, from SEALED").isFalse();

    assertThat(jobs.progress(job.id())).contains(new StoredChunks(incomplete, 5));
    assertThat(jobs.addStored(job.id(), 3)).contains(new StoredChunks(incomplete, 8));
    assertThat(jobs.progress(job.id())).contains(new StoredChunks(incomplete, 8));
    assertThat(jobs.sealed()).isEmpty();
  }

  @Test
  void countsFromManyThreadsAreNotLost() throws Exception {
    Jobs jobs = newJobs();
    Job job = submitted("job-1");
    jobs.create(job);
    int threads = 4;
    int each = 25;
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
    try {
      List<java.util.concurrent.Future<?>> done = new java.util.ArrayList<>();
      for (int t = 0; t < threads; t++) {
        done.add(pool.submit(() -> {
          for (int i = 0; i < each; i++) {
            jobs.addStored(job.id(), 1);
          }
        }));
      }
      for (java.util.concurrent.Future<?> f : done) {
        f.get();
      }
    } finally {
      pool.shutdown();
    }

    assertThat(jobs.progress(job.id()).orElseThrow().stored()).isEqualTo((long) threads * each);
  }

  @Test
  void theSealedListHoldsExactlyTheJobsSealedNow() {
    Jobs jobs = newJobs();
    Job a = submitted("job-a");
    Job b = submitted("job-b");
    Job c = submitted("job-c");
    List.of(a, b, c).forEach(jobs::create);
    Job aSealed = a.transitionTo(JobStatus.SEALED, T0.plusSeconds(1));
    Job bSealed = b.transitionTo(JobStatus.SEALED, T0.plusSeconds(1));
    jobs.replace(a, aSealed);
    jobs.replace(b, bSealed);

    assertThat(jobs.sealed()).containsExactly(a.id(), b.id());

    jobs.replace(aSealed, aSealed.transitionTo(JobStatus.AVAILABLE, T0.plusSeconds(2)));
    jobs.replace(bSealed, bSealed.transitionTo(JobStatus.INCOMPLETE, T0.plusSeconds(2)));
    assertThat(jobs.sealed()).isEmpty();
    assertThat(listed(jobs)).extracting(Job::id).containsExactly(a.id(), b.id(), c.id());
  }

  @Test
  void aRefusedSealLeavesTheJobOffTheSealedList() {
    Jobs jobs = newJobs();
    Job job = submitted("job-1");
    jobs.create(job);
    Job failed = job.transitionTo(JobStatus.FAILED, T0.plusSeconds(1));
    jobs.replace(job, failed);

    assertThat(jobs.replace(job, job.transitionTo(JobStatus.SEALED, T0.plusSeconds(2)))).as("stale seal").isFalse();

    assertThat(jobs.sealed()).isEmpty();
  }

  @Test
  void anOwedAnnouncementIsListedOnceUntilAnnounced() {
    Jobs jobs = newJobs();
    assertThat(jobs.owedAnnouncements()).isEmpty();
    jobs.create(submitted("job-b"));
    jobs.create(submitted("job-a"));

    jobs.owesAnnouncement(JobId.of("job-b"));
    jobs.owesAnnouncement(JobId.of("job-a"));
    jobs.owesAnnouncement(JobId.of("job-b"));

    assertThat(jobs.owedAnnouncements()).containsExactly(JobId.of("job-a"), JobId.of("job-b"));
    jobs.announced(JobId.of("job-b"));
    jobs.announced(JobId.of("job-b"));
    assertThat(jobs.owedAnnouncements()).containsExactly(JobId.of("job-a"));
    assertThat(listed(jobs)).hasSize(2);
  }

  @Test
  void aPartitionsProgressAndManifestAreKeptApartFromTheJobAndListedInPartitionOrder() {
    Jobs jobs = newJobs();
    JobId id = JobId.of("job-parts");
    Job job = new Job(id, "parts", JobClass.STANDARD, 4, 3, true, JobStatus.SUBMITTED, T0, T0);
    assertThat(jobs.create(job)).isTrue();
    assertThat(jobs.find(id)).contains(job);
    assertThat(jobs.partitions(id)).isEmpty();

    jobs.touchPartition(id, 2, T0.plusSeconds(5), 100);
    jobs.touchPartition(id, 0, T0.plusSeconds(1), 7);
    jobs.touchPartition(id, 2, T0.plusSeconds(9), 250);
    List<io.spillway.application.port.out.JobPartition> parts = jobs.partitions(id);
    assertThat(parts).extracting(io.spillway.application.port.out.JobPartition::partition).containsExactly(0, 2);
    assertThat(parts.get(1).lastProgressAt()).isEqualTo(T0.plusSeconds(9));
    assertThat(parts.get(1).eventsAccepted()).isEqualTo(250);
    assertThat(parts.get(1).sealed()).isFalse();
    assertThat(parts.get(1).stalled(T0.plusSeconds(100), java.time.Duration.ofSeconds(91))).isTrue();
    assertThat(parts.get(1).stalled(T0.plusSeconds(100), java.time.Duration.ofSeconds(92))).isFalse();

    io.spillway.domain.manifest.PartitionManifest m = new io.spillway.domain.manifest.PartitionManifest(id, 2, 3, 260, -42L, T0.plusSeconds(12));
    jobs.putPartitionManifest(m);
    jobs.putPartitionManifest(new io.spillway.domain.manifest.PartitionManifest(id, 2, 3, 260, -42L, T0.plusSeconds(99)));
    assertThatThrownBy(() -> jobs.putPartitionManifest(new io.spillway.domain.manifest.PartitionManifest(id, 2, 4, 260, -42L, T0)))
        .isInstanceOf(IllegalStateException.class);
    // progress reported late (a tick racing the seal) leaves the sealed partition as sealed
    jobs.touchPartition(id, 2, T0.plusSeconds(500), 999);
    io.spillway.application.port.out.JobPartition sealed = jobs.partitions(id).get(1);
    assertThat(sealed.manifest()).contains(m);
    assertThat(sealed.eventsAccepted()).isEqualTo(260);
    assertThat(sealed.stalled(T0.plusSeconds(100_000), java.time.Duration.ofSeconds(1))).isFalse();
    // a manifest for a partition never touched creates its record
    jobs.putPartitionManifest(new io.spillway.domain.manifest.PartitionManifest(id, 1, 0, 0, 0, T0));
    assertThat(jobs.partitions(id)).extracting(io.spillway.application.port.out.JobPartition::partition).containsExactly(0, 1, 2);
    assertThat(jobs.partitions(JobId.of("job-other"))).isEmpty();
  }
}
