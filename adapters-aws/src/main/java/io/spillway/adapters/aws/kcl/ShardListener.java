package io.spillway.adapters.aws.kcl;

import java.time.Instant;
import java.util.Optional;

/**
 * What a worker's processors see of their shards, for a consumer's health (leases held) and for
 * the retention-risk monitor (how far behind each shard is, how fast it drains). Called from KCL's
 * processor threads, one per shard; implementations must be thread-safe and quick.
 */
public interface ShardListener {
  /** This worker now holds the shard's lease and processes it. */
  void leaseTaken(String shardId);

  /**
   * A batch was made durable (stored or dead-lettered) and checkpointed; also called for an empty
   * batch when the shard had nothing new.
   *
   * @param oldestArrival when the batch's first record entered the stream; empty for an empty batch
   * @param millisBehindLatest how far the batch's read was from the shard's tip, as Kinesis reported
   *     it (0: the read reached the tip); empty when not reported
   */
  void batchDone(String shardId, Optional<Instant> oldestArrival, int records, long bytes, Optional<Long> millisBehindLatest);

  /** This worker no longer processes the shard (lease lost, shard ended, or shutdown). */
  void leaseEnded(String shardId);

  /** Listens to nothing. */
  static ShardListener none() {
    return new ShardListener() {
      @Override
      public void leaseTaken(String shardId) {}

      @Override
      public void batchDone(String shardId, Optional<Instant> oldestArrival, int records, long bytes, Optional<Long> millisBehindLatest) {}

      @Override
      public void leaseEnded(String shardId) {}
    };
  }
}
