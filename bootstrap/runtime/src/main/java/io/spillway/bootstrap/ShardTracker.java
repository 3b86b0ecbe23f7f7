package io.spillway.bootstrap;

import io.spillway.application.service.BacklogMonitor;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * What a consumer process knows of the shards it holds: which ones (its readiness), the records
 * and bytes processed, and — through the {@link BacklogMonitor} it feeds — each one's iterator age
 * and the retention risk. Fed by the workers' processor threads.
 */
public final class ShardTracker {
  private final BacklogMonitor monitor;
  private final Set<String> held = ConcurrentHashMap.newKeySet();
  private final LongAdder records = new LongAdder();
  private final LongAdder bytes = new LongAdder();

  public ShardTracker(BacklogMonitor monitor) {
    this.monitor = monitor;
  }

  public void leaseTaken(String shard) {
    held.add(shard);
  }

  /**
   * A batch of the shard is durable.
   *
   * @param oldestArrival when its first record entered the stream (empty for an empty batch)
   * @param caughtUp the read that fetched it reached the shard's tip
   */
  public void batchDone(String shard, Optional<Instant> oldestArrival, int records, long bytes, boolean caughtUp) {
    held.add(shard);
    this.records.add(records);
    this.bytes.add(bytes);
    // the shard's age: the first record of the batch just done, or none once the reads reached the tip
    if (caughtUp || oldestArrival.isEmpty()) {
      monitor.caughtUp(shard);
    } else {
      monitor.processed(shard, oldestArrival.get(), records, bytes);
    }
  }

  public void leaseEnded(String shard) {
    held.remove(shard);
    monitor.shardClosed(shard);
  }

  public int leasesHeld() {
    return held.size();
  }

  /** Each held shard's iterator age now: the oldest record not yet durable (zero for a shard caught up). */
  public Map<String, Duration> iteratorAges() {
    return monitor.iteratorAges();
  }

  public Duration maxIteratorAge() {
    return iteratorAges().values().stream().max(Duration::compareTo).orElse(Duration.ZERO);
  }

  public long recordsProcessed() {
    return records.sum();
  }

  public long bytesProcessed() {
    return bytes.sum();
  }
}
