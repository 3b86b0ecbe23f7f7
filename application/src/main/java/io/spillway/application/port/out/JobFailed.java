package io.spillway.application.port.out;

import io.spillway.domain.Checks;
import io.spillway.domain.InvalidFieldException;
import io.spillway.domain.job.Job;
import io.spillway.domain.job.JobClass;
import io.spillway.domain.job.JobId;
import io.spillway.domain.job.JobStatus;
import java.time.Instant;
import java.util.Optional;

/**
 * A job was marked FAILED (its producer gave up, or an operator did): nothing was sealed, so there
 * is no manifest and no dataset checksum, only the chunks stored before it stopped.
 *
 * @param storedChunks the chunks stored when it was marked (they will never form a dataset)
 * @param reason why, when the one who marked it said
 */
public record JobFailed(JobId jobId, String name, JobClass jobClass, long storedChunks, Optional<String> reason, Instant at)
    implements JobAnnouncement {
  public JobFailed {
    Checks.required("jobFailed.jobId", jobId);
    Checks.text("jobFailed.name", name, 1, Job.MAX_NAME_BYTES);
    Checks.required("jobFailed.jobClass", jobClass);
    Checks.range("jobFailed.storedChunks", storedChunks, 0, Long.MAX_VALUE);
    Checks.required("jobFailed.reason", reason);
    reason.ifPresent(r -> Checks.text("jobFailed.reason", r, 1, MAX_REASON_BYTES));
    Checks.required("jobFailed.at", at);
  }

  /** The announcement of {@code job}, just moved to FAILED with {@code stored} chunks in the table. */
  public static JobFailed of(Job job, long stored, Optional<String> reason) {
    if (job.status() != JobStatus.FAILED) {
      throw new InvalidFieldException("jobFailed.job", job.id() + " " + job.status(), "a FAILED job");
    }
    return new JobFailed(job.id(), job.name(), job.jobClass(), stored, reason, job.updatedAt());
  }

  @Override
  public JobStatus status() {
    return JobStatus.FAILED;
  }
}
