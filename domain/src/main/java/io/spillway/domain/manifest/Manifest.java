package io.spillway.domain.manifest;

import io.spillway.domain.Checks;
import io.spillway.domain.job.JobId;
import java.time.Instant;

/**
 * What a sealed job promises its readers: how many chunks over how many buckets, how many events,
 * and the dataset checksum ({@link DatasetChecksum}) the chunks must add up to.
 */
public record Manifest(JobId jobId, int buckets, long chunkCount, long eventCount, long datasetChecksum, Instant sealedAt) {
  public Manifest {
    Checks.required("manifest.jobId", jobId);
    Checks.range("manifest.buckets", buckets, 1, io.spillway.domain.job.Job.MAX_BUCKETS);
    Checks.range("manifest.chunkCount", chunkCount, 0, Long.MAX_VALUE);
    Checks.range("manifest.eventCount", eventCount, chunkCount == 0 ? 0 : chunkCount, Long.MAX_VALUE);
    Checks.required("manifest.sealedAt", sealedAt);
  }
}
