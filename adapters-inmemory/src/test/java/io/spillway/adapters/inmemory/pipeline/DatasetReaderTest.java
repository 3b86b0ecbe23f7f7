package io.spillway.adapters.inmemory.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spillway.application.port.in.DatasetReader;
import io.spillway.application.port.in.Datasets.DatasetSummary;
import io.spillway.application.port.in.IncompleteDatasetException;
import io.spillway.application.port.in.OpenJob;
import io.spillway.application.port.in.ReadPosition;
import io.spillway.application.port.out.Chunks;
import io.spillway.application.port.out.PutOutcome;
import io.spillway.application.service.DatasetService;
import io.spillway.application.service.IngestSettings;
import io.spillway.domain.chunk.Chunk;
import io.spillway.domain.chunk.ChunkId;
import io.spillway.domain.event.Event;
import io.spillway.domain.job.JobClass;
import io.spillway.domain.job.JobId;
import io.spillway.domain.manifest.Manifest;
import io.spillway.domain.testing.DomainArbitraries;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The pull reader: the push reader's events at the caller's pace, a bounded read-ahead, an early close, a resume. */
class DatasetReaderTest {
  static final JobId JOB = new JobId("pulled");
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  /**
   * Opens, fills and stores a job: {@code events} events spread over {@code groups} groups, of
   * incompressible payloads of {@code payloadBytes} (about 400 KB / payloadBytes events a chunk).
   */
  static void produce(Harness h, JobId job, int buckets, int groups, int events, int payloadBytes) {
    h.intake.open(new OpenJob(Optional.of(job), "pulled", JobClass.STANDARD, buckets));
    for (int i = 0; i < events; i++) {
      h.intake.append(job, new Event(job, i, "e-" + i, T0.plusMillis(i), "t", "g" + (i % groups), 1,
          DomainArbitraries.randomBytes(i, payloadBytes)));
    }
    h.intake.seal(job);
    h.newConsumer(IngestSettings.defaults()).ingest(h.allRecords());
  }

  static List<Event> pushed(Harness h, JobId job, Optional<String> group) {
    List<Event> out = new ArrayList<>();
    h.datasets.read(job, group, out::add);
    return out;
  }

  static List<Event> drain(DatasetReader reader) {
    List<Event> out = new ArrayList<>();
    while (reader.hasNext()) {
      out.add(reader.next());
    }
    return out;
  }

  static List<Event> bySequence(List<Event> events) {
    return events.stream().sorted(Comparator.comparingLong(Event::sequence)).toList();
  }

  /** A store that counts the chunks its reads hand out and the read streams still open. */
  static class CountingChunks implements Chunks {
    final Chunks inner;
    final AtomicInteger handedOut = new AtomicInteger();
    final AtomicInteger openStreams = new AtomicInteger();

    CountingChunks(Chunks inner) {
      this.inner = inner;
    }

    @Override
    public PutOutcome putIfAbsent(Chunk chunk) {
      return inner.putIfAbsent(chunk);
    }

    @Override
    public Stream<Chunk> read(JobId job, int bucket, Optional<String> group) {
      return counted(inner.read(job, bucket, group));
    }

    @Override
    public Stream<Chunk> readAfter(JobId job, int bucket, Optional<String> group, ChunkId after) {
      return counted(inner.readAfter(job, bucket, group, after));
    }

    private Stream<Chunk> counted(Stream<Chunk> s) {
      openStreams.incrementAndGet();
      return s.peek(c -> handedOut.incrementAndGet()).onClose(openStreams::decrementAndGet);
    }

    @Override
    public long count(JobId job, int bucket) {
      return inner.count(job, bucket);
    }

    @Override
    public long deleteAll(JobId job, int bucket) {
      return inner.deleteAll(job, bucket);
    }

    @Override
    public java.util.stream.Stream<io.spillway.domain.chunk.ChunkId> storedIds(JobId job, int bucket) {
      return inner.storedIds(job, bucket);
    }

    @Override
    public Stream<io.spillway.application.port.out.StoredItem> items(JobId job, int bucket) {
      return inner.items(job, bucket);
    }
  }

  /** Waits for a condition other threads make true, failing after ten seconds (a wait, not a sleep: it returns as soon as it holds). */
  static void await(String what, BooleanSupplier condition) {
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting until " + what);
      }
      Thread.onSpinWait();
    }
  }

  @Test
  void thePullReaderDeliversExactlyTheEventsOfThePushReaderAndIsVerifiedAtItsEnd() {
    try (Harness h = Harness.unbounded()) {
      produce(h, JOB, 3, 4, 1_500, 5_000);
      List<Event> pushed = pushed(h, JOB, Optional.empty());

      List<Event> pulled;
      DatasetSummary summary;
      try (DatasetReader reader = h.datasets.open(JOB, Optional.empty())) {
        pulled = drain(reader);
        summary = reader.summary();
      }

      Manifest manifest = h.jobs.manifest(JOB).orElseThrow();
      assertThat(manifest.chunkCount()).as("several chunks per bucket").isGreaterThan(3L * manifest.buckets());
      assertThat(pulled).hasSize(1_500);
      assertThat(bySequence(pulled)).isEqualTo(bySequence(pushed));
      assertThat(summary).isEqualTo(new DatasetSummary(JOB, Optional.empty(), manifest.chunkCount(), 1_500, true));
    }
  }

  @Test
  void aGroupIsPulledAsItIsPushed() {
    try (Harness h = Harness.unbounded()) {
      produce(h, JOB, 3, 2, 1_000, 5_000);
      List<Event> pushed = pushed(h, JOB, Optional.of("g1"));

      List<Event> pulled;
      try (DatasetReader reader = h.datasets.open(JOB, Optional.of("g1")); Stream<Event> stream = reader.stream()) {
        pulled = stream.toList();
      }

      assertThat(pulled).hasSize(500).allSatisfy(e -> assertThat(e.groupKey()).isEqualTo("g1"));
      assertThat(bySequence(pulled)).isEqualTo(bySequence(pushed));
    }
  }

  @Test
  void aSlowCallerHoldsNoMoreThanTheReadAheadInChunksFetchedAndNotDelivered() {
    try (Harness h = Harness.unbounded()) {
      produce(h, JOB, 4, 4, 2_000, 5_000);
      long total = h.jobs.manifest(JOB).orElseThrow().chunkCount();
      CountingChunks store = new CountingChunks(h.chunks);
      int readAhead = 3;
      try (DatasetService service = new DatasetService(h.jobs, store, h.codecs, 2, readAhead);
          DatasetReader reader = service.open(JOB, Optional.empty())) {
        assertThat(total).as("far more chunks than the read-ahead").isGreaterThan(4L * readAhead);
        int mostAhead = 0;
        long events = 0;
        while (reader.hasNext()) {
          reader.next();
          events++;
          long done = reader.position().tally().chunks();
          long expectAhead = Math.min(readAhead, total - done);
          // the caller pauses here: the fetch tasks run ahead until the read-ahead is full, and stop
          await("the read-ahead fills", () -> store.handedOut.get() - reader.position().tally().chunks() >= expectAhead);
          int ahead = (int) (store.handedOut.get() - done);
          assertThat(ahead).as("chunks fetched, not delivered, after %d events", events).isLessThanOrEqualTo(readAhead);
          mostAhead = Math.max(mostAhead, ahead);
        }
        assertThat(mostAhead).isEqualTo(readAhead);
        assertThat(store.handedOut.get()).as("each chunk fetched once").isEqualTo(total);
        assertThat(reader.summary().verifiedAgainstManifest()).isTrue();
      }
    }
  }

  @Test
  void closingEarlyStopsTheFetchTasksAndClosesTheStoreReads() {
    try (Harness h = Harness.unbounded()) {
      produce(h, JOB, 4, 4, 2_000, 5_000);
      long total = h.jobs.manifest(JOB).orElseThrow().chunkCount();
      CountingChunks store = new CountingChunks(h.chunks);
      try (DatasetService service = new DatasetService(h.jobs, store, h.codecs, 2, 2)) {
        DatasetReader reader = service.open(JOB, Optional.empty());
        for (int i = 0; i < 10; i++) {
          reader.next();
        }
        await("every bucket's fetch task has started", () -> store.openStreams.get() == 4);
        assertThat(service.busyFetchers()).isEqualTo(4);

        reader.close();

        assertThat(service.busyFetchers()).as("fetch tasks running after close").isZero();
        assertThat(store.openStreams.get()).as("store reads left open").isZero();
        assertThat(store.handedOut.get()).as("chunks fetched of %d", total).isLessThan((int) total);
        assertThat(reader.hasNext()).isFalse();
        assertThat(reader.summary().verifiedAgainstManifest()).isFalse();
      }
    }
  }

  @Test
  void aReadResumedFromAPositionDeliversExactlyTheRest() {
    try (Harness h = Harness.unbounded()) {
      produce(h, JOB, 3, 4, 1_500, 5_000);
      List<Event> all = bySequence(pushed(h, JOB, Optional.empty()));
      for (int stopAfter : new int[] {0, 1, 79, 80, 81, 700, 1_499, 1_500}) {
        List<Event> seen = new ArrayList<>();
        ReadPosition position;
        try (DatasetReader first = h.datasets.open(JOB, Optional.empty())) {
          for (int i = 0; i < stopAfter; i++) {
            seen.add(first.next());
          }
          position = first.position();
        }
        DatasetSummary summary;
        try (DatasetReader rest = h.datasets.open(position)) {
          seen.addAll(drain(rest));
          summary = rest.summary();
        }
        assertThat(bySequence(seen)).as("stopped after %d", stopAfter).isEqualTo(all);
        assertThat(summary.events()).isEqualTo(1_500);
        assertThat(summary.verifiedAgainstManifest()).as("whole read, resumed after %d", stopAfter).isTrue();
      }
    }
  }

  @Test
  void aResumedReadOnlyFetchesTheChunksAfterItsPosition() {
    try (Harness h = Harness.unbounded()) {
      produce(h, JOB, 3, 4, 1_500, 5_000);
      long total = h.jobs.manifest(JOB).orElseThrow().chunkCount();
      ReadPosition position;
      try (DatasetReader first = h.datasets.open(JOB, Optional.empty())) {
        for (int i = 0; i < 900; i++) {
          first.next();
        }
        position = first.position();
      }
      CountingChunks store = new CountingChunks(h.chunks);
      try (DatasetService service = new DatasetService(h.jobs, store, h.codecs, 2); DatasetReader rest = service.open(position)) {
        drain(rest);
      }
      assertThat(store.handedOut.get()).isEqualTo(total - position.tally().chunks());
      assertThat(position.tally().chunks() + position.partials().size()).isLessThan(total);
    }
  }

  @Test
  void aResumedReadStoppedInsideAnotherBucketsChunkKeepsBothPartialChunks() throws Exception {
    try (Harness h = Harness.unbounded()) {
      produce(h, JOB, 2, 4, 1_000, 5_000);
      List<Event> all = bySequence(pushed(h, JOB, Optional.empty()));
      List<Event> seen = new ArrayList<>();
      ReadPosition first;
      try (DatasetReader reader = h.datasets.open(JOB, Optional.empty())) {
        seen.add(reader.next());
        first = reader.position();
      }
      int stoppedIn = first.partials().keySet().iterator().next();
      // the bucket stopped in answers only when the test lets it: the resumed read must begin in the other
      java.util.concurrent.CountDownLatch gate = new java.util.concurrent.CountDownLatch(1);
      Chunks gated = new CountingChunks(h.chunks) {
        @Override
        public Stream<Chunk> readAfter(JobId job, int bucket, Optional<String> group, ChunkId after) {
          return held(bucket, () -> super.readAfter(job, bucket, group, after));
        }

        @Override
        public Stream<Chunk> read(JobId job, int bucket, Optional<String> group) {
          return held(bucket, () -> super.read(job, bucket, group));
        }

        private Stream<Chunk> held(int bucket, java.util.function.Supplier<Stream<Chunk>> read) {
          if (bucket == stoppedIn) {
            try {
              gate.await();
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
              throw new IllegalStateException("closed while held", e);
            }
          }
          return read.get();
        }
      };
      ReadPosition second;
      try (DatasetService service = new DatasetService(h.jobs, gated, h.codecs, 2); DatasetReader reader = service.open(first)) {
        seen.add(reader.next());
        second = reader.position();
      } finally {
        gate.countDown();
      }

      assertThat(second.partials()).containsOnlyKeys(0, 1);
      assertThat(second.partials().get(stoppedIn)).isEqualTo(first.partials().get(stoppedIn));
      try (DatasetReader rest = h.datasets.open(second)) {
        seen.addAll(drain(rest));
        assertThat(rest.summary().verifiedAgainstManifest()).isTrue();
      }
      assertThat(bySequence(seen)).isEqualTo(all);
    }
  }

  @Test
  void aPositionInsideAChunkThatIsNotStoredFailsTheResumedRead() {
    try (Harness h = Harness.unbounded()) {
      produce(h, JOB, 3, 4, 1_500, 5_000);
      ChunkId ghost = new ChunkId(JOB, 1, "g0", 9_999);
      ReadPosition made = new ReadPosition(JOB, Optional.empty(), Map.of(), Map.of(1, new ReadPosition.Partial(ghost, 3)), ReadPosition.Tally.NONE);

      try (DatasetReader reader = h.datasets.open(made)) {
        assertThatThrownBy(() -> drain(reader)).isInstanceOf(IncompleteDatasetException.class).hasMessageContaining(ghost.toString());
      }
    }
  }

  @Test
  void aPositionOfAnotherJobOrGroupIsRefused() {
    ChunkId chunk = new ChunkId(JOB, 0, "g0", 0);
    assertThatThrownBy(() -> new ReadPosition(new JobId("other"), Optional.empty(), Map.of(0, chunk), Map.of(), ReadPosition.Tally.NONE))
        .hasMessageContaining("a chunk of job other");
    assertThatThrownBy(() -> new ReadPosition(JOB, Optional.of("g1"), Map.of(0, chunk), Map.of(), ReadPosition.Tally.NONE))
        .hasMessageContaining("group g1");
    assertThatThrownBy(() -> new ReadPosition(JOB, Optional.empty(), Map.of(1, chunk), Map.of(), ReadPosition.Tally.NONE))
        .hasMessageContaining("each chunk under its own bucket");
    assertThatThrownBy(() -> new ReadPosition(JOB, Optional.empty(), Map.of(0, chunk), Map.of(0, new ReadPosition.Partial(chunk, 1)), ReadPosition.Tally.NONE))
        .hasMessageContaining("after");
  }

  @Test
  void aTokenThatNoPositionWroteIsRefused() {
    ReadPosition position = new ReadPosition(JOB, Optional.of("g0"), Map.of(2, new ChunkId(JOB, 2, "g0", 6)),
        Map.of(3, new ReadPosition.Partial(new ChunkId(JOB, 3, "g0", 7), 5)), new ReadPosition.Tally(3, 240, 0x5EED, 0, 6));
    String token = position.token();
    assertThat(ReadPosition.fromToken(token)).isEqualTo(position);

    assertThatThrownBy(() -> ReadPosition.fromToken("not a token!")).hasMessageContaining("position.token");
    assertThatThrownBy(() -> ReadPosition.fromToken(token.substring(0, token.length() - 4))).hasMessageContaining("position.token");
    assertThatThrownBy(() -> ReadPosition.fromToken(token + "AAAA")).hasMessageContaining("nothing after");
    String otherVersion = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(new byte[] {3});
    assertThatThrownBy(() -> ReadPosition.fromToken(otherVersion)).hasMessageContaining("version 3");
  }

  @Test
  void aTokenOfAPartitionedReadCarriesItsPartitionsAndAVersionOneTokenIsStillRead() {
    ReadPosition position = new ReadPosition(JOB, Optional.of("g0"), java.util.OptionalInt.empty(),
        Map.of(2, new ChunkId(JOB, 4, 2, "g0", 6)), Map.of(3, new ReadPosition.Partial(new ChunkId(JOB, 1, 3, "g0", 7), 5)),
        new ReadPosition.Tally(3, 240, 0x5EED, 0, 1, Map.of(4, 6L)));
    assertThat(ReadPosition.fromToken(position.token())).isEqualTo(position);
    ReadPosition onePartition = new ReadPosition(JOB, Optional.empty(), java.util.OptionalInt.of(4),
        Map.of(2, new ChunkId(JOB, 4, 2, "g0", 6)), Map.of(), new ReadPosition.Tally(1, 80, 0x5EED, -1, -1, Map.of(4, 6L)));
    assertThat(ReadPosition.fromToken(onePartition.token())).isEqualTo(onePartition);
    assertThatThrownBy(() -> new ReadPosition(JOB, Optional.empty(), java.util.OptionalInt.of(3), Map.of(2, new ChunkId(JOB, 4, 2, "g0", 6)), Map.of(), ReadPosition.Tally.NONE))
        .hasMessageContaining("partition 3");

    // a version 1 token, as the reader before partitions wrote it: job, group, tally, one delivered chunk, no partial
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
    try (java.io.DataOutputStream out = new java.io.DataOutputStream(bytes)) {
      out.writeByte(1);
      out.writeUTF(JOB.value());
      out.writeBoolean(false);
      out.writeUTF("");
      for (long v : new long[] {1, 80, 0x5EED, 6, 6}) {
        out.writeLong(v);
      }
      out.writeInt(1);
      out.writeInt(2);
      out.writeUTF("g0");
      out.writeLong(6);
      out.writeInt(0);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    ReadPosition v1 = ReadPosition.fromToken(java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(bytes.toByteArray()));
    assertThat(v1).isEqualTo(new ReadPosition(JOB, Optional.empty(), Map.of(2, new ChunkId(JOB, 2, "g0", 6)), Map.of(), new ReadPosition.Tally(1, 80, 0x5EED, 6, 6)));
  }
}
