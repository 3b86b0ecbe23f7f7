package io.spillway.bootstrap;

import io.spillway.adapters.inmemory.StreamLimits;
import io.spillway.adapters.inmemory.TableCapacity;
import io.spillway.application.service.IngestSettings;
import io.spillway.application.service.PublisherSettings;
import io.spillway.domain.chunk.ChunkAssembler;
import io.spillway.domain.chunk.CodecId;
import java.time.Duration;

/**
 * Everything a Spillway process is configured with, in one immutable value (built in code or by
 * the command line).
 */
public record SpillwayConfig(
    CodecId codec,
    int zstdLevel,
    ChunkAssembler.Settings assembler,
    PublisherSettings publisher,
    IngestSettings ingest,
    StreamLimits stream,
    TableCapacity.Settings table,
    int readParallelism,
    int consumerBatchRecords,
    Duration sealTimeout,
    boolean sequentialJobIds,
    long jitterSeed) {

  /** Kinesis and DynamoDB limits as documented, 4 shards, 10,000 provisioned write units. */
  public static SpillwayConfig defaults() {
    return new SpillwayConfig(CodecId.ZSTD, 3, ChunkAssembler.Settings.defaults(), PublisherSettings.defaults(),
        IngestSettings.defaults(), StreamLimits.kinesis(4), TableCapacity.Settings.provisioned(10_000),
        4, 10_000, Duration.ofMinutes(5), false, 0x5B111_11AL);
  }

  public SpillwayConfig withStream(StreamLimits s) {
    return new SpillwayConfig(codec, zstdLevel, assembler, publisher, ingest, s, table, readParallelism, consumerBatchRecords, sealTimeout, sequentialJobIds, jitterSeed);
  }

  public SpillwayConfig withTable(TableCapacity.Settings t) {
    return new SpillwayConfig(codec, zstdLevel, assembler, publisher, ingest, stream, t, readParallelism, consumerBatchRecords, sealTimeout, sequentialJobIds, jitterSeed);
  }

  public SpillwayConfig withIngest(IngestSettings i) {
    return new SpillwayConfig(codec, zstdLevel, assembler, publisher, i, stream, table, readParallelism, consumerBatchRecords, sealTimeout, sequentialJobIds, jitterSeed);
  }

  public SpillwayConfig withPublisher(PublisherSettings p) {
    return new SpillwayConfig(codec, zstdLevel, assembler, p, ingest, stream, table, readParallelism, consumerBatchRecords, sealTimeout, sequentialJobIds, jitterSeed);
  }

  public SpillwayConfig withCodec(CodecId c, int level) {
    return new SpillwayConfig(c, level, assembler, publisher, ingest, stream, table, readParallelism, consumerBatchRecords, sealTimeout, sequentialJobIds, jitterSeed);
  }

  public SpillwayConfig withJitterSeed(long seed) {
    return new SpillwayConfig(codec, zstdLevel, assembler, publisher, ingest, stream, table, readParallelism, consumerBatchRecords, sealTimeout, sequentialJobIds, seed);
  }

  public SpillwayConfig withSequentialJobIds(boolean sequential) {
    return new SpillwayConfig(codec, zstdLevel, assembler, publisher, ingest, stream, table, readParallelism, consumerBatchRecords, sealTimeout, sequential, jitterSeed);
  }
}
