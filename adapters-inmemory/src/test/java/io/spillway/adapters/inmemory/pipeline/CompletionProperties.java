package io.spillway.adapters.inmemory.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.spillway.adapters.inmemory.InMemoryChunks;
import io.spillway.adapters.inmemory.InMemoryJobs;
import io.spillway.adapters.inmemory.ManualClock;
import io.spillway.adapters.inmemory.TableCapacity;
import io.spillway.application.codec.Codecs;
import io.spillway.application.port.out.PutOutcome;
import io.spillway.application.service.AvailabilityCheck;
import io.spillway.domain.chunk.Chunk;
import io.spillway.domain.event.Event;
import io.spillway.domain.job.Job;
import io.spillway.domain.job.JobClass;
import io.spillway.domain.job.JobId;
import io.spillway.domain.job.JobStatus;
import io.spillway.domain.manifest.Manifest;
import io.spillway.domain.testing.ChunkFixtures;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.BeforeTry;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A job becomes AVAILABLE as soon as its last chunk is stored and it is sealed — whichever comes
 * last, and whichever of several consumer processes (each with its own {@link AvailabilityCheck})
 * stores the last chunk — and never before. A chunk stored by a consumer that died before counting
 * it is caught by the sweep once the count has stood still for the quiet period.
 */
class CompletionProperties {
  private static final JobId JOB = new JobId("complete");
  private static final Duration QUIET = Duration.ofSeconds(10);

  // jqwik keeps one instance for all tries of a property: each try starts over
  private ManualClock clock;
  private InMemoryJobs jobs;
  private InMemoryChunks chunks;

  @BeforeTry
  @BeforeEach
  void freshStores() {
    clock = ManualClock.atEpochDay();
    jobs = new InMemoryJobs();
    chunks = new InMemoryChunks(new TableCapacity(TableCapacity.Settings.unlimited(), clock.now()), clock);
  }

  private AvailabilityCheck process() {
    return new AvailabilityCheck(jobs, chunks, clock, QUIET, Duration.ofMinutes(2));
  }

  private List<Chunk> openJob(int events) {
    List<Event> list = NothingSkippedTest.events(JOB, events, 1_000);
    jobs.create(Job.submitted(JOB, "complete", JobClass.STANDARD, 3, clock.now()));
    Job producing = jobs.find(JOB).orElseThrow();
    jobs.replace(producing, producing.transitionTo(JobStatus.PRODUCING, clock.now()));
    return ChunkFixtures.assemble(JOB, list, 3, Codecs.standard().writer());
  }

  /** What IntakeService.seal does once its chunks are published. */
  private void seal(List<Chunk> all, AvailabilityCheck producer) {
    jobs.putManifest(new Manifest(JOB, 3, all.size(), all.stream().mapToLong(Chunk::eventCount).sum(), 0, clock.now()));
    Job producing = jobs.find(JOB).orElseThrow();
    assertThat(jobs.replace(producing, producing.transitionTo(JobStatus.SEALED, clock.now()))).isTrue();
    producer.check(JOB);
  }

  private JobStatus status() {
    return jobs.find(JOB).orElseThrow().status();
  }

  @Property(tries = 200)
  void theLastOfTheSealAndTheChunksMakesTheJobAvailableWhicheverProcessStoresIt(@ForAll long seed,
      @ForAll @IntRange(min = 1, max = 1_500) int events, @ForAll @IntRange(min = 1, max = 4) int processes) {
    Random random = new Random(seed);
    List<Chunk> all = openJob(events);
    List<AvailabilityCheck> consumers = new ArrayList<>();
    for (int i = 0; i < processes; i++) consumers.add(process());
    List<Chunk> order = new ArrayList<>(all);
    Collections.shuffle(order, random);
    int sealAfter = random.nextInt(order.size() + 1);

    for (int i = 0; i <= order.size(); i++) {
      if (i == sealAfter) {
        seal(all, process());
      }
      if (i == order.size()) break;
      assertThat(status()).as("before chunk %d of %d is stored", i + 1, order.size()).isNotEqualTo(JobStatus.AVAILABLE);
      assertThat(chunks.putIfAbsent(order.get(i))).isInstanceOf(PutOutcome.Written.class);
      consumers.get(random.nextInt(processes)).stored(JOB, 1);
    }

    assertThat(status()).isEqualTo(JobStatus.AVAILABLE);
  }

  @Test
  void aChunkStoredButNeverCountedIsFoundByTheSweepOnceTheCountStandsStill() {
    List<Chunk> all = openJob(200);
    AvailabilityCheck consumer = process();
    for (Chunk c : all) chunks.putIfAbsent(c);
    consumer.stored(JOB, all.size() - 1); // the consumer died before counting the last one
    seal(all, process());
    assertThat(status()).isEqualTo(JobStatus.SEALED);

    AvailabilityCheck.Sweep first = consumer.sweep();
    clock.advance(QUIET.minusSeconds(1));
    AvailabilityCheck.Sweep early = consumer.sweep();
    assertThat(status()).isEqualTo(JobStatus.SEALED);
    clock.advance(Duration.ofSeconds(1));
    AvailabilityCheck.Sweep due = consumer.sweep();

    assertThat(first).isEqualTo(new AvailabilityCheck.Sweep(1, 0, 0, 0));
    assertThat(early.recounted()).isZero();
    assertThat(due).isEqualTo(new AvailabilityCheck.Sweep(0, 1, 1, 0));
    assertThat(status()).isEqualTo(JobStatus.AVAILABLE);
    assertThat(consumer.sweep()).as("no longer listed").isEqualTo(new AvailabilityCheck.Sweep(0, 0, 0, 0));
  }

  @Test
  void aJobMissingAChunkStaysSealedAndItsRecountsBackOff() {
    List<Chunk> all = openJob(200);
    assertThat(all.size()).isGreaterThan(1);
    AvailabilityCheck consumer = process();
    for (Chunk c : all.subList(1, all.size())) chunks.putIfAbsent(c);
    consumer.stored(JOB, all.size() - 1);
    seal(all, process());

    int recounts = 0;
    for (int s = 0; s < 60; s++) { // ten minutes of sweeps, every 10 s
      recounts += consumer.sweep().recounted();
      clock.advance(Duration.ofSeconds(10));
    }

    assertThat(status()).isEqualTo(JobStatus.SEALED);
    // quiet for 10 s, then recounts 10, 20, 40, 80, 120, 120 … s apart: not one per sweep
    assertThat(recounts).isBetween(6, 9);
    chunks.putIfAbsent(all.get(0));
    consumer.stored(JOB, 1);
    assertThat(status()).isEqualTo(JobStatus.AVAILABLE);
  }

  @Test
  void aCountThatMovesIsNotRecounted() {
    List<Chunk> all = openJob(2_000);
    assertThat(all.size()).isGreaterThan(3);
    AvailabilityCheck consumer = process();
    seal(all, process());

    int recounts = 0;
    for (Chunk c : all.subList(0, all.size() - 1)) {
      chunks.putIfAbsent(c);
      consumer.stored(JOB, 1);
      recounts += consumer.sweep().recounted();
      clock.advance(QUIET);
    }

    assertThat(recounts).isZero();
  }
}
