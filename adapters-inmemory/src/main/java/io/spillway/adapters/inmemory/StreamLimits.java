package io.spillway.adapters.inmemory;

import io.spillway.domain.InvalidFieldException;
import java.time.Duration;
import java.util.Optional;

/**
 * A Kinesis data stream's documented limits: per shard 1 MB/s or 1,000 records/s written, 2 MB/s
 * and 5 GetRecords calls/s read (up to 10 MB or 10,000 records a call), 1 MiB per record, 24 h
 * retention by default.
 *
 * <p>A provisioned stream has {@code shards} shards for good. An on-demand stream
 * ({@link #onDemand()}, {@code onDemandCapacity} present) starts with {@code shards} = 4 and adds
 * shards as its stream-level allowance ({@link OnDemandStreamCapacity}) grows; the per-shard
 * limits here still hold for every shard it has.
 */
public record StreamLimits(
    int shards,
    long writeBytesPerSecond,
    int writeRecordsPerSecond,
    long readBytesPerSecond,
    int readCallsPerSecond,
    int maxRecordsPerRead,
    int maxBytesPerRead,
    int maxRecordBytes,
    Duration retention,
    Optional<OnDemandStreamCapacity.Settings> onDemandCapacity) {

  public StreamLimits {
    if (shards < 1 || shards > 10_000) {
      throw new InvalidFieldException("stream.shards", shards, "1..10000");
    }
    if (retention.compareTo(Duration.ofHours(24)) < 0 || retention.compareTo(Duration.ofDays(365)) > 0) {
      throw new InvalidFieldException("stream.retention", retention, "24 hours .. 365 days");
    }
    if (onDemandCapacity == null) {
      throw new InvalidFieldException("stream.onDemandCapacity", null, "present (on-demand) or empty (provisioned)");
    }
  }

  /** A provisioned stream's limits. */
  public StreamLimits(int shards, long writeBytesPerSecond, int writeRecordsPerSecond, long readBytesPerSecond, int readCallsPerSecond,
      int maxRecordsPerRead, int maxBytesPerRead, int maxRecordBytes, Duration retention) {
    this(shards, writeBytesPerSecond, writeRecordsPerSecond, readBytesPerSecond, readCallsPerSecond, maxRecordsPerRead, maxBytesPerRead,
        maxRecordBytes, retention, Optional.empty());
  }

  public static StreamLimits kinesis(int shards) {
    return new StreamLimits(shards, 1_000_000, 1_000, 2_000_000, 5, 10_000, 10_000_000, 1024 * 1024, Duration.ofHours(24));
  }

  /** An on-demand stream with the documented figures ({@link OnDemandStreamCapacity.Settings#standard()}). */
  public static StreamLimits onDemand() {
    return onDemand(OnDemandStreamCapacity.Settings.standard());
  }

  /** An on-demand stream: 4 shards at first, each with a shard's limits, behind the stream-level allowance. */
  public static StreamLimits onDemand(OnDemandStreamCapacity.Settings capacity) {
    StreamLimits shard = kinesis(OnDemandStreamCapacity.INITIAL_SHARDS);
    return new StreamLimits(shard.shards, shard.writeBytesPerSecond, shard.writeRecordsPerSecond, shard.readBytesPerSecond,
        shard.readCallsPerSecond, shard.maxRecordsPerRead, shard.maxBytesPerRead, shard.maxRecordBytes, shard.retention, Optional.of(capacity));
  }

  /** Limits so high they never bind: for measuring Spillway's own code path. */
  public static StreamLimits unbounded(int shards) {
    return new StreamLimits(shards, Long.MAX_VALUE / 4, Integer.MAX_VALUE / 4, Long.MAX_VALUE / 4, Integer.MAX_VALUE / 4,
        10_000, Integer.MAX_VALUE / 4, 1024 * 1024, Duration.ofHours(24));
  }

  /** Whether the stream is in on-demand mode. */
  public boolean isOnDemand() {
    return onDemandCapacity.isPresent();
  }

  public StreamLimits withRetention(Duration r) {
    return new StreamLimits(shards, writeBytesPerSecond, writeRecordsPerSecond, readBytesPerSecond, readCallsPerSecond, maxRecordsPerRead,
        maxBytesPerRead, maxRecordBytes, r, onDemandCapacity);
  }
}
