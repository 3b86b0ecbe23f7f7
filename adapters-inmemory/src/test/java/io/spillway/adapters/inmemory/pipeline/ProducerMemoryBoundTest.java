package io.spillway.adapters.inmemory.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spillway.adapters.inmemory.InMemoryChunks;
import io.spillway.adapters.inmemory.InMemoryJobs;
import io.spillway.adapters.inmemory.ManualClock;
import io.spillway.adapters.inmemory.SequentialJobIds;
import io.spillway.adapters.inmemory.TableCapacity;
import io.spillway.application.codec.Codecs;
import io.spillway.application.port.in.BackpressureException;
import io.spillway.application.port.in.OpenJob;
import io.spillway.application.port.out.ChunkStream;
import io.spillway.application.port.out.PublishOutcome;
import io.spillway.application.service.AvailabilityCheck;
import io.spillway.application.service.ChunkPublisher;
import io.spillway.application.service.IntakeService;
import io.spillway.application.service.IntakeSettings;
import io.spillway.application.service.PublisherSettings;
import io.spillway.domain.chunk.Chunk;
import io.spillway.domain.chunk.ChunkAssembler;
import io.spillway.domain.event.Event;
import io.spillway.domain.job.JobClass;
import io.spillway.domain.job.JobId;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/** The producer's memory bounds hold for linger and seal cuts, across many open jobs and groups. */
class ProducerMemoryBoundTest {
  private static final long MAX_BUFFERED = 4L * 409_600;

  /** A stream that refuses while {@code open} is false, and records what it accepted. */
  static final class Gate implements ChunkStream {
    boolean open;
    Random throttle;
    final List<Chunk> accepted = new ArrayList<>();

    @Override
    public List<PublishOutcome> publish(List<Chunk> batch) {
      List<PublishOutcome> out = new ArrayList<>();
      for (Chunk c : batch) {
        if (open && (throttle == null || throttle.nextBoolean())) {
          accepted.add(c);
          out.add(new PublishOutcome.Accepted("s", String.valueOf(accepted.size())));
        } else {
          out.add(new PublishOutcome.Throttled("refused"));
        }
      }
      return out;
    }
  }

  static final class Rig {
    final ManualClock clock = ManualClock.atEpochDay();
    final Gate stream = new Gate();
    final ChunkPublisher publisher;
    final IntakeService intake;

    Rig(PublisherSettings.Backpressure mode, long maxAssembled) {
      InMemoryJobs jobs = new InMemoryJobs();
      InMemoryChunks chunks = new InMemoryChunks(new TableCapacity(TableCapacity.Settings.unlimited(), clock.now()), clock);
      publisher = new ChunkPublisher(stream, clock,
          PublisherSettings.defaults().withMaxBufferedBytes(MAX_BUFFERED).withBackpressure(mode, Duration.ofSeconds(2)));
      intake = new IntakeService(jobs, new SequentialJobIds(), clock, publisher, Codecs.standard().writer(), ChunkAssembler.Settings.defaults(),
          new AvailabilityCheck(jobs, chunks, clock), Duration.ofSeconds(5), new IntakeSettings(maxAssembled));
    }
  }

  /** An event of about 40 KB that compresses poorly, so a lingering chunk of one is far from tiny. */
  private static Event event(JobId job, long seq, String group, Random random) {
    byte[] noise = new byte[30_000];
    random.nextBytes(noise);
    byte[] payload = ("{\"r\":\"" + Base64.getEncoder().encodeToString(noise) + "\"}").getBytes();
    return new Event(job, seq, "e-" + seq, Instant.parse("2026-01-01T00:00:00Z").plusMillis(seq), "t", group, 1, payload);
  }

  @Test
  void lingerCutsOfManyOpenJobsNeverPushThePublisherPastItsBound_andTheRestWaitsInTheAssemblers() {
    Rig rig = new Rig(PublisherSettings.Backpressure.FAIL_FAST, Long.MAX_VALUE / 4);
    Random random = new Random(7);
    List<JobId> ids = new ArrayList<>();
    for (int j = 0; j < 100; j++) {
      JobId id = new JobId("job-" + j);
      ids.add(id);
      rig.intake.open(new OpenJob(Optional.of(id), "j", JobClass.STANDARD, 1));
      rig.intake.append(id, event(id, 0, "g", random));
    }
    for (int tick = 0; tick < 5; tick++) {
      rig.clock.advance(ChunkAssembler.Settings.defaults().linger());
      rig.intake.flushLingering();
      assertThat(rig.publisher.stats().maxBufferedBytes()).isLessThanOrEqualTo(MAX_BUFFERED);
    }
    long stillPending = ids.stream().mapToLong(rig.intake::pendingEvents).sum();
    assertThat(stillPending).as("lingering events without room stay in their assemblers").isPositive();
    assertThatThrownBy(() -> rig.intake.seal(ids.get(99))).as("a seal waits for room or the stream, then refuses").isInstanceOf(BackpressureException.class);

    rig.stream.open = true;
    for (JobId id : ids) {
      rig.intake.seal(id);
    }
    assertThat(rig.stream.accepted).hasSize(100);
    assertThat(rig.publisher.stats().maxBufferedBytes()).isLessThanOrEqualTo(MAX_BUFFERED);
  }

  @Test
  void anAppendPastTheProcessBoundMeetsBackpressureNamingIt() {
    long bound = 2 * ChunkPublisher.RESERVE_PER_APPEND;
    Rig rig = new Rig(PublisherSettings.Backpressure.BLOCK, bound);
    Random random = new Random(3);
    int accepted = 0;
    try {
      for (int j = 0; j < 100; j++) {
        JobId id = new JobId("job-" + j);
        rig.intake.open(new OpenJob(Optional.of(id), "j", JobClass.STANDARD, 1));
        rig.intake.append(id, event(id, 0, "g", random));
        accepted++;
      }
    } catch (BackpressureException e) {
      assertThat(e).hasMessageContaining("of " + bound + " assembled-but-unpublished bytes").hasMessageContaining("after PT2S");
    }
    assertThat(accepted).isBetween(1, 99);
    assertThat(rig.intake.assembledRawBytes() + rig.publisher.bufferedBytes()).isLessThanOrEqualTo(bound);
    assertThatThrownBy(() -> new IntakeSettings(bound - 1)).hasMessageContaining("intake.maxAssembledBytes");
  }

  /**
   * Random jobs, groups, appends, linger ticks and seals against a randomly throttling stream: the
   * publisher never holds more than its bound; raw plus buffered bytes stay under the process bound
   * after every accepted append; once the stream recovers every accepted event is published.
   */
  @Property(tries = 15)
  void theBoundsHoldAtEveryStepAndEveryAcceptedEventIsPublishedOnceTheStreamRecovers(
      @ForAll long seed, @ForAll @IntRange(min = 2, max = 12) int jobCount, @ForAll @IntRange(min = 20, max = 120) int steps) {
    long bound = 3 * ChunkPublisher.RESERVE_PER_APPEND + 400_000;
    Rig rig = new Rig(PublisherSettings.Backpressure.FAIL_FAST, bound);
    Random random = new Random(seed);
    rig.stream.throttle = new Random(seed + 1);
    Map<JobId, Long> next = new HashMap<>();
    Set<JobId> sealed = new HashSet<>();
    for (int j = 0; j < jobCount; j++) {
      JobId id = new JobId("job-" + j);
      rig.intake.open(new OpenJob(Optional.of(id), "j", JobClass.STANDARD, 2));
      next.put(id, 0L);
    }
    List<JobId> ids = new ArrayList<>(next.keySet());
    long acceptedEvents = 0;
    for (int s = 0; s < steps; s++) {
      rig.stream.open = random.nextInt(3) == 0;
      JobId id = ids.get(random.nextInt(ids.size()));
      int op = random.nextInt(10);
      try {
        if (op < 7 && !sealed.contains(id)) {
          rig.intake.append(id, event(id, next.get(id), "g" + random.nextInt(3), random));
          next.merge(id, 1L, Long::sum);
          acceptedEvents++;
          assertThat(rig.intake.assembledRawBytes() + rig.publisher.bufferedBytes()).isLessThanOrEqualTo(bound);
        } else if (op < 9) {
          rig.clock.advance(ChunkAssembler.Settings.defaults().linger());
          rig.intake.flushLingering();
        } else if (!sealed.contains(id)) {
          rig.intake.seal(id);
          sealed.add(id);
        }
      } catch (BackpressureException refused) {
        // refused, nothing accepted: the bound is what refused it
      }
      assertThat(rig.publisher.stats().maxBufferedBytes()).isLessThanOrEqualTo(MAX_BUFFERED);
    }
    rig.stream.open = true;
    rig.stream.throttle = null;
    for (JobId id : ids) {
      if (!sealed.contains(id)) {
        rig.intake.seal(id);
      }
    }
    assertThat(rig.stream.accepted.stream().mapToLong(Chunk::eventCount).sum()).isEqualTo(acceptedEvents);
    assertThat(rig.publisher.stats().maxBufferedBytes()).isLessThanOrEqualTo(MAX_BUFFERED);
  }
}
