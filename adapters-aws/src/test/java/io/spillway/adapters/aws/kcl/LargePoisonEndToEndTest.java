package io.spillway.adapters.aws.kcl;

import static org.assertj.core.api.Assertions.assertThat;

import io.spillway.adapters.aws.LocalStandIns;
import io.spillway.adapters.aws.dynamodb.DynamoDbChunks;
import io.spillway.adapters.aws.dynamodb.DynamoDbDeadLetters;
import io.spillway.adapters.aws.dynamodb.DynamoDbJobs;
import io.spillway.adapters.aws.dynamodb.SpillwayTable;
import io.spillway.application.codec.Codecs;
import io.spillway.application.port.in.OpenJob;
import io.spillway.application.port.out.ChunkStream;
import io.spillway.application.port.out.DeadLetter;
import io.spillway.application.port.out.PublishOutcome;
import io.spillway.application.service.AvailabilityCheck;
import io.spillway.application.service.ChunkPublisher;
import io.spillway.application.service.IngestService;
import io.spillway.application.service.IngestSettings;
import io.spillway.application.service.IntakeService;
import io.spillway.application.service.PublisherSettings;
import io.spillway.application.service.WriteRateGovernor;
import io.spillway.domain.chunk.Chunk;
import io.spillway.domain.chunk.ChunkAssembler;
import io.spillway.domain.chunk.CodecId;
import io.spillway.domain.chunk.RecordBytes;
import io.spillway.domain.event.Event;
import io.spillway.domain.job.JobClass;
import io.spillway.domain.job.JobId;
import io.spillway.domain.job.JobStatus;
import io.spillway.domain.testing.DomainArbitraries;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResponse;

/**
 * A poison record larger than a DynamoDB item, sent in one PutRecords between two valid chunks
 * onto one shard, through kinesis-mock, a KCL worker and DynamoDB Local: both chunks are stored,
 * the poison is dead-lettered with its reason, length and digest, and nothing is skipped.
 */
class LargePoisonEndToEndTest {

  /** The poison records a review injected with outside tools. */
  enum Poison {
    /** A well-formed, uncompressed record of 990 KB (valid CRC32C) whose payload is no event envelope. */
    FORMAT_990_KB {
      @Override
      byte[] bytes(Chunk like) {
        RecordBytes r = RecordBytes.of(like);
        r.codec = CodecId.NONE.code();
        r.chunkSequence = 998;
        r.payload = new byte[990 * 1024];
        new Random(990).nextBytes(r.payload);
        r.rawLength = r.payload.length;
        return r.build();
      }
    },
    /** A well-formed record (valid CRC32C) of ~800 KB whose zstd payload inflates far past the raw size it declares. */
    BOMB_800_KB {
      @Override
      byte[] bytes(Chunk like) {
        byte[] raw = new byte[800 * 1024];
        new Random(800).nextBytes(raw);
        RecordBytes r = RecordBytes.of(like);
        r.codec = CodecId.ZSTD.code();
        r.chunkSequence = 999;
        r.rawLength = 1_000;
        r.payload = Codecs.standard().codec(CodecId.ZSTD).compress(raw, 0, raw.length);
        return r.build();
      }
    };

    abstract byte[] bytes(Chunk like);
  }

  @ParameterizedTest
  @EnumSource(Poison.class)
  void theValidChunksAroundALargePoisonRecordAreStoredAndThePoisonIsDeadLettered(Poison poison) throws Exception {
    SpillwayTable table = LocalStandIns.freshTable();
    String stream = LocalStandIns.freshStream(1);
    var clock = LocalStandIns.wallClock();
    Codecs codecs = Codecs.standard();
    DynamoDbJobs jobs = new DynamoDbJobs(table);
    DynamoDbChunks chunks = new DynamoDbChunks(table, clock, Optional.empty());
    DynamoDbDeadLetters letters = new DynamoDbDeadLetters(table);
    List<Chunk> published = new ArrayList<>();
    ChunkStream captured = batch -> {
      published.addAll(batch);
      return batch.stream().map(c -> (PublishOutcome) new PublishOutcome.Accepted("captured", "0")).toList();
    };
    IntakeService intake = new IntakeService(jobs, () -> { throw new IllegalStateException("ids are given"); }, clock,
        new ChunkPublisher(captured, clock, PublisherSettings.defaults()), codecs.writer(), ChunkAssembler.Settings.defaults(),
        new AvailabilityCheck(jobs, chunks, clock), Duration.ofMinutes(1));
    JobId job = new JobId("poison-" + poison.name().toLowerCase());
    intake.open(new OpenJob(Optional.of(job), "poison", JobClass.STANDARD, 1));
    List<Event> events = new ArrayList<>();
    for (int i = 0; i < 2_000; i++) {
      events.add(new Event(job, i, "e-" + i, Instant.parse("2026-01-01T00:00:00Z").plusMillis(i), "t", "g" + (i % 2), 1,
          DomainArbitraries.randomBytes(i, 100)));
    }
    intake.appendAll(job, events);
    intake.seal(job);
    assertThat(published).hasSize(2);
    byte[] bad = poison.bytes(published.get(0));
    assertThat(bad.length).isGreaterThan(400 * 1024);

    List<PutRecordsRequestEntry> entries = List.of(
        entry(published.get(0).record(), published.get(0).id().streamPartitionKey()),
        entry(bad, "poison"),
        entry(published.get(1).record(), published.get(1).id().streamPartitionKey()));
    PutRecordsResponse put = LocalStandIns.kinesis().putRecords(r -> r.streamName(stream).records(entries)).get();
    assertThat(put.failedRecordCount()).isZero();
    String poisonPosition = put.records().get(1).sequenceNumber();

    IngestService ingest = new IngestService(chunks, letters, new AvailabilityCheck(jobs, chunks, clock), new WriteRateGovernor(clock, 100_000),
        codecs, clock, IngestSettings.defaults().withWriteUnitsPerSecond(100_000));
    try (KclConsumer worker = KclConsumer.start(ingest, KclConsumer.Settings.local(stream, "spillway-poison-" + stream, "worker-1"),
        LocalStandIns.kinesis(), LocalStandIns.dynamoAsync(), LocalStandIns.cloudWatch())) {
      LocalStandIns.await(Duration.ofMinutes(4), () -> jobs.find(job).orElseThrow().status() == JobStatus.AVAILABLE && letters.count() == 1);
    }

    assertThat(chunks.count(job, 0)).isEqualTo(2);
    DeadLetter letter = letters.list(10).get(0);
    assertThat(letter.position()).isEqualTo(poisonPosition);
    assertThat(letter.source()).isEqualTo(put.records().get(1).shardId());
    assertThat(letter.reason()).isEqualTo(poison == Poison.BOMB_800_KB ? "RAW_SIZE_EXCEEDED" : "MALFORMED");
    assertThat(letter.recordLength()).isEqualTo(bad.length);
    assertThat(letter.sha256()).isEqualTo(DeadLetter.sha256(bad));
    assertThat(letter.record()).isEqualTo(java.util.Arrays.copyOf(bad, DeadLetter.KEPT_BYTES));
    assertThat(ingest.stats().chunksWritten()).isEqualTo(2);
    assertThat(ingest.stats().deadLettered()).isEqualTo(1);
  }

  private static PutRecordsRequestEntry entry(byte[] data, String partitionKey) {
    return PutRecordsRequestEntry.builder().data(SdkBytes.fromByteArray(data)).partitionKey(partitionKey).build();
  }
}
