package io.spillway.adapters.inmemory.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.spillway.adapters.inmemory.InMemoryStreamConsumer;
import io.spillway.adapters.inmemory.StreamLimits;
import io.spillway.adapters.inmemory.TableCapacity;
import io.spillway.application.port.in.AppendOutcome;
import io.spillway.application.port.in.BackpressureException;
import io.spillway.application.port.in.OpenJob;
import io.spillway.application.service.IngestSettings;
import io.spillway.application.service.PublisherSettings;
import io.spillway.application.service.PublisherSettings.Backpressure;
import io.spillway.domain.chunk.StoredItemLayout;
import io.spillway.domain.event.Event;
import io.spillway.domain.job.JobClass;
import io.spillway.domain.job.JobId;
import io.spillway.domain.job.JobStatus;
import io.spillway.domain.testing.DomainArbitraries;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Example;

/**
 * When the stream throttles, the producer backs off and pushes back; no accepted event is lost and
 * the buffer stays bounded — in BLOCK mode and in FAIL_FAST mode, where the caller retries.
 */
class ThrottledStreamProperties {
  private static final JobId JOB = new JobId("throttled");
  private static final long BUFFER = 4L * StoredItemLayout.ITEM_LIMIT_BYTES;

  /** Incompressible payloads of 1–40 KB: chunks near 400 KB, so one shard's 1 MB/s binds at once. */
  @Provide
  Arbitrary<List<Event>> heavyJobs() {
    Arbitrary<byte[]> payloads = Combinators.combine(Arbitraries.longs(), Arbitraries.integers().between(1_000, 40_000))
        .as(DomainArbitraries::randomBytes);
    return DomainArbitraries.jobEvents(JOB, 20, 160, payloads, 3);
  }

  @Property(tries = 25)
  void noAcceptedEventIsLostWhileTheStreamThrottles(@ForAll("heavyJobs") List<Event> events, @ForAll boolean failFast) {
    PublisherSettings settings = PublisherSettings.defaults().withMaxBufferedBytes(BUFFER)
        .withBackpressure(failFast ? Backpressure.FAIL_FAST : Backpressure.BLOCK, Duration.ofSeconds(30));
    try (Harness h = new Harness(StreamLimits.kinesis(1), TableCapacity.Settings.unlimited(), settings)) {
      h.intake.open(new OpenJob(Optional.of(JOB), "throttled", JobClass.COMPLEX, 2));
      List<Event> accepted = new ArrayList<>();
      int refusals = 0;
      for (Event e : events) {
        while (true) {
          try {
            assertThat(h.intake.append(JOB, e)).isEqualTo(AppendOutcome.ACCEPTED);
            accepted.add(e);
            break;
          } catch (BackpressureException refused) {
            refusals++;
            h.clock.advance(Duration.ofSeconds(1)); // the caller waits, then offers the same event again
          }
        }
        assertThat(h.publisher.bufferedBytes()).isLessThanOrEqualTo(BUFFER);
      }
      h.intake.seal(JOB);
      InMemoryStreamConsumer consumer = new InMemoryStreamConsumer(h.stream, h.newConsumer(IngestSettings.defaults()), 10_000);
      while (!consumer.caughtUp()) {
        consumer.pollOnce();
        h.clock.advance(Duration.ofMillis(250));
      }

      assertThat(h.jobs.find(JOB).orElseThrow().status()).isEqualTo(JobStatus.AVAILABLE);
      List<Event> back = h.readBack(JOB);
      back.sort(Comparator.comparingLong(Event::sequence));
      assertThat(back).containsExactlyElementsOf(accepted);
      assertThat(accepted).hasSize(events.size());
      assertThat(h.stream.lostRecords()).isZero();
      if (!failFast) {
        assertThat(refusals).isZero();
      }
    }
  }

  @Example
  void aBurstAgainstOneShardIsThrottledAndStillDelivered() {
    List<Event> events = new ArrayList<>();
    for (int i = 0; i < 120; i++) {
      events.add(new Event(JOB, i, "e-" + i, Instant.parse("2026-01-01T00:00:00Z").plusMillis(i), "t", "g" + (i % 2), 1,
          DomainArbitraries.randomBytes(i, 30_000)));
    }
    PublisherSettings settings = PublisherSettings.defaults().withMaxBufferedBytes(BUFFER);
    try (Harness h = new Harness(StreamLimits.kinesis(1), TableCapacity.Settings.unlimited(), settings)) {
      Instant start = h.clock.now();
      h.intake.open(new OpenJob(Optional.of(JOB), "burst", JobClass.COMPLEX, 2));
      h.intake.appendAll(JOB, events);
      h.intake.seal(JOB);
      assertThat(h.stream.throttledRecords()).as("the 1 MB/s shard limit was hit").isPositive();
      assertThat(h.publisher.stats().chunksPublished()).isEqualTo(h.stream.acceptedRecords());
      long bytes = h.stream.acceptedBytes();
      long seconds = Duration.between(start, h.clock.now()).toSeconds();
      assertThat(bytes).as("the stream never took more than 1 MB per second").isLessThanOrEqualTo((seconds + 1) * 1_000_000L);
    }
  }
}
