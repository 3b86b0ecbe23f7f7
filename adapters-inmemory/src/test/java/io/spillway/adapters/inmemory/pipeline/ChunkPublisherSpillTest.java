package io.spillway.adapters.inmemory.pipeline;

import static io.spillway.adapters.inmemory.pipeline.SpillScript.BOUND;
import static io.spillway.adapters.inmemory.pipeline.SpillScript.chunk;
import static io.spillway.adapters.inmemory.pipeline.SpillScript.settings;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spillway.adapters.inmemory.InMemoryChunkSpill;
import io.spillway.adapters.inmemory.ManualClock;
import io.spillway.adapters.inmemory.pipeline.SpillScript.SwitchableStream;
import io.spillway.application.port.in.BackpressureException;
import io.spillway.application.port.out.ChunkSpill;
import io.spillway.application.port.out.RandomSource;
import io.spillway.application.port.out.RetryableStoreException;
import io.spillway.application.service.ChunkPublisher;
import io.spillway.application.service.PublisherSettings;
import io.spillway.application.service.PublisherSettings.Backpressure;
import io.spillway.domain.chunk.Chunk;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The producer's buffer with a spill: a long throttle fills memory, and further chunks go to the
 * spill instead of pushing back; they leave in the order they were enqueued, whichever store holds
 * them, once the stream recovers; a full spill pushes back as a full memory did; a restarted
 * publisher publishes what the spill kept before anything new; a corrupt spilled chunk is counted
 * and never published.
 */
class ChunkPublisherSpillTest {
  private static final int CHUNK = 400_000;
  private final ManualClock clock = ManualClock.atEpochDay();
  private final SwitchableStream stream = new SwitchableStream().refuse(true);

  private ChunkPublisher publisher(ChunkSpill spill, PublisherSettings settings) {
    return new ChunkPublisher(stream, clock, settings, RandomSource.none(), Optional.of(spill));
  }

  /** As an appender does: reserve room, then enqueue the chunk cut into it. */
  private static List<Chunk> append(ChunkPublisher publisher, String appender, int from, int count) {
    List<Chunk> chunks = new ArrayList<>();
    for (int i = from; i < from + count; i++) {
      Chunk c = chunk(appender, i, CHUNK);
      publisher.reserve(CHUNK);
      publisher.enqueue(List.of(c), CHUNK);
      chunks.add(c);
    }
    return chunks;
  }

  private static List<Chunk> concat(List<Chunk> a, List<Chunk> b) {
    List<Chunk> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }

  @Test
  void aLongThrottleFillsMemoryThenChunksSpillInsteadOfPushingBackAndLeaveInOrderWhenTheStreamRecovers() {
    InMemoryChunkSpill spill = new InMemoryChunkSpill(6L * CHUNK);
    // fail-fast: any push-back would throw at once
    ChunkPublisher publisher = publisher(spill, settings(3, Backpressure.FAIL_FAST, Duration.ZERO));

    List<Chunk> all = append(publisher, "p", 0, 10);

    assertThat(publisher.buffered()).containsExactlyElementsOf(all.subList(0, 4));
    assertThat(spill.chunks()).containsExactlyElementsOf(all.subList(4, 10));
    assertThat(publisher.bufferedBytes()).isEqualTo(4L * CHUNK).isLessThanOrEqualTo(BOUND);
    assertThat(publisher.bufferedChunks()).isEqualTo(10);
    assertThat(publisher.spillStats()).isEqualTo(new ChunkPublisher.SpillStats(6, 0, 6L * CHUNK, 6L * CHUNK, 6L * CHUNK, 0, 0));
    assertThat(stream.accepted()).isEmpty();

    stream.refuse(false);
    clock.advance(Duration.ofSeconds(1));
    assertThat(publisher.publishAvailable()).isEqualTo(10);

    assertThat(stream.accepted()).containsExactlyElementsOf(all);
    assertThat(publisher.bufferedChunks()).isZero();
    assertThat(publisher.bufferedBytes()).isZero();
    assertThat(spill.entries()).isEmpty();
    assertThat(spill.sizeBytes()).isZero();
    assertThat(publisher.spillStats().spillBytes()).isZero();
    assertThat(publisher.stats().chunksPublished()).isEqualTo(10);
    assertThat(publisher.stats().eventsPublished()).isEqualTo(10);
  }

  @Test
  void whileChunksAreSpilledAnAppenderDoesNotCallTheRefusingStreamAgainBeforeTheBackoffHasPassed() {
    InMemoryChunkSpill spill = new InMemoryChunkSpill(6L * CHUNK);
    ChunkPublisher publisher = publisher(spill, settings(3, Backpressure.FAIL_FAST, Duration.ZERO));

    append(publisher, "p", 0, 8);
    // the first full batch was tried and refused; the chunks cut since waited out the backoff
    assertThat(stream.calls()).hasSize(1);

    clock.advance(Duration.ofMillis(50));
    append(publisher, "p", 8, 1);
    assertThat(stream.calls()).hasSize(2);
  }

  @Test
  void chunksLeaveInTheOrderTheyWereEnqueuedWhicheverStoreHoldsThem() {
    InMemoryChunkSpill spill = new InMemoryChunkSpill(6L * CHUNK);
    ChunkPublisher publisher = publisher(spill, settings(3, Backpressure.FAIL_FAST, Duration.ZERO));
    List<Chunk> first = append(publisher, "p", 0, 6); // 0..3 in memory, 4 and 5 spilled

    // the stream takes one call (0, 1, 2) and refuses the next: memory has room, the spill still holds 4 and 5
    stream.refuse(false).throttleWhere(c -> c.id().sequence() >= 3);
    clock.advance(Duration.ofSeconds(1));
    publisher.enqueue(List.of(), 0);
    assertThat(stream.accepted()).containsExactlyElementsOf(first.subList(0, 3));
    List<Chunk> later = append(publisher, "p", 6, 1); // memory now, behind the spilled ones in the queue

    assertThat(publisher.buffered()).containsExactly(first.get(3), later.get(0));
    assertThat(spill.chunks()).containsExactly(first.get(4), first.get(5));

    stream.throttleWhere(c -> false);
    clock.advance(Duration.ofSeconds(1));
    publisher.publishAvailable();
    assertThat(stream.accepted()).containsExactlyElementsOf(concat(first, later));
  }

  @Test
  void aFullSpillPushesBackAsAFullMemoryDidAndTheRefusedReservationTakesNoRoom() {
    InMemoryChunkSpill spill = new InMemoryChunkSpill(2L * CHUNK);
    ChunkPublisher publisher = publisher(spill, settings(500, Backpressure.FAIL_FAST, Duration.ZERO));
    List<Chunk> all = append(publisher, "p", 0, 6);
    publisher.reserve(BOUND - 4L * CHUNK);

    assertThatThrownBy(() -> publisher.reserve(1)).isInstanceOf(BackpressureException.class)
        .hasMessage("producer buffer full: 1600000 of 1638400 bytes waiting (38400 reserved), the spill full with 800000 of 800000"
            + " bytes, and the stream is refusing records (fail-fast)");

    assertThat(publisher.buffered()).containsExactlyElementsOf(all.subList(0, 4));
    assertThat(spill.chunks()).containsExactlyElementsOf(all.subList(4, 6));
    publisher.release(BOUND - 4L * CHUNK);
    publisher.reserve(BOUND - 4L * CHUNK); // the refused reservation took no room
  }

  @Test
  void aFullSpillBlocksWithBackoffUntilTheTimeoutAndKeepsEveryChunk() {
    InMemoryChunkSpill spill = new InMemoryChunkSpill(2L * CHUNK);
    ChunkPublisher publisher = publisher(spill, settings(500, Backpressure.BLOCK, Duration.ofSeconds(1)));
    List<Chunk> all = append(publisher, "p", 0, 6);
    Instant start = clock.now();

    assertThatThrownBy(() -> publisher.reserve(CHUNK)).isInstanceOf(BackpressureException.class)
        .hasMessageEndingWith("and the stream is refusing records after PT1S");

    assertThat(Duration.between(start, clock.now())).isGreaterThanOrEqualTo(Duration.ofSeconds(1));
    assertThat(stream.calls()).hasSizeGreaterThan(1).allSatisfy(call -> assertThat(call).containsExactlyElementsOf(all));
    assertThat(publisher.bufferedChunks()).isEqualTo(6);
  }

  @Test
  void aRestartedPublisherPublishesWhatTheSpillKeptBeforeAnythingNew() {
    InMemoryChunkSpill spill = new InMemoryChunkSpill(6L * CHUNK);
    ChunkPublisher before = publisher(spill, settings(500, Backpressure.FAIL_FAST, Duration.ZERO));
    List<Chunk> all = append(before, "p", 0, 7);
    // the process dies: what it held in memory (0..3) is gone with it, the spill (4..6) is not

    stream.refuse(false);
    ChunkPublisher after = publisher(spill, settings(500, Backpressure.FAIL_FAST, Duration.ZERO));
    assertThat(after.bufferedChunks()).isEqualTo(3);
    assertThat(after.spillStats().chunksRecovered()).isEqualTo(3);
    assertThat(after.spillStats().spillBytes()).isEqualTo(3L * CHUNK);
    List<Chunk> fresh = append(after, "p", 7, 1);
    after.publishAvailable();

    assertThat(stream.accepted()).containsExactlyElementsOf(concat(all.subList(4, 7), fresh));
    assertThat(spill.entries()).isEmpty();
  }

  @Test
  void aCorruptSpilledChunkIsCountedAndNeverPublishedAndTheOthersStillLeaveInOrder() {
    InMemoryChunkSpill spill = new InMemoryChunkSpill(6L * CHUNK);
    ChunkPublisher publisher = publisher(spill, settings(500, Backpressure.FAIL_FAST, Duration.ZERO));
    List<Chunk> all = append(publisher, "p", 0, 8);
    spill.damage(spill.entries().get(1)); // chunk 5

    stream.refuse(false);
    publisher.drain(Duration.ofSeconds(1));

    List<Chunk> expected = new ArrayList<>(all);
    expected.remove(5);
    assertThat(stream.accepted()).containsExactlyElementsOf(expected);
    assertThat(publisher.spillStats().corruptChunks()).isEqualTo(1);
    assertThat(publisher.spillStats().spillBytes()).isZero();
    assertThat(spill.corruptEntries()).isEqualTo(1);
    assertThat(publisher.bufferedChunks()).isZero();
  }

  @Test
  void aSpillHoldingOnlyCorruptChunksAtTheHeadDoesNotStopTheChunksBehindThem() {
    InMemoryChunkSpill spill = new InMemoryChunkSpill(6L * CHUNK);
    ChunkPublisher before = publisher(spill, settings(2, Backpressure.FAIL_FAST, Duration.ZERO));
    List<Chunk> all = append(before, "p", 0, 7);
    spill.damage(spill.entries().get(0));
    spill.damage(spill.entries().get(1));

    stream.refuse(false);
    ChunkPublisher after = publisher(spill, settings(2, Backpressure.FAIL_FAST, Duration.ZERO));
    assertThat(after.publishAvailable()).isEqualTo(1);

    assertThat(stream.accepted()).containsExactly(all.get(6));
    assertThat(after.spillStats().corruptChunks()).isEqualTo(2);
  }

  @Test
  void drainWaitsForSpilledChunksAndSaysHowMuchTheSpillStillHolds() {
    InMemoryChunkSpill spill = new InMemoryChunkSpill(6L * CHUNK);
    ChunkPublisher publisher = publisher(spill, settings(500, Backpressure.FAIL_FAST, Duration.ZERO));
    append(publisher, "p", 0, 6);

    assertThatThrownBy(() -> publisher.drain(Duration.ofSeconds(2))).isInstanceOf(BackpressureException.class)
        .hasMessage("stream kept refusing records: 6 chunks (1600000 bytes) still buffered (800000 more bytes in the spill) after PT2S");
    assertThat(spill.sizeBytes()).isEqualTo(2L * CHUNK);
  }

  @Test
  void aChunkTheSpillFailsToTakeWaitsInMemoryRatherThanBeingLost() {
    InMemoryChunkSpill inner = new InMemoryChunkSpill(6L * CHUNK);
    ChunkSpill failing = new ChunkSpill() {
      @Override public long capacityBytes() { return inner.capacityBytes(); }
      @Override public long sizeBytes() { return inner.sizeBytes(); }
      @Override public Optional<SpilledChunk> append(Chunk chunk) { throw new RetryableStoreException("disk full"); }
      @Override public SpillRead read(SpilledChunk entry) { return inner.read(entry); }
      @Override public void remove(SpilledChunk entry) { inner.remove(entry); }
      @Override public List<SpilledChunk> entries() { return inner.entries(); }
      @Override public long corruptEntries() { return inner.corruptEntries(); }
    };
    ChunkPublisher publisher = publisher(failing, settings(500, Backpressure.FAIL_FAST, Duration.ZERO));

    List<Chunk> all = append(publisher, "p", 0, 5);

    assertThat(publisher.buffered()).containsExactlyElementsOf(all);
    assertThat(publisher.spillStats().spillFailures()).isEqualTo(1);
    assertThat(publisher.spillStats().spillBytes()).isZero();
    stream.refuse(false);
    publisher.publishAvailable();
    assertThat(stream.accepted()).containsExactlyElementsOf(all);
  }
}
