package io.spillway.domain.manifest;

import io.spillway.domain.Checks;
import io.spillway.domain.job.Job;
import io.spillway.domain.job.JobId;
import java.time.Instant;

/**
 * What one sealed partition of a job promises: its chunks, its events (its dense sequence ran
 * 0..eventCount-1) and their checksum. The job's {@link Manifest} is the sum of its partitions'.
 */
public record PartitionManifest(JobId jobId, int partition, long chunkCount, long eventCount, long datasetChecksum, Instant sealedAt) {
  public PartitionManifest {
    Checks.required("manifest.jobId", jobId);
    Checks.range("manifest.partition", partition, 0, Job.MAX_PARTITIONS - 1);
    Checks.range("manifest.chunkCount", chunkCount, 0, Long.MAX_VALUE);
    Checks.range("manifest.eventCount", eventCount, chunkCount == 0 ? 0 : chunkCount, Long.MAX_VALUE);
    Checks.required("manifest.sealedAt", sealedAt);
  }
}
