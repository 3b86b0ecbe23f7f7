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

  /**
   * The job's manifest from every one of its partitions' (in any order): their sums, sealed when the
   * last of them was. The same partitions always give the same manifest, so two processes that seal
   * a job's last partitions at once store the same one.
   *
   * @throws IllegalArgumentException when a partition is missing, repeated or of another job
   */
  public static Manifest ofPartitions(JobId jobId, int buckets, int partitions, java.util.Collection<PartitionManifest> parts) {
    boolean[] seen = new boolean[partitions];
    long chunks = 0;
    long events = 0;
    long checksum = 0;
    Instant sealed = null;
    for (PartitionManifest p : parts) {
      if (!p.jobId().equals(jobId) || p.partition() >= partitions || seen[p.partition()]) {
        throw new IllegalArgumentException("partition manifest " + p.partition() + " of " + p.jobId() + " does not belong once to job " + jobId + " of " + partitions + " partitions");
      }
      seen[p.partition()] = true;
      chunks += p.chunkCount();
      events += p.eventCount();
      checksum += p.datasetChecksum();
      sealed = sealed == null || p.sealedAt().isAfter(sealed) ? p.sealedAt() : sealed;
    }
    if (parts.size() != partitions) {
      throw new IllegalArgumentException("job " + jobId + " has " + partitions + " partitions; " + parts.size() + " are sealed");
    }
    return new Manifest(jobId, buckets, chunks, events, checksum, sealed);
  }
}
