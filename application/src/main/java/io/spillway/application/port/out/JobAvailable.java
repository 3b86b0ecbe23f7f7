package io.spillway.application.port.out;

import io.spillway.domain.Checks;
import io.spillway.domain.InvalidFieldException;
import io.spillway.domain.job.Job;
import io.spillway.domain.job.JobClass;
import io.spillway.domain.job.JobId;
import io.spillway.domain.job.JobStatus;
import io.spillway.domain.manifest.Manifest;
import java.time.Instant;

/**
 * A job became AVAILABLE: every chunk its manifest promises is stored, so its dataset can be read.
 *
 * @param chunkCount the chunks of the dataset (all stored)
 * @param eventCount the events of the dataset
 * @param datasetChecksum the {@link io.spillway.domain.manifest.DatasetChecksum} the chunks add up to
 */
public record JobAvailable(JobId jobId, String name, JobClass jobClass, long chunkCount, long eventCount, long datasetChecksum, Instant at)
    implements JobAnnouncement {
  public JobAvailable {
    Checks.required("jobAvailable.jobId", jobId);
    Checks.text("jobAvailable.name", name, 1, Job.MAX_NAME_BYTES);
    Checks.required("jobAvailable.jobClass", jobClass);
    Checks.range("jobAvailable.chunkCount", chunkCount, 0, Long.MAX_VALUE);
    Checks.range("jobAvailable.eventCount", eventCount, chunkCount == 0 ? 0 : chunkCount, Long.MAX_VALUE);
    Checks.required("jobAvailable.at", at);
  }

  /** The announcement of {@code job}, just moved to AVAILABLE, whose manifest is {@code manifest}. */
  public static JobAvailable of(Job job, Manifest manifest) {
    if (job.status() != JobStatus.AVAILABLE || !job.id().equals(manifest.jobId())) {
      throw new InvalidFieldException("jobAvailable.job", job.id() + " " + job.status(), "an AVAILABLE job with its own manifest");
    }
    return new JobAvailable(job.id(), job.name(), job.jobClass(), manifest.chunkCount(), manifest.eventCount(), manifest.datasetChecksum(),
        job.updatedAt());
  }

  @Override
  public JobStatus status() {
    return JobStatus.AVAILABLE;
  }

  @Override
  public long storedChunks() {
    return chunkCount;
  }
}
