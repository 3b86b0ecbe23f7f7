package io.spillway.application.service;

import static io.spillway.application.service.PublisherFixtures.BOUND;
import static io.spillway.application.service.PublisherFixtures.chunk;
import static io.spillway.application.service.PublisherFixtures.settings;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spillway.application.port.in.BackpressureException;
import io.spillway.application.port.out.Clock;
import io.spillway.application.port.out.PublishOutcome;
import io.spillway.application.port.out.RandomSource;
import io.spillway.application.port.out.RetryableStoreException;
import io.spillway.application.service.PublisherFixtures.ScriptedStream;
import io.spillway.application.service.PublisherFixtures.VirtualClock;
import io.spillway.application.service.PublisherSettings.Backpressure;
import io.spillway.domain.chunk.Chunk;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * What the producer's buffer promises on one thread: full batches go out in enqueue order,
 * throttled chunks go back to the head in order, a full buffer blocks (with backoff) or fails fast
 * and then reserves nothing, and a drain that runs out of time says so and keeps every chunk.
 */
class ChunkPublisherTest {
  private static final int CHUNK = 400_000;
  private final VirtualClock clock = new VirtualClock();

  private static Function<List<Chunk>, List<PublishOutcome>> acceptOnly(int index) {
    return batch -> {
      List<PublishOutcome> out = new java.util.ArrayList<>(PublisherFixtures.throttleAll(batch));
      out.set(index, new PublishOutcome.Accepted("shard-0", "1"));
      return out;
    };
  }

  private static Function<List<Chunk>, List<PublishOutcome>> failing() {
    return batch -> {
      throw new RetryableStoreException("timed out");
    };
  }

  /** Fills the buffer to its bound with four 400 KB chunks (as appenders would: reserve, then enqueue). */
  private static List<Chunk> fill(ChunkPublisher publisher) {
    List<Chunk> chunks = List.of(chunk("p", 0, CHUNK), chunk("p", 1, CHUNK), chunk("p", 2, CHUNK), chunk("p", 3, CHUNK));
    for (Chunk c : chunks) {
      publisher.reserve(CHUNK);
      publisher.enqueue(List.of(c), CHUNK);
    }
    return chunks;
  }

  @Test
  void chunksWaitUntilABatchIsFullThenLeaveInOneCallInOrder() {
    ScriptedStream stream = ScriptedStream.accepting();
    ChunkPublisher publisher = new ChunkPublisher(stream, clock, settings(3, Backpressure.BLOCK, Duration.ofSeconds(1)));
    Chunk c0 = chunk("p", 0, 1_000);
    Chunk c1 = chunk("p", 1, 2_000);
    Chunk c2 = chunk("p", 2, 3_000);

    publisher.enqueue(List.of(c0, c1));
    assertThat(stream.calls()).isEmpty();
    assertThat(publisher.bufferedBytes()).isEqualTo(3_000);
    assertThat(publisher.buffered()).containsExactly(c0, c1);

    publisher.enqueue(List.of(c2));

    assertThat(stream.calls()).containsExactly(List.of(c0, c1, c2));
    assertThat(publisher.bufferedChunks()).isZero();
    assertThat(publisher.stats()).isEqualTo(new ChunkPublisher.Stats(3, 3, 0, 1, 0, 6_000));
  }

  @Test
  void throttledChunksGoBackToTheHeadInOrderAndAreTriedFirst() {
    ScriptedStream stream = new ScriptedStream(List.of(acceptOnly(1)), PublisherFixtures::acceptAll);
    ChunkPublisher publisher = new ChunkPublisher(stream, clock, settings(3, Backpressure.BLOCK, Duration.ofSeconds(1)));
    Chunk c0 = chunk("p", 0, 1_000);
    Chunk c1 = chunk("p", 1, 1_000);
    Chunk c2 = chunk("p", 2, 1_000);
    Chunk c3 = chunk("p", 3, 1_000);

    publisher.enqueue(List.of(c0, c1, c2));
    assertThat(publisher.buffered()).containsExactly(c0, c2);
    publisher.enqueue(List.of(c3));

    assertThat(stream.calls()).containsExactly(List.of(c0, c1, c2), List.of(c0, c2, c3));
    assertThat(stream.accepted()).containsExactly(c1, c0, c2, c3);
    assertThat(publisher.stats()).isEqualTo(new ChunkPublisher.Stats(4, 4, 2, 2, 0, 3_000));
  }

  @Test
  void aRetryableFailureCountsTheBatchAsThrottledAndLosesNothing() {
    ScriptedStream stream = new ScriptedStream(List.of(failing()), PublisherFixtures::acceptAll);
    ChunkPublisher publisher = new ChunkPublisher(stream, clock, settings(500, Backpressure.BLOCK, Duration.ofSeconds(1)));
    Chunk c0 = chunk("p", 0, 1_000);
    Chunk c1 = chunk("p", 1, 1_000);
    publisher.enqueue(List.of(c0, c1));

    assertThat(publisher.publishAvailable()).isZero();
    assertThat(publisher.buffered()).containsExactly(c0, c1);
    assertThat(publisher.publishAvailable()).isEqualTo(2);

    assertThat(stream.accepted()).containsExactly(c0, c1);
    assertThat(publisher.stats().chunksThrottled()).isEqualTo(2);
  }

  @Test
  void aStreamThatAnswersTheWrongNumberOfOutcomesIsAnErrorAndTheChunksStay() {
    ScriptedStream stream = new ScriptedStream(List.of(batch -> List.of()), PublisherFixtures::acceptAll);
    ChunkPublisher publisher = new ChunkPublisher(stream, clock, settings(500, Backpressure.BLOCK, Duration.ofSeconds(1)));
    Chunk c0 = chunk("p", 0, 1_000);
    publisher.enqueue(List.of(c0));

    assertThatThrownBy(publisher::publishAvailable).isInstanceOf(IllegalStateException.class)
        .hasMessage("stream answered 0 outcomes for 1 chunks");
    assertThat(publisher.buffered()).containsExactly(c0);
    assertThat(publisher.publishAvailable()).isEqualTo(1);
  }

  @Test
  void failFastRefusesAFullBufferAtOnceWithoutWaitingAndReservesNothing() {
    ChunkPublisher publisher = new ChunkPublisher(ScriptedStream.refusing(), clock, settings(500, Backpressure.FAIL_FAST, Duration.ZERO));
    List<Chunk> chunks = fill(publisher);
    publisher.reserve(BOUND - 4L * CHUNK);

    assertThatThrownBy(() -> publisher.reserve(1)).isInstanceOf(BackpressureException.class)
        .hasMessage("producer buffer full: 1600000 of 1638400 bytes waiting (38400 reserved) and the stream is refusing records (fail-fast)");

    assertThat(clock.sleeps()).isEmpty();
    assertThat(publisher.buffered()).containsExactlyElementsOf(chunks);
    publisher.release(BOUND - 4L * CHUNK);
    publisher.reserve(BOUND - 4L * CHUNK); // the refused reservation took no room
  }

  @Test
  void blockPublishesWithBackoffUntilThereIsRoomThenReserves() {
    ScriptedStream stream = new ScriptedStream(List.of(PublisherFixtures::throttleAll, PublisherFixtures::throttleAll),
        PublisherFixtures::acceptAll);
    PublisherSettings settings = settings(500, Backpressure.BLOCK, Duration.ofMinutes(1));
    ChunkPublisher publisher = new ChunkPublisher(stream, clock, settings);
    List<Chunk> chunks = fill(publisher);

    publisher.reserve(100_000);

    assertThat(stream.accepted()).containsExactlyElementsOf(chunks);
    assertThat(clock.sleeps()).containsExactly(
        Backoff.jittered(0, settings.backoffBase(), settings.backoffMax(), RandomSource.none()),
        Backoff.jittered(1, settings.backoffBase(), settings.backoffMax(), RandomSource.none()));
    // the 100 KB is reserved: the bound leaves exactly the rest
    publisher.reserve(BOUND - 100_000);
    assertThatThrownBy(() -> publisher.reserve(1)).isInstanceOf(BackpressureException.class);
  }

  @Test
  void blockGivesUpAfterTheTimeoutWithTheBufferFullMessageAndKeepsTheChunks() {
    ChunkPublisher publisher = new ChunkPublisher(ScriptedStream.refusing(), clock, settings(500, Backpressure.BLOCK, Duration.ofSeconds(1)));
    List<Chunk> chunks = fill(publisher);
    Instant start = clock.now();

    assertThatThrownBy(() -> publisher.reserve(100_000)).isInstanceOf(BackpressureException.class)
        .hasMessage("producer buffer full: 1600000 of 1638400 bytes waiting (0 reserved) and the stream is refusing records after PT1S");

    assertThat(Duration.between(start, clock.now())).isGreaterThanOrEqualTo(Duration.ofSeconds(1));
    assertThat(publisher.buffered()).containsExactlyElementsOf(chunks);
    publisher.reserve(BOUND - 4L * CHUNK);
  }

  @Test
  void drainPublishesEverythingBackingOffWhileThrottled() {
    ScriptedStream stream = new ScriptedStream(List.of(PublisherFixtures::throttleAll, acceptOnly(0)), PublisherFixtures::acceptAll);
    ChunkPublisher publisher = new ChunkPublisher(stream, clock, settings(500, Backpressure.BLOCK, Duration.ofSeconds(1)));
    Chunk c0 = chunk("p", 0, 1_000);
    Chunk c1 = chunk("p", 1, 1_000);
    publisher.enqueue(List.of(c0, c1));

    publisher.drain(Duration.ofMinutes(1));

    assertThat(stream.accepted()).containsExactly(c0, c1);
    assertThat(stream.calls()).containsExactly(List.of(c0, c1), List.of(c0, c1), List.of(c1));
    assertThat(clock.sleeps()).hasSize(1); // the partly accepted call resets the backoff and is retried at once
    assertThat(publisher.bufferedChunks()).isZero();
  }

  @Test
  void drainThatRunsOutOfTimeSaysHowMuchIsStillBufferedAndKeepsIt() {
    ChunkPublisher publisher = new ChunkPublisher(ScriptedStream.refusing(), clock, settings(500, Backpressure.BLOCK, Duration.ofSeconds(1)));
    Chunk c0 = chunk("p", 0, 1_000);
    Chunk c1 = chunk("p", 1, 2_000);
    publisher.enqueue(List.of(c0, c1));

    assertThatThrownBy(() -> publisher.drain(Duration.ofSeconds(2))).isInstanceOf(BackpressureException.class)
        .hasMessage("stream kept refusing records: 2 chunks (3000 bytes) still buffered after PT2S");

    assertThat(publisher.buffered()).containsExactly(c0, c1);
  }

  @Test
  void anInterruptedBackoffRefusesAndKeepsTheChunks() {
    Clock interrupting = new Clock() {
      @Override
      public Instant now() {
        return PublisherFixtures.T0;
      }

      @Override
      public void sleep(Duration duration) throws InterruptedException {
        throw new InterruptedException();
      }
    };
    ChunkPublisher publisher = new ChunkPublisher(ScriptedStream.refusing(), interrupting, settings(500, Backpressure.BLOCK, Duration.ofSeconds(1)));
    Chunk c0 = chunk("p", 0, 1_000);
    publisher.enqueue(List.of(c0));

    try {
      assertThatThrownBy(() -> publisher.drain(Duration.ofSeconds(1))).isInstanceOf(BackpressureException.class)
          .hasMessage("interrupted while waiting for the stream; buffered chunks are kept");
      assertThat(Thread.currentThread().isInterrupted()).isTrue();
    } finally {
      Thread.interrupted();
    }
    assertThat(publisher.buffered()).containsExactly(c0);
  }
}
