package io.spillway.domain.chunk;

import io.spillway.domain.Checks;
import io.spillway.domain.event.Event;
import io.spillway.domain.job.Job;
import io.spillway.domain.job.JobId;

/**
 * The identity of a chunk, fixed by the producer: job, partition, bucket, group and the chunk's
 * sequence within its group in that partition. Producer retries, stream redelivery, consumer
 * restarts and a resumed producer task all land on the same item; two tasks writing two partitions
 * of one job never do.
 */
public record ChunkId(JobId jobId, int partition, int bucket, String groupKey, long sequence) implements Comparable<ChunkId> {
  public static final long MAX_SEQUENCE = 9_999_999_999L;

  public ChunkId {
    Checks.required("chunk.jobId", jobId);
    Checks.range("chunk.partition", partition, 0, Job.MAX_PARTITIONS - 1);
    Checks.range("chunk.bucket", bucket, 0, Job.MAX_BUCKETS - 1);
    Checks.text("chunk.groupKey", groupKey, 1, Event.MAX_GROUP_KEY_BYTES);
    Checks.range("chunk.sequence", sequence, 0, MAX_SEQUENCE);
  }

  /** A chunk of partition 0. */
  public ChunkId(JobId jobId, int bucket, String groupKey, long sequence) {
    this(jobId, 0, bucket, groupKey, sequence);
  }

  /**
   * The bucket of the {@code sequence}-th chunk of a group: consecutive chunks of one group go to
   * consecutive buckets, so neither a large job nor a large group is held to one partition key.
   */
  public static int bucketFor(String groupKey, long sequence, int buckets) {
    return bucketFor(groupKey, 0, sequence, buckets);
  }

  /** As {@link #bucketFor(String, long, int)}, each partition starting its groups one bucket further on. */
  public static int bucketFor(String groupKey, int partition, long sequence, int buckets) {
    return (int) Math.floorMod(groupKey.hashCode() + (long) partition + sequence, (long) buckets);
  }

  public static ChunkId of(JobId jobId, String groupKey, long sequence, int buckets) {
    return of(jobId, 0, groupKey, sequence, buckets);
  }

  public static ChunkId of(JobId jobId, int partition, String groupKey, long sequence, int buckets) {
    return new ChunkId(jobId, partition, bucketFor(groupKey, partition, sequence, buckets), groupKey, sequence);
  }

  /** The Kinesis partition key: spreads a job's chunks over the shards, at most 100 characters. */
  public String streamPartitionKey() {
    return jobId.value() + "/" + (partition == 0 ? "" : partition + "/") + bucket + "/" + Integer.toHexString(groupKey.hashCode()) + "/" + sequence;
  }

  @Override
  public int compareTo(ChunkId o) {
    int c = jobId.compareTo(o.jobId);
    if (c == 0) c = Integer.compare(bucket, o.bucket);
    if (c == 0) c = groupKey.compareTo(o.groupKey);
    if (c == 0) c = Long.compare(sequence, o.sequence);
    if (c == 0) c = Integer.compare(partition, o.partition);
    return c;
  }

  @Override
  public String toString() {
    return jobId + (partition == 0 ? "" : "/p" + partition) + "/b" + bucket + "/" + groupKey + "/" + sequence;
  }
}
