package io.spillway.application.service;

import io.spillway.application.port.in.DatasetNotAvailableException;
import io.spillway.application.port.out.Chunks;
import io.spillway.application.port.out.Clock;
import io.spillway.application.port.out.Jobs;
import io.spillway.application.port.out.StoredChunks;
import io.spillway.domain.job.Job;
import io.spillway.domain.job.JobId;
import io.spillway.domain.job.JobStatus;
import io.spillway.domain.manifest.Manifest;
import io.spillway.application.port.out.JobPartition;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What operators do with jobs: list them by time and status, look at one (its manifest and the
 * chunks stored in each bucket), and fail one that will never complete. Listing reads the job
 * records, never the chunks; a job's details count its buckets in the store's keys-only index.
 */
public final class JobOperations {
  private final Jobs jobs;
  private final Chunks chunks;
  private final Clock clock;
  private final JobAnnouncer announcer;

  private long deleteChunks(Job job) {
    long deleted = 0;
    for (int b = 0; b < job.buckets(); b++) {
      deleted += chunks.deleteAll(job.id(), b);
    }
    return deleted;
  }

  /** @param announcer where a job failed here is announced (JobFailed) */
  public JobOperations(Jobs jobs, Chunks chunks, Clock clock, JobAnnouncer announcer) {
    this.jobs = jobs;
    this.chunks = chunks;
    this.clock = clock;
    this.announcer = announcer;
  }

  /** The jobs opened in the last {@code since}, oldest first, optionally only those in {@code status}. */
  public List<Job> opened(Duration since, Optional<JobStatus> status) {
    Instant now = clock.now();
    List<Job> listed = new ArrayList<>();
    for (Job job : jobs.opened(now.minus(since), now.plusMillis(1))) {
      if (status.isEmpty() || job.status() == status.get()) {
        listed.add(job);
      }
    }
    return listed;
  }

  /**
   * One job in detail.
   *
   * @param storedPerBucket the chunks stored in each bucket, as the store's index counts them now
   *     (eventually consistent: a chunk stored a moment ago may not be counted yet)
   * @param counted the chunks the consumers have counted on the job record (what availability goes by)
   */
  public record JobDetails(Job job, Optional<Manifest> manifest, long counted, List<Long> storedPerBucket, List<JobPartition> partitions,
      Instant at) {
    public JobDetails(Job job, Optional<Manifest> manifest, long counted, List<Long> storedPerBucket) {
      this(job, manifest, counted, storedPerBucket, List.of(), Instant.EPOCH);
    }

    /** The partitions open and without progress for at least {@code after} when these details were taken. */
    public List<JobPartition> stalled(Duration after) {
      if (job.status() != JobStatus.SUBMITTED && job.status() != JobStatus.PRODUCING) {
        return List.of();
      }
      return partitions.stream().filter(p -> p.stalled(at, after)).toList();
    }

    /** Partitions of the job no producer has opened yet (they have no record). */
    public int unopened() {
      return job.partitions() - partitions.size();
    }

    public long stored() {
      return storedPerBucket.stream().mapToLong(Long::longValue).sum();
    }

    /** Chunks the manifest promises that the buckets do not hold; empty before the seal. */
    public OptionalLong missing() {
      return manifest.map(m -> OptionalLong.of(Math.max(0, m.chunkCount() - stored()))).orElse(OptionalLong.empty());
    }
  }

  /**
   * The job, its manifest and its chunks per bucket.
   *
   * @throws DatasetNotAvailableException when no such job exists
   */
  public JobDetails details(JobId id) {
    StoredChunks progress = jobs.progress(id).orElseThrow(() -> new DatasetNotAvailableException("job " + id + " does not exist"));
    Optional<Manifest> manifest = jobs.manifest(id);
    int buckets = manifest.map(Manifest::buckets).orElse(progress.job().buckets());
    List<Long> perBucket = new ArrayList<>(buckets);
    for (int b = 0; b < buckets; b++) {
      perBucket.add(chunks.count(id, b));
    }
    return new JobDetails(progress.job(), manifest, progress.stored(), List.copyOf(perBucket), jobs.partitions(id), clock.now());
  }

  /** How long an open partition may go without progress before it shows as stalled: 15 minutes. */
  public static final Duration DEFAULT_STALLED_AFTER = Duration.ofMinutes(15);

  /**
   * The jobs opened in the last {@code since} that are still being produced and have a partition
   * without progress for {@code after}, each with its stalled partitions: reads the partition records
   * of the SUBMITTED and PRODUCING jobs only.
   */
  public List<Stalled> stalled(Duration since, Duration after) {
    Instant now = clock.now();
    List<Stalled> out = new ArrayList<>();
    for (Job job : opened(since, Optional.empty())) {
      if (job.status() != JobStatus.SUBMITTED && job.status() != JobStatus.PRODUCING) {
        continue;
      }
      List<JobPartition> stalled = jobs.partitions(job.id()).stream().filter(p -> p.stalled(now, after)).toList();
      if (!stalled.isEmpty()) {
        out.add(new Stalled(job, stalled));
      }
    }
    return out;
  }

  /** A job still being produced with partitions that made no progress for a while. */
  public record Stalled(Job job, List<JobPartition> partitions) {}

  /** What {@link #fail} came to. */
  public sealed interface Failing {
    /** The job is FAILED now, and its {@code chunksDeleted} stored chunks are deleted. */
    record Failed(Job job, long chunksDeleted) implements Failing {}

    /** It was FAILED already: nothing changed. */
    record AlreadyFailed(Job job) implements Failing {}

    /** It is AVAILABLE or INCOMPLETE: settled, and not failed. */
    record Settled(Job job) implements Failing {}
  }

  /**
   * Marks the job FAILED, whatever its producer or consumers do next: readers refuse it, its stored
   * chunks are deleted, and chunks that still arrive from the stream are deleted as the consumers
   * count them. The move is announced (JobFailed) like any other, owed in the store first. Retries
   * a status that moved under it (a consumer sealing or counting at the same moment). Failing a
   * FAILED job again deletes what may have been left (a fail cut off before its deletes).
   *
   * @throws DatasetNotAvailableException when no such job exists
   */
  public Failing fail(JobId id) {
    for (int attempt = 0; ; attempt++) {
      Job job = jobs.find(id).orElseThrow(() -> new DatasetNotAvailableException("job " + id + " does not exist"));
      if (job.status() == JobStatus.FAILED) {
        deleteChunks(job);
        return new Failing.AlreadyFailed(job);
      }
      if (!job.status().canMoveTo(JobStatus.FAILED)) {
        return new Failing.Settled(job);
      }
      Job failed = job.transitionTo(JobStatus.FAILED, clock.now());
      announcer.owing(id);
      if (jobs.replace(job, failed)) {
        announcer.announceSettled(id, Optional.of("failed by an operator"));
        return new Failing.Failed(failed, deleteChunks(failed));
      }
      if (attempt >= 16) {
        throw new IllegalStateException("job " + id + " kept changing status while it was being failed (" + (attempt + 1) + " tries)");
      }
    }
  }
}
