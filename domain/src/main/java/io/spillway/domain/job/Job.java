package io.spillway.domain.job;

import io.spillway.domain.Checks;
import java.time.Instant;

/**
 * One analytics job: what it is called, how heavy it is, how many partition-key buckets its chunks
 * spread over, how many partitions its producer tasks write, whether a task may resume, and where it
 * stands in its lifecycle.
 *
 * <p><b>Partitions.</b> A job computed by many tasks is opened with one partition per task: each
 * task appends to its own partition with its own dense sequence from 0 and seals it; the job is
 * SEALED once every partition is. <b>Resumable</b> jobs cut chunks by size and at the seal only (never
 * on a linger deadline), so a task that died and re-sends its partition cuts exactly the chunks it
 * cut before (docs/partitions.md).
 */
public record Job(JobId id, String name, JobClass jobClass, int buckets, int partitions, boolean resumable,
    JobStatus status, Instant openedAt, Instant updatedAt) {
  public static final int MAX_NAME_BYTES = 256;
  public static final int MAX_BUCKETS = 1024;
  /** The most partitions a job may have: one small record each, read together at the job's seal. */
  public static final int MAX_PARTITIONS = 10_000;

  public Job {
    Checks.required("job.id", id);
    Checks.text("job.name", name, 1, MAX_NAME_BYTES);
    Checks.required("job.jobClass", jobClass);
    Checks.range("job.buckets", buckets, 1, MAX_BUCKETS);
    Checks.range("job.partitions", partitions, 1, MAX_PARTITIONS);
    Checks.required("job.status", status);
    Checks.required("job.openedAt", openedAt);
    Checks.required("job.updatedAt", updatedAt);
  }

  /** A job of one partition, not resumable: one producer writes it. */
  public Job(JobId id, String name, JobClass jobClass, int buckets, JobStatus status, Instant openedAt, Instant updatedAt) {
    this(id, name, jobClass, buckets, 1, false, status, openedAt, updatedAt);
  }

  public static Job submitted(JobId id, String name, JobClass jobClass, int buckets, Instant at) {
    return submitted(id, name, jobClass, buckets, 1, false, at);
  }

  public static Job submitted(JobId id, String name, JobClass jobClass, int buckets, int partitions, boolean resumable, Instant at) {
    return new Job(id, name, jobClass, buckets, partitions, resumable, JobStatus.SUBMITTED, at, at);
  }

  /** This job in the target state; throws when the lifecycle forbids the move. */
  public Job transitionTo(JobStatus target, Instant at) {
    if (!status.canMoveTo(target)) {
      throw new IllegalJobTransitionException(id, status, target);
    }
    return new Job(id, name, jobClass, buckets, partitions, resumable, target, openedAt, at);
  }

  /** Checks that {@code partition} is one of this job's, naming {@code field} when it is not. */
  public void checkPartition(String field, int partition) {
    Checks.range(field, partition, 0, partitions - 1);
  }
}
