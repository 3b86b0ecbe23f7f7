package io.spillway.domain.job;

import io.spillway.domain.Checks;
import java.time.Instant;

/**
 * One analytics job: what it is called, how heavy it is, how many partition-key buckets its chunks
 * spread over, and where it stands in its lifecycle.
 */
public record Job(JobId id, String name, JobClass jobClass, int buckets, JobStatus status, Instant openedAt, Instant updatedAt) {
  public static final int MAX_NAME_BYTES = 256;
  public static final int MAX_BUCKETS = 1024;

  public Job {
    Checks.required("job.id", id);
    Checks.text("job.name", name, 1, MAX_NAME_BYTES);
    Checks.required("job.jobClass", jobClass);
    Checks.range("job.buckets", buckets, 1, MAX_BUCKETS);
    Checks.required("job.status", status);
    Checks.required("job.openedAt", openedAt);
    Checks.required("job.updatedAt", updatedAt);
  }

  public static Job submitted(JobId id, String name, JobClass jobClass, int buckets, Instant at) {
    return new Job(id, name, jobClass, buckets, JobStatus.SUBMITTED, at, at);
  }

  /** This job in the target state; throws when the lifecycle forbids the move. */
  public Job transitionTo(JobStatus target, Instant at) {
    if (!status.canMoveTo(target)) {
      throw new IllegalJobTransitionException(id, status, target);
    }
    return new Job(id, name, jobClass, buckets, target, openedAt, at);
  }
}
