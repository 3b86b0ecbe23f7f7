package io.spillway.application.service;

import static io.spillway.application.service.PublisherFixtures.BOUND;
import static io.spillway.application.service.PublisherFixtures.chunk;
import static io.spillway.application.service.PublisherFixtures.settings;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import io.spillway.application.port.out.ChunkStream;
import io.spillway.application.port.out.Clock;
import io.spillway.application.port.out.PublishOutcome;
import io.spillway.application.service.PublisherSettings.Backpressure;
import io.spillway.domain.chunk.Chunk;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The publisher holds no lock across a publish call or a backoff sleep: while one thread waits on
 * a slow PutRecords or backs off, a metrics scrape, an appender that completes no batch, a release
 * and (during a sleep) another publisher go on. Each test holds the network call or the sleep on a
 * latch and gives the other thread's calls a bounded wait, which a publisher that kept its lock
 * would run out of.
 */
class ChunkPublisherLockTest {
  private static final int SMALL = 1_000;
  private final ExecutorService pool = Executors.newFixedThreadPool(3);
  private final List<CountDownLatch> toOpen = new ArrayList<>();

  @AfterEach
  void releaseWhateverIsStillHeld() {
    toOpen.forEach(CountDownLatch::countDown); // a failed test must not leave a thread parked
    pool.shutdownNow();
  }

  private CountDownLatch latch() {
    CountDownLatch l = new CountDownLatch(1);
    toOpen.add(l);
    return l;
  }

  /** A stream whose first call blocks until released; it counts the calls in flight. */
  private final class GatedStream implements ChunkStream {
    final CountDownLatch entered = new CountDownLatch(1);
    final CountDownLatch release = latch();
    final AtomicInteger inFlight = new AtomicInteger();
    final AtomicInteger mostInFlight = new AtomicInteger();
    final List<Chunk> accepted = new ArrayList<>();

    @Override
    public List<PublishOutcome> publish(List<Chunk> chunks) {
      mostInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
      try {
        entered.countDown();
        release.await();
        synchronized (accepted) {
          accepted.addAll(chunks);
        }
        return PublisherFixtures.acceptAll(chunks);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      } finally {
        inFlight.decrementAndGet();
      }
    }
  }

  /** A virtual clock whose first sleep blocks until woken (later sleeps pass at once). */
  private final class GatedClock implements Clock {
    final CountDownLatch sleeping = new CountDownLatch(1);
    final CountDownLatch wake = latch();
    private Instant now = PublisherFixtures.T0;

    @Override
    public synchronized Instant now() {
      return now;
    }

    @Override
    public void sleep(Duration duration) throws InterruptedException {
      sleeping.countDown();
      wake.await();
      synchronized (this) {
        now = now.plus(duration);
      }
    }
  }

  private static void await(CountDownLatch latch) throws InterruptedException {
    assertThat(latch.await(5, SECONDS)).as("the gate was reached").isTrue();
  }

  @Test
  void readersAppendersAndReleasesAnswerWhileAPublishCallIsBlockedInTheNetwork() throws Exception {
    GatedStream stream = new GatedStream();
    ChunkPublisher publisher = new ChunkPublisher(stream, new PublisherFixtures.VirtualClock(), settings(3, Backpressure.BLOCK, Duration.ofMinutes(1)));
    Chunk first = chunk("p", 0, SMALL);
    Chunk second = chunk("p", 1, SMALL);
    publisher.enqueue(List.of(first));
    Future<Integer> slowPublish = pool.submit(publisher::publishAvailable);
    await(stream.entered);

    Future<ChunkPublisher.Stats> scrape = pool.submit(publisher::stats);
    assertThat(scrape.get(5, SECONDS)).isEqualTo(new ChunkPublisher.Stats(0, 0, 0, 1, SMALL, SMALL));
    assertThat(pool.submit(publisher::bufferedBytes).get(5, SECONDS)).isEqualTo(SMALL);
    assertThat(pool.submit(publisher::buffered).get(5, SECONDS)).containsExactly(first);
    // an appender: room that fits is reserved, a chunk that completes no batch is taken, the rest given back
    pool.submit(() -> {
      publisher.reserve(SMALL + 5_000);
      publisher.enqueue(List.of(second), SMALL);
      publisher.release(5_000);
    }).get(5, SECONDS);
    assertThat(pool.submit(publisher::bufferedChunks).get(5, SECONDS)).isEqualTo(2);
    assertThat(slowPublish).isNotDone();

    stream.release.countDown();
    assertThat(slowPublish.get(5, SECONDS)).isEqualTo(2);
    assertThat(stream.accepted).containsExactly(first, second);
    assertThat(stream.mostInFlight).hasValue(1);
    assertThat(publisher.stats()).isEqualTo(new ChunkPublisher.Stats(2, 2, 0, 2, 0, 2L * SMALL));
    publisher.reserve(BOUND); // every reservation was filled or given back
  }

  @Test
  void aSecondPublisherWaitsForTheCallInFlightAndThenSendsWhatIsLeftInOrder() throws Exception {
    GatedStream stream = new GatedStream();
    ChunkPublisher publisher = new ChunkPublisher(stream, new PublisherFixtures.VirtualClock(), settings(1, Backpressure.BLOCK, Duration.ofMinutes(1)));
    Chunk first = chunk("p", 0, SMALL);
    Chunk second = chunk("p", 1, SMALL);
    Future<?> firstAppend = pool.submit(() -> publisher.enqueue(List.of(first)));
    await(stream.entered);
    CompletableFuture<Thread> secondThread = new CompletableFuture<>();
    Future<?> secondAppend = pool.submit(() -> {
      secondThread.complete(Thread.currentThread());
      publisher.enqueue(List.of(second)); // a full batch (of one): it publishes, after the call in flight
    });
    Thread t = secondThread.get(5, SECONDS);
    // parked waiting for its turn (or, were two calls allowed in flight, inside the gated stream)
    while (t.getState() != Thread.State.WAITING && t.getState() != Thread.State.BLOCKED && !secondAppend.isDone()) {
      Thread.onSpinWait();
    }
    assertThat(pool.submit(publisher::buffered).get(5, SECONDS)).containsExactly(first, second);

    stream.release.countDown();
    firstAppend.get(5, SECONDS);
    secondAppend.get(5, SECONDS);
    assertThat(stream.mostInFlight).as("one publish call at a time").hasValue(1);
    assertThat(stream.accepted).containsExactly(first, second);
    assertThat(publisher.bufferedChunks()).isZero();
  }

  @Test
  void aDrainBackingOffHoldsNoLockSoOthersReadAppendAndPublishMeanwhile() throws Exception {
    GatedClock clock = new GatedClock();
    PublisherFixtures.ScriptedStream stream = new PublisherFixtures.ScriptedStream(List.of(PublisherFixtures::throttleAll),
        PublisherFixtures::acceptAll);
    ChunkPublisher publisher = new ChunkPublisher(stream, clock, settings(500, Backpressure.BLOCK, Duration.ofMinutes(1)));
    Chunk first = chunk("p", 0, SMALL);
    Chunk second = chunk("p", 1, SMALL);
    publisher.enqueue(List.of(first));
    Future<?> drain = pool.submit(() -> publisher.drain(Duration.ofMinutes(1)));
    await(clock.sleeping);

    assertThat(pool.submit(publisher::stats).get(5, SECONDS).chunksThrottled()).isEqualTo(1);
    pool.submit(() -> publisher.enqueue(List.of(second))).get(5, SECONDS);
    // the publishing turn is free during the backoff too: another thread sends both chunks, in order
    assertThat(pool.submit(publisher::publishAvailable).get(5, SECONDS)).isEqualTo(2);
    assertThat(drain).isNotDone();

    clock.wake.countDown();
    drain.get(5, SECONDS);
    assertThat(stream.accepted()).containsExactly(first, second);
    assertThat(publisher.bufferedChunks()).isZero();
  }

  @Test
  void aDrainWaitsForTheChunksBufferedWhenItStartedNotForThoseAddedWhileItBacksOff() throws Exception {
    GatedClock clock = new GatedClock();
    Chunk own = chunk("sealed", 0, SMALL);
    Chunk later = chunk("other", 0, SMALL);
    // the first call is throttled; afterwards the stream takes the sealing job's chunk but not the other job's
    PublisherFixtures.ScriptedStream stream = new PublisherFixtures.ScriptedStream(List.of(PublisherFixtures::throttleAll),
        batch -> batch.stream().<PublishOutcome>map(c -> c == own ? new PublishOutcome.Accepted("shard-0", "1")
            : new PublishOutcome.Throttled("busy")).toList());
    ChunkPublisher publisher = new ChunkPublisher(stream, clock, settings(500, Backpressure.BLOCK, Duration.ofMinutes(1)));
    publisher.enqueue(List.of(own));
    Future<?> drain = pool.submit(() -> publisher.drain(Duration.ofSeconds(1)));
    await(clock.sleeping);
    pool.submit(() -> publisher.enqueue(List.of(later))).get(5, SECONDS);

    clock.wake.countDown();
    drain.get(5, SECONDS);
    assertThat(stream.calls()).containsExactly(List.of(own), List.of(own, later));
    assertThat(publisher.buffered()).containsExactly(later);
  }

  @Test
  void aReservationBackingOffLetsAnotherAppenderReleaseTheRoomItWaitsFor() throws Exception {
    GatedClock clock = new GatedClock();
    ChunkPublisher publisher = new ChunkPublisher(PublisherFixtures.ScriptedStream.accepting(), clock,
        settings(500, Backpressure.BLOCK, Duration.ofMinutes(1)));
    publisher.reserve(BOUND); // another appender holds all the room
    Future<?> blocked = pool.submit(() -> publisher.reserve(SMALL));
    await(clock.sleeping);

    pool.submit(() -> publisher.release(BOUND)).get(5, SECONDS);
    assertThat(pool.submit(publisher::bufferedBytes).get(5, SECONDS)).isZero();
    assertThat(blocked).isNotDone();

    clock.wake.countDown();
    blocked.get(5, SECONDS);
    publisher.reserve(BOUND - SMALL); // the room left beside the waiter's reservation: exactly the rest
    assertThat(publisher.bufferedBytes()).isZero();
  }
}
