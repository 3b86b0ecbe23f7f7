package io.spillway.adapters.inmemory;

import io.spillway.domain.InvalidFieldException;
import java.time.Duration;

/**
 * A Kinesis data stream's documented limits: per shard 1 MB/s or 1,000 records/s written, 2 MB/s
 * and 5 GetRecords calls/s read (up to 10 MB or 10,000 records a call), 1 MiB per record, 24 h
 * retention by default.
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
    Duration retention) {

  public StreamLimits {
    if (shards < 1 || shards > 10_000) {
      throw new InvalidFieldException("stream.shards", shards, "1..10000");
    }
    if (retention.compareTo(Duration.ofHours(24)) < 0 || retention.compareTo(Duration.ofDays(365)) > 0) {
      throw new InvalidFieldException("stream.retention", retention, "24 hours .. 365 days");
    }
  }

  public static StreamLimits kinesis(int shards) {
    return new StreamLimits(shards, 1_000_000, 1_000, 2_000_000, 5, 10_000, 10_000_000, 1024 * 1024, Duration.ofHours(24));
  }

  /** Limits so high they never bind: for measuring Spillway's own code path. */
  public static StreamLimits unbounded(int shards) {
    return new StreamLimits(shards, Long.MAX_VALUE / 4, Integer.MAX_VALUE / 4, Long.MAX_VALUE / 4, Integer.MAX_VALUE / 4,
        10_000, Integer.MAX_VALUE / 4, 1024 * 1024, Duration.ofHours(24));
  }

  public StreamLimits withRetention(Duration r) {
    return new StreamLimits(shards, writeBytesPerSecond, writeRecordsPerSecond, readBytesPerSecond, readCallsPerSecond, maxRecordsPerRead, maxBytesPerRead, maxRecordBytes, r);
  }
}
