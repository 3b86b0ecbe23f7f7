package io.spillway.application.port.in;

import io.spillway.domain.Checks;
import io.spillway.domain.job.Job;
import io.spillway.domain.job.JobClass;
import io.spillway.domain.job.JobId;
import java.util.Optional;

/** Opens a job: an id of the caller's (or a new one), a name, a class and the buckets to spread over. */
public record OpenJob(Optional<JobId> jobId, String name, JobClass jobClass, int buckets) {
  public OpenJob {
    Checks.required("openJob.jobId", jobId);
    Checks.text("openJob.name", name, 1, Job.MAX_NAME_BYTES);
    Checks.required("openJob.jobClass", jobClass);
    Checks.range("openJob.buckets", buckets, 1, Job.MAX_BUCKETS);
  }

  public static OpenJob named(String name, JobClass jobClass, int buckets) {
    return new OpenJob(Optional.empty(), name, jobClass, buckets);
  }
}
