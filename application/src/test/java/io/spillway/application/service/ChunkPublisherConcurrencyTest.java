package io.spillway.application.service;

import static io.spillway.application.service.PublisherFixtures.BOUND;
import static io.spillway.application.service.PublisherFixtures.chunk;
import static io.spillway.application.service.PublisherFixtures.settings;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import io.spillway.application.port.in.BackpressureException;
import io.spillway.application.port.out.ChunkStream;
import io.spillway.application.port.out.PublishOutcome;
import io.spillway.application.port.out.RetryableStoreException;
import io.spillway.application.service.PublisherFixtures.VirtualClock;
import io.spillway.application.service.PublisherSettings.Backpressure;
import io.spillway.domain.chunk.Chunk;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Several appenders (reserve, then enqueue, as {@link IntakeService} does) and a metrics scraper
 * share one publisher in front of a stream that throttles chunks at random, fails whole calls now
 * and then, and checks every call it gets: one call at a time, and each appender's chunks in a call
 * are the oldest it still has to deliver, in order (so throttled chunks were retried first). In the
 * end every chunk was accepted exactly once, and the buffer never held more than its bound.
 */
class ChunkPublisherConcurrencyTest {
  private static final int APPENDERS = 4;
  private static final int CHUNKS_EACH = 150;
  private static final int MAX_CHUNK = 200_000;

  static Stream<Arguments> modesAndSeeds() {
    return Stream.of(Backpressure.values()).flatMap(mode -> Stream.of(1L, 2L, 3L).map(seed -> Arguments.of(mode, seed)));
  }

  /** Throttles each chunk with probability 0.5, fails one call in ten; records what it accepted and any misordering. */
  private static final class CheckingStream implements ChunkStream {
    private final Random random;
    private final AtomicInteger inFlight = new AtomicInteger();
    final AtomicInteger mostInFlight = new AtomicInteger();
    /** Per appender, the sequences not yet accepted. */
    private final Map<String, TreeSet<Long>> owed = new HashMap<>();
    final List<Chunk> accepted = new ArrayList<>();
    final List<String> violations = new ArrayList<>();
    ChunkPublisher publisher;
    final AtomicLong mostBufferedSeenByTheStream = new AtomicLong();

    CheckingStream(long seed) {
      this.random = new Random(seed);
      for (int a = 0; a < APPENDERS; a++) {
        TreeSet<Long> all = new TreeSet<>();
        for (long s = 0; s < CHUNKS_EACH; s++) all.add(s);
        owed.put("a" + a, all);
      }
    }

    @Override
    public List<PublishOutcome> publish(List<Chunk> chunks) {
      mostInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
      try {
        // the publisher answers while a call is in flight, and its buffer is within the bound
        mostBufferedSeenByTheStream.accumulateAndGet(publisher.bufferedBytes(), Math::max);
        Thread.yield();
        synchronized (this) {
          checkOrder(chunks);
          if (random.nextInt(10) == 0) {
            throw new RetryableStoreException("timed out");
          }
          List<PublishOutcome> out = new ArrayList<>();
          for (Chunk c : chunks) {
            if (random.nextDouble() < 0.5) {
              out.add(new PublishOutcome.Throttled("busy"));
            } else {
              out.add(new PublishOutcome.Accepted("shard-0", String.valueOf(accepted.size())));
              accepted.add(c);
              owed.get(c.id().jobId().value()).remove(c.id().sequence());
            }
          }
          return out;
        }
      } finally {
        inFlight.decrementAndGet();
      }
    }

    /** Each appender's chunks in the call must be the lowest sequences it still owes, in order. */
    private void checkOrder(List<Chunk> chunks) {
      Map<String, List<Long>> sent = new HashMap<>();
      for (Chunk c : chunks) {
        sent.computeIfAbsent(c.id().jobId().value(), k -> new ArrayList<>()).add(c.id().sequence());
      }
      sent.forEach((appender, sequences) -> {
        List<Long> expected = owed.get(appender).stream().limit(sequences.size()).toList();
        if (!sequences.equals(expected)) {
          violations.add(appender + " sent " + sequences + " while owing " + expected);
        }
      });
    }
  }

  @ParameterizedTest(name = "{0}, seed {1}")
  @MethodSource("modesAndSeeds")
  void concurrentAppendersLoseNothingKeepTheirOrderAndStayUnderTheBound(Backpressure mode, long seed) throws Exception {
    CheckingStream stream = new CheckingStream(seed);
    // batches of 16 chunks of up to 200 KB reach the 1.6 MB bound first, so reservations do the publishing;
    // BLOCK waits up to a virtual day, however much the appenders' sleeps move the shared clock on
    ChunkPublisher publisher = new ChunkPublisher(stream, new VirtualClock(), settings(16, mode, Duration.ofDays(1)));
    stream.publisher = publisher;
    ExecutorService pool = Executors.newFixedThreadPool(APPENDERS + 1);
    CountDownLatch start = new CountDownLatch(1);
    AtomicInteger refusals = new AtomicInteger();
    AtomicBoolean appending = new AtomicBoolean(true);
    AtomicLong mostBufferedScraped = new AtomicLong();
    try {
      List<Future<?>> appenders = new ArrayList<>();
      for (int a = 0; a < APPENDERS; a++) {
        String name = "a" + a;
        Random sizes = new Random(seed * 31 + a);
        appenders.add(pool.submit(() -> {
          start.await();
          for (long s = 0; s < CHUNKS_EACH; s++) {
            Chunk c = chunk(name, s, 1 + sizes.nextInt(MAX_CHUNK));
            int bytes = c.record().length;
            while (true) {
              try {
                publisher.reserve(bytes);
                break;
              } catch (BackpressureException full) {
                refusals.incrementAndGet(); // the caller offers the same chunk again
                Thread.yield();
              }
            }
            publisher.enqueue(List.of(c), bytes);
          }
          return null;
        }));
      }
      Future<?> scraper = pool.submit(() -> {
        start.await();
        while (appending.get()) {
          mostBufferedScraped.accumulateAndGet(publisher.stats().bufferedBytes(), Math::max);
          mostBufferedScraped.accumulateAndGet(publisher.bufferedBytes(), Math::max);
          Thread.yield();
        }
        return null;
      });
      start.countDown();
      for (Future<?> f : appenders) f.get(60, SECONDS);
      appending.set(false);
      scraper.get(60, SECONDS);
    } finally {
      pool.shutdownNow();
    }
    publisher.drain(Duration.ofDays(1));

    synchronized (stream) {
      assertThat(stream.violations).isEmpty();
      assertThat(stream.accepted.stream().map(Chunk::id).toList()).hasSize(APPENDERS * CHUNKS_EACH).doesNotHaveDuplicates();
      assertThat(stream.owed.values()).allSatisfy(owed -> assertThat(owed).isEmpty());
    }
    assertThat(stream.mostInFlight).as("one publish call at a time").hasValue(1);
    assertThat(publisher.stats().chunksPublished()).isEqualTo(APPENDERS * CHUNKS_EACH);
    assertThat(publisher.stats().maxBufferedBytes()).isLessThanOrEqualTo(BOUND)
        .as("the buffer was pressed against its bound: some reservation found no room").isGreaterThan(BOUND - MAX_CHUNK);
    assertThat(mostBufferedScraped.get()).isLessThanOrEqualTo(BOUND);
    assertThat(stream.mostBufferedSeenByTheStream.get()).isLessThanOrEqualTo(BOUND);
    assertThat(publisher.stats().chunksThrottled()).as("the stream did throttle").isPositive();
    if (mode == Backpressure.BLOCK) {
      assertThat(refusals).as("BLOCK waits instead of refusing").hasValue(0);
    }
    assertThat(publisher.bufferedChunks()).isZero();
    publisher.reserve(BOUND); // every reservation was filled: nothing is left reserved
  }
}
