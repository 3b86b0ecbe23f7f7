package io.spillway.domain.chunk;

import io.spillway.domain.Checks;
import io.spillway.domain.event.Event;
import io.spillway.domain.job.Job;
import io.spillway.domain.job.JobId;

/**
 * The identity of a chunk, fixed by the producer: job, bucket, group and the chunk's sequence within
 * its group. Producer retries, stream redelivery and consumer restarts all land on the same item.
 */
public record ChunkId(JobId jobId, int bucket, String groupKey, long sequence) implements Comparable<ChunkId> {
  public static final long MAX_SEQUENCE = 9_999_999_999L;

  public ChunkId {
    Checks.required("chunk.jobId", jobId);
    Checks.range("chunk.bucket", bucket, 0, Job.MAX_BUCKETS - 1);
    Checks.text("chunk.groupKey", groupKey, 1, Event.MAX_GROUP_KEY_BYTES);
    Checks.range("chunk.sequence", sequence, 0, MAX_SEQUENCE);
  }

  /**
   * The bucket of the {@code sequence}-th chunk of a group: consecutive chunks of one group go to
   * consecutive buckets, so neither a large job nor a large group is held to one partition key.
   */
  public static int bucketFor(String groupKey, long sequence, int buckets) {
    return (int) Math.floorMod(groupKey.hashCode() + sequence, (long) buckets);
  }

  public static ChunkId of(JobId jobId, String groupKey, long sequence, int buckets) {
    return new ChunkId(jobId, bucketFor(groupKey, sequence, buckets), groupKey, sequence);
  }

  /** The Kinesis partition key: spreads a job's chunks over the shards, at most 100 characters. */
  public String streamPartitionKey() {
    return jobId.value() + "/" + bucket + "/" + Integer.toHexString(groupKey.hashCode()) + "/" + sequence;
  }

  @Override
  public int compareTo(ChunkId o) {
    int c = jobId.compareTo(o.jobId);
    if (c == 0) c = Integer.compare(bucket, o.bucket);
    if (c == 0) c = groupKey.compareTo(o.groupKey);
    if (c == 0) c = Long.compare(sequence, o.sequence);
    return c;
  }

  @Override
  public String toString() {
    return jobId + "/b" + bucket + "/" + groupKey + "/" + sequence;
  }
}
