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
 * A job became INCOMPLETE: some of its chunks left the stream's retention before they were stored,
 * and never will be; {@link #missingChunks()} of its {@code chunkCount} are lost.
 *
 * @param chunkCount the chunks its manifest promised
 * @param eventCount the events its manifest promised
 * @param storedChunks the chunks the table held when the job was marked (fewer than promised)
 * @param datasetChecksum the checksum the whole dataset would have added up to
 */
public record JobIncomplete(JobId jobId, String name, JobClass jobClass, long chunkCount, long eventCount, long storedChunks,
    long datasetChecksum, Instant at) implements JobAnnouncement {
  public JobIncomplete {
    Checks.required("jobIncomplete.jobId", jobId);
    Checks.text("jobIncomplete.name", name, 1, Job.MAX_NAME_BYTES);
    Checks.required("jobIncomplete.jobClass", jobClass);
    Checks.range("jobIncomplete.chunkCount", chunkCount, 1, Long.MAX_VALUE);
    Checks.range("jobIncomplete.eventCount", eventCount, chunkCount, Long.MAX_VALUE);
    // an incomplete job misses at least one chunk: one with all of them stored is AVAILABLE
    Checks.range("jobIncomplete.storedChunks", storedChunks, 0, chunkCount - 1);
    Checks.required("jobIncomplete.at", at);
  }

  /** The announcement of {@code job}, just moved to INCOMPLETE with {@code stored} of its manifest's chunks in the table. */
  public static JobIncomplete of(Job job, Manifest manifest, long stored) {
    if (job.status() != JobStatus.INCOMPLETE || !job.id().equals(manifest.jobId())) {
      throw new InvalidFieldException("jobIncomplete.job", job.id() + " " + job.status(), "an INCOMPLETE job with its own manifest");
    }
    return new JobIncomplete(job.id(), job.name(), job.jobClass(), manifest.chunkCount(), manifest.eventCount(), stored,
        manifest.datasetChecksum(), job.updatedAt());
  }

  @Override
  public JobStatus status() {
    return JobStatus.INCOMPLETE;
  }

  public long missingChunks() {
    return chunkCount - storedChunks;
  }
}
