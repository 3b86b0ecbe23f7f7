package io.spillway.adapters.inmemory.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spillway.adapters.inmemory.InMemoryChunks;
import io.spillway.adapters.inmemory.InMemoryDeadLetters;
import io.spillway.adapters.inmemory.InMemoryJobs;
import io.spillway.adapters.inmemory.ManualClock;
import io.spillway.adapters.inmemory.SequentialJobIds;
import io.spillway.adapters.inmemory.TableCapacity;
import io.spillway.application.codec.Codecs;
import io.spillway.application.port.in.BackpressureException;
import io.spillway.application.port.in.IngestResult;
import io.spillway.application.port.in.OpenJob;
import io.spillway.application.port.in.StreamRecord;
import io.spillway.application.port.out.ChunkStream;
import io.spillway.application.port.out.PublishOutcome;
import io.spillway.application.service.AvailabilityCheck;
import io.spillway.application.service.ChunkPublisher;
import io.spillway.application.service.IngestService;
import io.spillway.application.service.IngestSettings;
import io.spillway.application.service.IntakeService;
import io.spillway.application.service.PublisherSettings;
import io.spillway.application.service.WriteRateGovernor;
import io.spillway.domain.InvalidFieldException;
import io.spillway.domain.chunk.Chunk;
import io.spillway.domain.chunk.ChunkAssembler;
import io.spillway.domain.chunk.StoredItemLayout;
import io.spillway.domain.event.Event;
import io.spillway.domain.job.JobClass;
import io.spillway.domain.job.JobId;
import io.spillway.domain.job.JobStatus;
import io.spillway.domain.manifest.Manifest;
import io.spillway.domain.testing.DomainArbitraries;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;

/** Races and poison records a review found; each test failed before its fix. */
class ReviewRegressionTest {
  private static final JobId JOB = new JobId("review");

  private static Event event(long seq, int bytes) {
    return new Event(JOB, seq, "e-" + seq, Instant.parse("2026-01-01T00:00:00Z").plusMillis(seq), "t", "g", 1,
        DomainArbitraries.randomBytes(seq, bytes));
  }

  /** A stream whose first publish blocks until released, so a seal can be held inside its drain. */
  private static final class GatedStream implements ChunkStream {
    final CountDownLatch entered = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);

    @Override
    public List<PublishOutcome> publish(List<Chunk> chunks) {
      entered.countDown();
      try {
        release.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      List<PublishOutcome> out = new ArrayList<>();
      for (int i = 0; i < chunks.size(); i++) out.add(new PublishOutcome.Accepted("s", String.valueOf(i)));
      return out;
    }
  }

  private static void awaitBlocked(Thread t) {
    while (t.getState() != Thread.State.BLOCKED && t.getState() != Thread.State.WAITING) {
      Thread.onSpinWait();
    }
  }

  @Test
  void anAppendOrASealWaitingOnASealInProgressIsRefusedOrAnsweredWithTheManifest() throws Exception {
    ManualClock clock = ManualClock.atEpochDay();
    InMemoryJobs jobs = new InMemoryJobs();
    InMemoryChunks chunks = new InMemoryChunks(new TableCapacity(TableCapacity.Settings.unlimited(), clock.now()), clock);
    GatedStream stream = new GatedStream();
    IntakeService intake = new IntakeService(jobs, new SequentialJobIds(), clock, new ChunkPublisher(stream, clock, PublisherSettings.defaults()),
        Codecs.standard().writer(), ChunkAssembler.Settings.defaults(), new AvailabilityCheck(jobs, chunks, clock), Duration.ofMinutes(1));
    intake.open(new OpenJob(Optional.of(JOB), "race", JobClass.STANDARD, 1));
    for (int i = 0; i < 100; i++) intake.append(JOB, event(i, 100));

    ExecutorService pool = Executors.newFixedThreadPool(3);
    try {
      Future<Manifest> firstSeal = pool.submit(() -> intake.seal(JOB));
      stream.entered.await();
      List<Thread> waiting = new ArrayList<>();
      CompletableFuture<Thread> appenderThread = new CompletableFuture<>();
      CompletableFuture<Thread> sealerThread = new CompletableFuture<>();
      Future<?> lateAppend = pool.submit(() -> {
        appenderThread.complete(Thread.currentThread());
        return intake.appendAll(JOB, List.of(event(100, 100)));
      });
      Future<Manifest> secondSeal = pool.submit(() -> {
        sealerThread.complete(Thread.currentThread());
        return intake.seal(JOB);
      });
      waiting.add(appenderThread.get());
      waiting.add(sealerThread.get());
      waiting.forEach(ReviewRegressionTest::awaitBlocked);
      stream.release.countDown();

      Manifest manifest = firstSeal.get();
      assertThat(manifest.eventCount()).isEqualTo(100);
      assertThat(secondSeal.get()).isEqualTo(manifest);
      assertThatThrownBy(lateAppend::get).hasCauseInstanceOf(InvalidFieldException.class).hasMessageContaining("sealed");
      assertThat(jobs.find(JOB).orElseThrow().status()).isEqualTo(JobStatus.SEALED);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void concurrentAppendersNeverPushTheBufferPastItsBound() throws Exception {
    ManualClock clock = ManualClock.atEpochDay();
    long bound = 4L * StoredItemLayout.ITEM_LIMIT_BYTES;
    ChunkStream refusing = batch -> batch.stream().<PublishOutcome>map(c -> new PublishOutcome.Throttled("always")).toList();
    ChunkPublisher publisher = new ChunkPublisher(refusing, clock,
        PublisherSettings.defaults().withMaxBufferedBytes(bound).withBackpressure(PublisherSettings.Backpressure.FAIL_FAST, Duration.ZERO));
    InMemoryJobs jobs = new InMemoryJobs();
    InMemoryChunks chunks = new InMemoryChunks(new TableCapacity(TableCapacity.Settings.unlimited(), clock.now()), clock);
    IntakeService intake = new IntakeService(jobs, new SequentialJobIds(), clock, publisher, Codecs.standard().writer(),
        ChunkAssembler.Settings.defaults(), new AvailabilityCheck(jobs, chunks, clock), Duration.ofMinutes(1));
    int threads = 16;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    CountDownLatch start = new CountDownLatch(1);
    List<Future<?>> done = new ArrayList<>();
    try {
      for (int t = 0; t < threads; t++) {
        JobId job = new JobId("j" + t);
        intake.open(new OpenJob(Optional.of(job), "j", JobClass.STANDARD, 1));
        done.add(pool.submit(() -> {
          start.await();
          for (int i = 0; ; i++) {
            try {
              // incompressible 300 KB events: every second append completes a chunk
              intake.append(job, new Event(job, i, "e" + i, Instant.EPOCH, "t", "g", 1, DomainArbitraries.randomBytes(i, 300_000)));
            } catch (BackpressureException full) {
              return null;
            }
          }
        }));
      }
      start.countDown();
      for (Future<?> f : done) f.get();
    } finally {
      pool.shutdownNow();
    }
    assertThat(publisher.stats().maxBufferedBytes()).isLessThanOrEqualTo(bound);
    assertThat(publisher.bufferedBytes()).isPositive();
  }

  @Test
  void aRecordThatVerifiesButCannotBeStoredIsDeadLetteredAndTheShardMovesOn() {
    try (Harness h = Harness.unbounded()) {
      h.intake.open(new OpenJob(Optional.of(JOB), "poison", JobClass.STANDARD, 1));
      h.intake.appendAll(JOB, List.of(event(0, 1_000), event(1, 1_000)));
      h.intake.seal(JOB);
      List<StreamRecord> good = h.allRecords();
      StreamRecord first = good.get(0);
      byte[] oversized = uncompressedRecord(new JobId("other"), List.of(300_000, 300_000));
      List<StreamRecord> batch = List.of(
          new StreamRecord(first.shardId(), "1", first.arrivedAt(), oversized), new StreamRecord(first.shardId(), "2", first.arrivedAt(), first.data()));

      IngestResult result = h.newConsumer(IngestSettings.defaults()).ingest(batch);

      assertThat(result.complete()).isTrue();
      assertThat(result.checkpoint()).contains("2");
      assertThat(h.deadLetters.list(5)).singleElement().satisfies(d -> {
        assertThat(d.reason()).isEqualTo("ITEM_TOO_LARGE");
        assertThat(d.detail()).contains("409600");
      });
      assertThat(h.jobs.find(JOB).orElseThrow().status()).isEqualTo(JobStatus.AVAILABLE);
    }
  }

  @Test
  void aRecordThisProcessCannotDecodeStopsTheBatchInsteadOfBeingDeadLettered() {
    ManualClock clock = ManualClock.atEpochDay();
    InMemoryJobs jobs = new InMemoryJobs();
    jobs.create(io.spillway.domain.job.Job.submitted(JOB, "decode", JobClass.STANDARD, 1, clock.now()));
    InMemoryChunks chunks = new InMemoryChunks(new TableCapacity(TableCapacity.Settings.unlimited(), clock.now()), clock);
    InMemoryDeadLetters letters = new InMemoryDeadLetters();
    Codecs all = Codecs.standard();
    io.spillway.domain.chunk.CodecRegistry withoutZstd = id -> {
      if (id == io.spillway.domain.chunk.CodecId.ZSTD) throw new IllegalStateException("no ZSTD codec is installed in this process");
      return all.codec(id);
    };
    IngestService consumer = new IngestService(chunks, letters, new AvailabilityCheck(jobs, chunks, clock), new WriteRateGovernor(clock, 1e9),
        withoutZstd, clock, IngestSettings.defaults());
    ChunkAssembler assembler = new ChunkAssembler(JOB, 1, all.writer(), ChunkAssembler.Settings.defaults());
    for (int i = 0; i < 200; i++) assembler.add(jsonEvent(i), clock.now());
    Chunk zstdChunk = assembler.flushAll().get(0);
    byte[] plain = uncompressedRecord(JOB, List.of(10));

    IngestResult result = consumer.ingest(List.of(
        new StreamRecord("s", "1", clock.now(), plain), new StreamRecord("s", "2", clock.now(), zstdChunk.record())));

    assertThat(zstdChunk.header().codec()).isEqualTo(io.spillway.domain.chunk.CodecId.ZSTD);
    assertThat(result.checkpoint()).contains("1");
    assertThat(result.remaining()).isEqualTo(1);
    assertThat(letters.count()).isZero();
  }

  private static Event jsonEvent(long seq) {
    return new Event(JOB, seq, "e-" + seq, Instant.EPOCH.plusMillis(seq), "t", "g", 1,
        ("{\"entity\":\"ent-" + (seq % 7) + "\",\"value\":" + seq + "}").getBytes(StandardCharsets.UTF_8));
  }

  /**
   * A valid, uncompressed chunk record (format v1, written byte by byte as docs/chunk-format.md
   * describes) holding one event per payload size, in group "g", bucket 0, chunk 0.
   */
  static byte[] uncompressedRecord(JobId job, List<Integer> payloadSizes) {
    ByteArrayOutputStream env = new ByteArrayOutputStream();
    int n = payloadSizes.size();
    varint(env, n);
    for (int i = 0; i < n; i++) varint(env, i == 0 ? 0 : 2); // sequences 0, 1, … as zigzag deltas
    for (int i = 0; i < n; i++) varint(env, 0); // every event at epoch millisecond 0
    for (int i = 0; i < n; i++) varint(env, 0); // no sub-millisecond nanos
    for (int i = 0; i < n; i++) varint(env, 1); // schema version 1
    varint(env, 1);
    string(env, "t");
    for (int i = 0; i < n; i++) varint(env, 0);
    for (int i = 0; i < n; i++) {
      env.write(1);
      string(env, "id-" + i);
    }
    for (int size : payloadSizes) varint(env, size);
    for (int size : payloadSizes) env.writeBytes(new byte[size]);
    byte[] raw = env.toByteArray();

    ByteArrayOutputStream body = new ByteArrayOutputStream();
    string(body, job.value());
    varint(body, 0);
    string(body, "g");
    varint(body, 0);
    varint(body, n);
    varint(body, 0);
    varint(body, n - 1);
    varint(body, raw.length);
    varint(body, raw.length);
    body.writeBytes(raw);
    byte[] rest = body.toByteArray();
    CRC32C crc = new CRC32C();
    crc.update(rest);
    int c = (int) crc.getValue();
    ByteArrayOutputStream record = new ByteArrayOutputStream();
    record.writeBytes(new byte[] {'S', 'P', 'W', 'C', 1, 0, (byte) (c >>> 24), (byte) (c >>> 16), (byte) (c >>> 8), (byte) c});
    record.writeBytes(rest);
    return record.toByteArray();
  }

  private static void varint(ByteArrayOutputStream out, long v) {
    while ((v & ~0x7FL) != 0) {
      out.write((int) ((v & 0x7F) | 0x80));
      v >>>= 7;
    }
    out.write((int) v);
  }

  private static void string(ByteArrayOutputStream out, String s) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    varint(out, b.length);
    out.writeBytes(b);
  }
}
