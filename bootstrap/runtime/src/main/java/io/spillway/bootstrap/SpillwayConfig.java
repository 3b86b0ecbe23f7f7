package io.spillway.bootstrap;

import io.spillway.adapters.inmemory.StreamLimits;
import io.spillway.adapters.inmemory.TableCapacity;
import io.spillway.application.service.BacklogMonitorSettings;
import io.spillway.application.service.IngestSettings;
import io.spillway.application.service.IntakeSettings;
import io.spillway.application.service.PublisherSettings;
import io.spillway.domain.InvalidFieldException;
import io.spillway.domain.chunk.ChunkAssembler;
import io.spillway.domain.chunk.CodecId;
import java.time.Duration;
import java.util.Optional;

/**
 * Everything a Spillway process is configured with, whatever its environment, in one immutable
 * value (built in code, read from a properties file by {@link SpillwaySettings}, or mapped from
 * the command line's options). Where the stream and the table are on AWS is {@link
 * io.spillway.bootstrap.aws.AwsSettings}'s part.
 *
 * @param stream the in-memory stream's limits (shards, retention); on AWS the real stream's
 * @param table the in-memory table's capacity model; on AWS the real table's
 * @param availabilitySweep how often a consumer looks at the SEALED jobs (a count standing still
 *     for two sweeps is recounted in the table)
 * @param maxRecountInterval the longest wait between two recounts of one stalled job
 * @param memoryAnnouncements on the in-memory backend, record the announcements of settled jobs
 *     (see {@link io.spillway.bootstrap.wiring.InMemorySpillway#announcements()}); otherwise none
 *     are made. On AWS, {@link io.spillway.bootstrap.aws.AwsSettings#eventBus()} decides.
 * @param spill where the producer spills chunks once its memory bound is reached (none by default:
 *     a full buffer pushes back on the job)
 * @param intake the producer process's bound on bytes assembled but not yet published, across all
 *     its open jobs (docs/producer-memory.md)
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
    long jitterSeed,
    Duration availabilitySweep,
    Duration maxRecountInterval,
    BacklogMonitorSettings backlog,
    boolean memoryAnnouncements,
    Optional<SpillSettings> spill,
    IntakeSettings intake) {

  public SpillwayConfig {
    if (readParallelism < 1 || readParallelism > 256) {
      throw new InvalidFieldException("readParallelism", readParallelism, "1..256");
    }
    if (consumerBatchRecords < 1 || consumerBatchRecords > 10_000) {
      throw new InvalidFieldException("consumerBatchRecords", consumerBatchRecords, "1..10000 (Kinesis' GetRecords limit)");
    }
    positive("sealTimeout", sealTimeout);
    positive("availabilitySweep", availabilitySweep);
    positive("maxRecountInterval", maxRecountInterval);
    java.util.Objects.requireNonNull(backlog, "backlog");
    java.util.Objects.requireNonNull(spill, "spill");
    java.util.Objects.requireNonNull(intake, "intake");
  }

  /** Kinesis and DynamoDB limits as documented, 4 shards, 10,000 provisioned write units. */
  public static SpillwayConfig defaults() {
    return new SpillwayConfig(CodecId.ZSTD, 3, ChunkAssembler.Settings.defaults(), PublisherSettings.defaults(),
        IngestSettings.defaults(), StreamLimits.kinesis(4), TableCapacity.Settings.provisioned(10_000),
        4, 10_000, Duration.ofMinutes(5), false, 0x5B111_11AL, Duration.ofSeconds(30), Duration.ofHours(1), BacklogMonitorSettings.defaults(), false, Optional.empty(),
        IntakeSettings.defaults());
  }

  public SpillwayConfig withStream(StreamLimits s) {
    return new SpillwayConfig(codec, zstdLevel, assembler, publisher, ingest, s, table, readParallelism, consumerBatchRecords, sealTimeout,
        sequentialJobIds, jitterSeed, availabilitySweep, maxRecountInterval, backlog, memoryAnnouncements, spill, intake);
  }

  public SpillwayConfig withTable(TableCapacity.Settings t) {
    return new SpillwayConfig(codec, zstdLevel, assembler, publisher, ingest, stream, t, readParallelism, consumerBatchRecords, sealTimeout,
        sequentialJobIds, jitterSeed, availabilitySweep, maxRecountInterval, backlog, memoryAnnouncements, spill, intake);
  }

  public SpillwayConfig withIngest(IngestSettings i) {
    return new SpillwayConfig(codec, zstdLevel, assembler, publisher, i, stream, table, readParallelism, consumerBatchRecords, sealTimeout,
        sequentialJobIds, jitterSeed, availabilitySweep, maxRecountInterval, backlog, memoryAnnouncements, spill, intake);
  }

  public SpillwayConfig withPublisher(PublisherSettings p) {
    return new SpillwayConfig(codec, zstdLevel, assembler, p, ingest, stream, table, readParallelism, consumerBatchRecords, sealTimeout,
        sequentialJobIds, jitterSeed, availabilitySweep, maxRecountInterval, backlog, memoryAnnouncements, spill, intake);
  }

  public SpillwayConfig withAssembler(ChunkAssembler.Settings a) {
    return new SpillwayConfig(codec, zstdLevel, a, publisher, ingest, stream, table, readParallelism, consumerBatchRecords, sealTimeout,
        sequentialJobIds, jitterSeed, availabilitySweep, maxRecountInterval, backlog, memoryAnnouncements, spill, intake);
  }

  public SpillwayConfig withCodec(CodecId c, int level) {
    return new SpillwayConfig(c, level, assembler, publisher, ingest, stream, table, readParallelism, consumerBatchRecords, sealTimeout,
        sequentialJobIds, jitterSeed, availabilitySweep, maxRecountInterval, backlog, memoryAnnouncements, spill, intake);
  }

  public SpillwayConfig withReadParallelism(int threads) {
    return new SpillwayConfig(codec, zstdLevel, assembler, publisher, ingest, stream, table, threads, consumerBatchRecords, sealTimeout,
        sequentialJobIds, jitterSeed, availabilitySweep, maxRecountInterval, backlog, memoryAnnouncements, spill, intake);
  }

  /** How many records a consumer asks the stream for at a time. */
  public SpillwayConfig withConsumerBatchRecords(int records) {
    return new SpillwayConfig(codec, zstdLevel, assembler, publisher, ingest, stream, table, readParallelism, records, sealTimeout,
        sequentialJobIds, jitterSeed, availabilitySweep, maxRecountInterval, backlog, memoryAnnouncements, spill, intake);
  }

  public SpillwayConfig withSealTimeout(Duration timeout) {
    return new SpillwayConfig(codec, zstdLevel, assembler, publisher, ingest, stream, table, readParallelism, consumerBatchRecords, timeout,
        sequentialJobIds, jitterSeed, availabilitySweep, maxRecountInterval, backlog, memoryAnnouncements, spill, intake);
  }

  public SpillwayConfig withJitterSeed(long seed) {
    return new SpillwayConfig(codec, zstdLevel, assembler, publisher, ingest, stream, table, readParallelism, consumerBatchRecords, sealTimeout,
        sequentialJobIds, seed, availabilitySweep, maxRecountInterval, backlog, memoryAnnouncements, spill, intake);
  }

  public SpillwayConfig withSequentialJobIds(boolean sequential) {
    return new SpillwayConfig(codec, zstdLevel, assembler, publisher, ingest, stream, table, readParallelism, consumerBatchRecords, sealTimeout,
        sequential, jitterSeed, availabilitySweep, maxRecountInterval, backlog, memoryAnnouncements, spill, intake);
  }

  /** How often consumers sweep the SEALED jobs, and the longest pause between two recounts of one stalled job. */
  public SpillwayConfig withAvailabilitySweep(Duration every, Duration maxRecount) {
    return new SpillwayConfig(codec, zstdLevel, assembler, publisher, ingest, stream, table, readParallelism, consumerBatchRecords, sealTimeout,
        sequentialJobIds, jitterSeed, every, maxRecount, backlog, memoryAnnouncements, spill, intake);
  }

  /** How the consumers' retention-risk monitor measures and judges (window, policy, horizon, calm-down). */
  public SpillwayConfig withBacklog(BacklogMonitorSettings b) {
    return new SpillwayConfig(codec, zstdLevel, assembler, publisher, ingest, stream, table, readParallelism, consumerBatchRecords, sealTimeout,
        sequentialJobIds, jitterSeed, availabilitySweep, maxRecountInterval, b, memoryAnnouncements, spill, intake);
  }

  /** Whether the in-memory backend records job announcements (for tests and simulations that watch them). */
  public SpillwayConfig withMemoryAnnouncements(boolean record) {
    return new SpillwayConfig(codec, zstdLevel, assembler, publisher, ingest, stream, table, readParallelism, consumerBatchRecords, sealTimeout,
        sequentialJobIds, jitterSeed, availabilitySweep, maxRecountInterval, backlog, record, spill, intake);
  }

  /** Spill chunks the stream cannot take yet to a local directory once memory is full. */
  public SpillwayConfig withSpill(SpillSettings s) {
    return new SpillwayConfig(codec, zstdLevel, assembler, publisher, ingest, stream, table, readParallelism, consumerBatchRecords, sealTimeout,
        sequentialJobIds, jitterSeed, availabilitySweep, maxRecountInterval, backlog, memoryAnnouncements, Optional.of(s), intake);
  }

  private static void positive(String field, Duration d) {
    if (d == null || d.isZero() || d.isNegative()) {
      throw new InvalidFieldException(field, d, "a positive duration");
    }
  }

  public SpillwayConfig withIntake(IntakeSettings i) {
    return new SpillwayConfig(codec, zstdLevel, assembler, publisher, ingest, stream, table, readParallelism, consumerBatchRecords, sealTimeout,
        sequentialJobIds, jitterSeed, availabilitySweep, maxRecountInterval, backlog, memoryAnnouncements, spill, i);
  }
}
