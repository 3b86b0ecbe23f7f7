package io.spillway.application.port.in;

import io.spillway.domain.Checks;
import io.spillway.domain.job.Job;
import io.spillway.domain.job.JobClass;
import io.spillway.domain.job.JobId;
import java.util.Optional;

/**
 * Opens a job: an id of the caller's (or a new one), a name, a class, the buckets to spread over,
 * the partitions its producer tasks write (one per task; default 1) and whether a task that died may
 * open its partition again and re-send it (docs/partitions.md).
 */
public record OpenJob(Optional<JobId> jobId, String name, JobClass jobClass, int buckets, int partitions, boolean resumable) {
  public OpenJob {
    Checks.required("openJob.jobId", jobId);
    Checks.text("openJob.name", name, 1, Job.MAX_NAME_BYTES);
    Checks.required("openJob.jobClass", jobClass);
    Checks.range("openJob.buckets", buckets, 1, Job.MAX_BUCKETS);
    Checks.range("openJob.partitions", partitions, 1, Job.MAX_PARTITIONS);
  }

  /** A job of one partition, not resumable. */
  public OpenJob(Optional<JobId> jobId, String name, JobClass jobClass, int buckets) {
    this(jobId, name, jobClass, buckets, 1, false);
  }

  public static OpenJob named(String name, JobClass jobClass, int buckets) {
    return new OpenJob(Optional.empty(), name, jobClass, buckets);
  }

  /** This job with its id given. */
  public OpenJob withId(JobId id) {
    return new OpenJob(Optional.of(id), name, jobClass, buckets, partitions, resumable);
  }

  /** This job written by {@code n} producer tasks, one partition each. */
  public OpenJob withPartitions(int n) {
    return new OpenJob(jobId, name, jobClass, buckets, n, resumable);
  }

  /** This job resumable: chunks cut by size and at the seal only, so a task may re-send its partition. */
  public OpenJob asResumable() {
    return new OpenJob(jobId, name, jobClass, buckets, partitions, true);
  }
}
