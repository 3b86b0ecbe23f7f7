package io.spillway.adapters.inmemory.pipeline;

import static io.spillway.adapters.inmemory.pipeline.SpillScript.BOUND;
import static io.spillway.adapters.inmemory.pipeline.SpillScript.chunk;
import static org.assertj.core.api.Assertions.assertThat;

import io.spillway.adapters.inmemory.InMemoryChunkSpill;
import io.spillway.adapters.inmemory.ManualClock;
import io.spillway.application.port.in.BackpressureException;
import io.spillway.application.port.out.ChunkStream;
import io.spillway.application.port.out.PublishOutcome;
import io.spillway.application.port.out.RandomSource;
import io.spillway.application.service.ChunkPublisher;
import io.spillway.application.service.PublisherSettings;
import io.spillway.domain.chunk.Chunk;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.RandomDistribution;
import net.jqwik.api.statistics.Statistics;

/**
 * Under any schedule of throttling (whole outages and chunks refused here and there) and of
 * producer crashes, a publisher with a spill publishes every chunk it accepted at least once —
 * all but those a crash took from memory, which the spill does not hold — each call carrying an
 * appender's oldest undelivered chunks in order; neither memory nor spill ever passes its bound.
 */
class ChunkPublisherSpillProperties {
  private static final String[] APPENDERS = {"a", "b", "c"};

  sealed interface Step {}

  record Append(int appender, int bytes) implements Step {}

  /** The stream goes down (refusing all) or comes back refusing one chunk in {@code every} (0: none). */
  record Weather(boolean down, int every) implements Step {}

  record Tick(int millis) implements Step {}

  record Crash() implements Step {}

  @Provide
  Arbitrary<List<Step>> schedules() {
    Arbitrary<Step> append = Combinators.combine(Arbitraries.integers().between(0, APPENDERS.length - 1),
        Arbitraries.integers().between(20_000, 400_000)).as(Append::new);
    Arbitrary<Step> weather = Combinators.combine(Arbitraries.frequency(net.jqwik.api.Tuple.of(1, true), net.jqwik.api.Tuple.of(1, false)),
        Arbitraries.integers().between(0, 3)).as(Weather::new);
    Arbitrary<Step> tick = Arbitraries.integers().between(1, 2_000).map(Tick::new);
    Arbitrary<Step> crash = Arbitraries.just(new Crash());
    return Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(20, append), net.jqwik.api.Tuple.of(1, weather), net.jqwik.api.Tuple.of(3, tick), net.jqwik.api.Tuple.of(1, crash))
        .list().ofMinSize(1).ofMaxSize(120).withSizeDistribution(RandomDistribution.uniform());
  }

  /** Refuses as the weather says; checks that each call carries each appender's oldest owed chunks, in order. */
  private static final class CheckingStream implements ChunkStream {
    final Map<String, TreeSet<Long>> owed = new HashMap<>();
    final List<String> violations = new ArrayList<>();
    final List<Chunk> accepted = new ArrayList<>();
    /** Schedules start in an outage: the case the spill is for. */
    boolean down = true;
    int every;
    int seen;

    @Override
    public List<PublishOutcome> publish(List<Chunk> chunks) {
      Map<String, List<Long>> byAppender = new HashMap<>();
      for (Chunk c : chunks) {
        byAppender.computeIfAbsent(c.id().jobId().value(), k -> new ArrayList<>()).add(c.id().sequence());
      }
      byAppender.forEach((appender, sequences) -> {
        List<Long> oldest = owed.getOrDefault(appender, new TreeSet<>()).stream().limit(sequences.size()).toList();
        if (!oldest.equals(sequences)) {
          violations.add(appender + " sent " + sequences + " while it owed " + owed.get(appender));
        }
      });
      List<PublishOutcome> out = new ArrayList<>();
      for (Chunk c : chunks) {
        boolean refused = down || (every > 0 && seen++ % every == 0);
        if (refused) {
          out.add(new PublishOutcome.Throttled("weather"));
        } else {
          accepted.add(c);
          owed.get(c.id().jobId().value()).remove(c.id().sequence());
          out.add(new PublishOutcome.Accepted("shard-0", String.valueOf(accepted.size())));
        }
      }
      return out;
    }
  }

  @Property(tries = 150, edgeCases = EdgeCasesMode.NONE)
  void everyChunkNotLostWithMemoryIsPublishedInOrderAndNoBoundIsPassed(@ForAll("schedules") List<Step> schedule,
      @ForAll boolean block, @ForAll("spillSizes") long spillCapacity) {
    ManualClock clock = ManualClock.atEpochDay();
    PublisherSettings settings = SpillScript.settings(4, block ? PublisherSettings.Backpressure.BLOCK : PublisherSettings.Backpressure.FAIL_FAST,
        Duration.ofSeconds(1));
    InMemoryChunkSpill spill = new InMemoryChunkSpill(spillCapacity);
    CheckingStream stream = new CheckingStream();
    for (String a : APPENDERS) {
      stream.owed.put(a, new TreeSet<>());
    }
    Map<String, Long> next = new HashMap<>();
    List<Chunk> lost = new ArrayList<>();
    List<Chunk> taken = new ArrayList<>();
    boolean recoveredAny = false;
    ChunkPublisher publisher = new ChunkPublisher(stream, clock, settings, RandomSource.none(), Optional.of(spill));

    for (Step step : schedule) {
      if (step instanceof Append a) {
        String appender = APPENDERS[a.appender()];
        long sequence = next.getOrDefault(appender, 0L);
        Chunk c = chunk(appender, sequence, a.bytes());
        try {
          publisher.reserve(a.bytes());
        } catch (BackpressureException refused) {
          continue; // not accepted: the caller keeps the events
        }
        next.put(appender, sequence + 1);
        stream.owed.get(appender).add(sequence);
        taken.add(c);
        publisher.enqueue(List.of(c), a.bytes());
      } else if (step instanceof Weather w) {
        stream.down = w.down();
        stream.every = w.every();
      } else if (step instanceof Tick t) {
        clock.advance(Duration.ofMillis(t.millis()));
        publisher.publishAvailable();
      } else {
        // a crash: what memory held is gone (its events are the producer's source's to replay), the spill stays
        for (Chunk c : publisher.buffered()) {
          lost.add(c);
          stream.owed.get(c.id().jobId().value()).remove(c.id().sequence());
        }
        publisher = new ChunkPublisher(stream, clock, settings, RandomSource.none(), Optional.of(spill));
        recoveredAny |= publisher.spillStats().chunksRecovered() > 0;
      }
      assertThat(publisher.bufferedBytes()).as("memory within its bound").isLessThanOrEqualTo(BOUND);
      assertThat(publisher.spillStats().maxSpillBytes()).as("spill within its bound").isLessThanOrEqualTo(spillCapacity);
    }
    // the schedules must reach the spill, and a restart over a non-empty one, often enough to mean something
    Statistics.label("spilled").collect(spill.maxSizeBytes() > 0);
    Statistics.label("restarted over a non-empty spill").collect(recoveredAny);
    stream.down = false;
    stream.every = 0;
    clock.advance(Duration.ofMinutes(1));
    publisher.drain(Duration.ofMinutes(1));

    assertThat(stream.violations).isEmpty();
    assertThat(stream.owed.values()).allSatisfy(owed -> assertThat(owed).isEmpty());
    List<Chunk> expected = new ArrayList<>(taken);
    expected.removeAll(lost);
    assertThat(stream.accepted).containsAll(expected);
    assertThat(spill.entries()).isEmpty();
    assertThat(spill.maxSizeBytes()).isLessThanOrEqualTo(spillCapacity);
    assertThat(publisher.spillStats().spillFailures()).as("the publisher never asked the spill past its bound").isZero();
  }

  @Provide
  Arbitrary<Long> spillSizes() {
    return Arbitraries.longs().between(400_000, 3_000_000);
  }
}
