package io.spillway.adapters.inmemory.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.spillway.adapters.inmemory.InMemoryChunks;
import io.spillway.adapters.inmemory.InMemoryDeadLetters;
import io.spillway.adapters.inmemory.InMemoryJobAnnouncements;
import io.spillway.adapters.inmemory.InMemoryJobAnnouncements.Refusal;
import io.spillway.adapters.inmemory.InMemoryJobs;
import io.spillway.adapters.inmemory.InMemoryStream;
import io.spillway.adapters.inmemory.ManualClock;
import io.spillway.adapters.inmemory.SequentialJobIds;
import io.spillway.adapters.inmemory.StreamLimits;
import io.spillway.adapters.inmemory.TableCapacity;
import io.spillway.application.codec.Codecs;
import io.spillway.application.port.in.OpenJob;
import io.spillway.application.port.in.StreamRecord;
import io.spillway.application.port.out.ChunkStream;
import io.spillway.application.port.out.JobAvailable;
import io.spillway.application.port.out.JobFailed;
import io.spillway.application.port.out.JobIncomplete;
import io.spillway.application.port.out.PublishOutcome;
import io.spillway.application.port.out.PutOutcome;
import io.spillway.application.service.AvailabilityCheck;
import io.spillway.application.service.ChunkPublisher;
import io.spillway.application.service.IngestService;
import io.spillway.application.service.IngestSettings;
import io.spillway.application.service.IntakeService;
import io.spillway.application.service.JobAnnouncer;
import io.spillway.application.service.PublisherSettings;
import io.spillway.application.service.WriteRateGovernor;
import io.spillway.domain.chunk.Chunk;
import io.spillway.domain.chunk.ChunkAssembler;
import io.spillway.domain.event.Event;
import io.spillway.domain.job.Job;
import io.spillway.domain.job.JobClass;
import io.spillway.domain.job.JobId;
import io.spillway.domain.job.JobStatus;
import io.spillway.domain.manifest.Manifest;
import io.spillway.domain.testing.ChunkFixtures;
import io.spillway.domain.testing.DomainArbitraries;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The process whose status move wins announces the job — the consumer whose count completes it,
 * the producer whose seal does, the sweep that marks it INCOMPLETE, an operator who marks it
 * FAILED — exactly once when the destination accepts, and an announcement the destination refused
 * waits in that process and is delivered by a later sweep or linger tick, with backoff.
 */
class JobAnnouncementDeliveryTest {
  private static final JobId JOB = JobId.of("announced");
  private static final JobAnnouncer.Settings RETRIES = new JobAnnouncer.Settings(Duration.ofSeconds(1), Duration.ofMinutes(5), 10_000);

  private final ManualClock clock = ManualClock.atEpochDay();
  private final Codecs codecs = Codecs.standard();
  private final InMemoryJobs jobs = new InMemoryJobs();
  private final InMemoryChunks chunks = new InMemoryChunks(new TableCapacity(TableCapacity.Settings.unlimited(), clock.now()), clock);
  private final InMemoryStream stream = new InMemoryStream(StreamLimits.unbounded(2), clock);
  private final InMemoryJobAnnouncements bus = new InMemoryJobAnnouncements();
  private final java.util.concurrent.atomic.AtomicLong published = new java.util.concurrent.atomic.AtomicLong();

  /** One process's availability check, announcing to the shared bus through its own announcer. */
  private AvailabilityCheck process() {
    return process(AvailabilityCheck.Settings.defaults());
  }

  private AvailabilityCheck process(AvailabilityCheck.Settings settings) {
    return new AvailabilityCheck(jobs, chunks, clock, settings, new JobAnnouncer(bus, jobs, clock, RETRIES));
  }

  private IngestService consumer(AvailabilityCheck availability) {
    return new IngestService(chunks, new InMemoryDeadLetters(), availability, new WriteRateGovernor(clock, 1e9), codecs, clock,
        IngestSettings.defaults());
  }

  private IntakeService producer(ChunkStream to, AvailabilityCheck availability) {
    return new IntakeService(jobs, new SequentialJobIds(), clock, new ChunkPublisher(to, clock, PublisherSettings.defaults()), codecs.writer(),
        ChunkAssembler.Settings.defaults(), availability, Duration.ofMinutes(1));
  }

  private static Event event(int i) {
    return new Event(JOB, i, "e-" + i, Instant.parse("2026-11-28T00:00:00Z").plusMillis(i), "t", "g" + (i % 3), 1,
        DomainArbitraries.randomBytes(i, 300));
  }

  private Manifest produceAndSeal(IntakeService intake) {
    intake.open(new OpenJob(Optional.of(JOB), "nightly scoring", JobClass.COMPLEX, 2));
    for (int i = 0; i < 60; i++) {
      intake.append(JOB, event(i));
    }
    return intake.seal(JOB);
  }

  private List<StreamRecord> everything() {
    List<StreamRecord> all = new ArrayList<>();
    for (String shard : stream.shardIds()) {
      all.addAll(stream.read(shard, 0, 10_000).records());
    }
    return all;
  }

  private Job job() {
    return jobs.find(JOB).orElseThrow();
  }

  /** A stream whose consumer stores every chunk the moment it is published, so the seal is the job's last step. */
  private ChunkStream storedAtOnce(IngestService consumer) {
    return batch -> {
      List<PublishOutcome> out = new ArrayList<>();
      List<StreamRecord> records = new ArrayList<>();
      for (Chunk c : batch) {
        String seq = String.valueOf(published.getAndIncrement());
        records.add(new StreamRecord("s", seq, clock.now(), c.record()));
        out.add(new PublishOutcome.Accepted("s", seq));
      }
      consumer.ingest(records);
      return out;
    };
  }

  @Test
  void theConsumerWhoseCountCompletesTheJobAnnouncesItOnceWithItsManifest() {
    Manifest manifest = produceAndSeal(producer(stream, process()));
    assertThat(bus.accepted()).as("sealed, nothing stored yet").isEmpty();

    AvailabilityCheck consumerCheck = process();
    consumer(consumerCheck).ingest(everything());
    consumer(process()).ingest(everything()); // redelivered to another consumer: duplicates, no move, no announcement
    consumerCheck.sweep();

    assertThat(job().status()).isEqualTo(JobStatus.AVAILABLE);
    assertThat(bus.accepted()).containsExactly(JobAvailable.of(job(), manifest));
    JobAvailable announced = (JobAvailable) bus.accepted().get(0);
    assertThat(announced.chunkCount()).isEqualTo(manifest.chunkCount()).isPositive();
    assertThat(announced.eventCount()).isEqualTo(60);
    assertThat(announced.datasetChecksum()).isEqualTo(manifest.datasetChecksum());
    assertThat(announced.at()).isEqualTo(job().updatedAt());
  }

  @Test
  void theProducerWhoseSealCompletesTheJobAnnouncesIt() {
    IntakeService intake = producer(storedAtOnce(consumer(process())), process());

    Manifest manifest = produceAndSeal(intake);

    assertThat(job().status()).isEqualTo(JobStatus.AVAILABLE);
    assertThat(bus.accepted()).containsExactly(JobAvailable.of(job(), manifest));
  }

  @Test
  void ofTwoProcessesThatBothSeeTheJobCompleteOnlyTheOneWhoseMoveWinsAnnounces() {
    jobs.create(Job.submitted(JOB, "raced", JobClass.STANDARD, 1, clock.now()));
    Manifest manifest = new Manifest(JOB, 1, 4, 10, 9L, clock.now());
    jobs.putManifest(manifest);
    jobs.replace(job(), job().transitionTo(JobStatus.SEALED, clock.now()));
    jobs.addStored(JOB, 4);
    // the loser read the job SEALED and complete just before the winner moved it
    io.spillway.application.port.out.StoredChunks before = jobs.progress(JOB).orElseThrow();
    io.spillway.application.port.out.Jobs staleReads = (io.spillway.application.port.out.Jobs) java.lang.reflect.Proxy.newProxyInstance(
        getClass().getClassLoader(), new Class<?>[] {io.spillway.application.port.out.Jobs.class},
        (proxy, method, args) -> method.getName().equals("progress") ? Optional.of(before) : method.invoke(jobs, args));
    AvailabilityCheck loser = new AvailabilityCheck(staleReads, chunks, clock, AvailabilityCheck.Settings.defaults(),
        new JobAnnouncer(bus, staleReads, clock, RETRIES));

    assertThat(process().check(JOB)).contains(JobStatus.AVAILABLE);
    assertThat(loser.check(JOB)).contains(JobStatus.AVAILABLE);

    assertThat(bus.accepted()).containsExactly(JobAvailable.of(job(), manifest));
  }

  @Test
  void aRefusedAnnouncementWaitsAndTheNextSweepDeliversItOnceItsBackoffHasPassed() {
    produceAndSeal(producer(stream, process()));
    AvailabilityCheck consumerCheck = process();
    bus.refuseNext(1, Refusal.THROTTLED);

    consumer(consumerCheck).ingest(everything());
    assertThat(job().status()).as("the move does not wait for the announcement").isEqualTo(JobStatus.AVAILABLE);
    assertThat(bus.accepted()).isEmpty();
    assertThat(consumerCheck.announcer().waiting()).hasSize(1);

    clock.advance(Duration.ofMillis(999));
    consumerCheck.sweep();
    assertThat(bus.attempts()).as("not due before its backoff").isEqualTo(1);

    clock.advance(Duration.ofMillis(1));
    consumerCheck.sweep();
    assertThat(bus.accepted()).hasSize(1).first().isInstanceOf(JobAvailable.class);
    assertThat(consumerCheck.announcer().stats()).isEqualTo(new JobAnnouncer.Stats(1, 1, 0, 0, 0));
  }

  @Test
  void anAnnouncementOwedByAProcessThatDiedIsDeliveredByAnotherProcessesSweepAMinuteLater() {
    produceAndSeal(producer(stream, process()));
    bus.refuseNext(1, Refusal.THROTTLED);
    // the process that completes the job cannot announce it, and dies with the announcement in its retry list
    consumer(process()).ingest(everything());
    assertThat(job().status()).isEqualTo(JobStatus.AVAILABLE);
    assertThat(bus.accepted()).isEmpty();
    assertThat(jobs.owedAnnouncements()).as("owed in the store, not only in the dead process").containsExactly(JOB);

    AvailabilityCheck survivor = process();
    survivor.sweep();
    assertThat(bus.accepted()).as("left to the process that moved it for a minute").isEmpty();
    clock.advance(Duration.ofMinutes(1));
    survivor.sweep();

    assertThat(bus.accepted()).containsExactly(JobAvailable.of(job(), jobs.manifest(JOB).orElseThrow()));
    assertThat(jobs.owedAnnouncements()).as("delivered: no longer owed").isEmpty();
    assertThat(survivor.announcer().stats().recovered()).isEqualTo(1);
    clock.advance(Duration.ofMinutes(5));
    survivor.sweep();
    assertThat(bus.accepted()).as("announced once").hasSize(1);
  }

  @Test
  void aDeliveredAnnouncementIsNoLongerOwedAndWithoutADestinationNothingIsOwed() {
    produceAndSeal(producer(stream, process()));
    consumer(process()).ingest(everything());
    assertThat(bus.accepted()).hasSize(1);
    assertThat(jobs.owedAnnouncements()).isEmpty();

    InMemoryJobs quiet = new InMemoryJobs();
    quiet.create(Job.submitted(JOB, "unannounced", JobClass.STANDARD, 1, clock.now()));
    JobAnnouncer silent = JobAnnouncer.silent(quiet, clock);
    silent.owing(JOB);
    assertThat(quiet.owedAnnouncements()).as("nowhere to announce: nothing to owe").isEmpty();
  }

  @Test
  void theProducersLingerTickRetriesWhatItsSealCouldNotAnnounce() {
    IntakeService intake = producer(storedAtOnce(consumer(process())), process());
    bus.refuseNext(1, Refusal.THROTTLED);

    produceAndSeal(intake);
    assertThat(job().status()).isEqualTo(JobStatus.AVAILABLE);
    assertThat(bus.accepted()).isEmpty();

    clock.advance(Duration.ofSeconds(1));
    intake.flushLingering();
    assertThat(bus.accepted()).hasSize(1);
  }

  @Test
  void retryableRefusalsBackOffDoublingAndAPermanentOneWaitsTheLongestBackoff() {
    JobAnnouncer announcer = new JobAnnouncer(bus, jobs, clock, RETRIES);
    bus.refuseNext(3, Refusal.THROTTLED).refuseNext(1, Refusal.DENIED);
    JobFailed failed = JobFailed.of(failedJob(), 0, Optional.empty());
    List<Long> attemptsAt = new ArrayList<>();

    assertThat(announcer.announce(failed)).isEqualTo(JobAnnouncer.Delivery.WAITING);
    Instant start = clock.now();
    for (int s = 1; s <= 400; s++) {
      clock.advanceTo(start.plusSeconds(s));
      long before = bus.attempts();
      announcer.retryDue();
      if (bus.attempts() > before) {
        attemptsAt.add((long) s);
      }
    }

    // failures at 0 (wait 1 s), 1 (wait 2 s), 3 (throttled: wait 4 s), 7 (denied: wait 5 min), delivered at 307
    assertThat(attemptsAt).containsExactly(1L, 3L, 7L, 307L);
    assertThat(bus.accepted()).containsExactly(failed);
    assertThat(announcer.waiting()).isEmpty();
  }

  @Test
  void theSameAnnouncementHandedInAgainWhileItWaitsIsKeptOnce() {
    JobAnnouncer announcer = new JobAnnouncer(bus, jobs, clock, RETRIES);
    JobFailed failed = JobFailed.of(failedJob(), 0, Optional.empty());
    bus.refuseNext(2, Refusal.THROTTLED);

    announcer.announce(failed);
    announcer.announce(failed);

    assertThat(announcer.waiting()).containsExactly(failed);
  }

  @Test
  void pastTheLimitTheOldestWaitingAnnouncementIsDroppedAndCounted() {
    JobAnnouncer announcer = new JobAnnouncer(bus, jobs, clock, new JobAnnouncer.Settings(Duration.ofSeconds(1), Duration.ofMinutes(5), 2));
    bus.refuseNext(3, Refusal.THROTTLED);
    List<JobFailed> failed = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      failed.add(new JobFailed(JobId.of("f-" + i), "f", JobClass.STANDARD, 0, Optional.empty(), clock.now()));
      announcer.announce(failed.get(i));
    }

    assertThat(announcer.waiting()).containsExactly(failed.get(1), failed.get(2));
    assertThat(announcer.stats().dropped()).isEqualTo(1);
  }

  @Test
  void drainRetriesOnTheClockUntilDeliveredOrTheTimeoutPasses() throws InterruptedException {
    JobAnnouncer announcer = new JobAnnouncer(bus, jobs, clock, RETRIES);
    bus.refuseNext(2, Refusal.THROTTLED);
    announcer.announce(JobFailed.of(failedJob(), 0, Optional.empty()));

    assertThat(announcer.drain(Duration.ofSeconds(10))).isZero();
    assertThat(bus.accepted()).hasSize(1);

    bus.refuseNext(100, Refusal.DENIED);
    Instant before = clock.now();
    announcer.announce(new JobFailed(JobId.of("denied"), "denied", JobClass.STANDARD, 0, Optional.empty(), clock.now()));
    assertThat(announcer.drain(Duration.ofMinutes(1))).as("still waiting, lost if the process exits now").isEqualTo(1);
    assertThat(clock.now()).isEqualTo(before.plus(Duration.ofMinutes(1)));
  }

  @Test
  void aJobTheSweepMarksIncompleteIsAnnouncedWithItsMissingChunks() {
    Duration retention = Duration.ofHours(24);
    AvailabilityCheck sweeper = process(AvailabilityCheck.Settings.defaults().withRetention(retention));
    List<Event> events = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      events.add(new Event(JOB, i, "e-" + i, Instant.parse("2026-01-01T00:00:00Z").plusMillis(i), "t", "g" + (i % 10), 1,
          DomainArbitraries.randomBytes(i, 200)));
    }
    List<Chunk> all = ChunkFixtures.assemble(JOB, events, 3, codecs.writer());
    jobs.create(Job.submitted(JOB, "lossy", JobClass.STANDARD, 3, clock.now()));
    all.subList(3, all.size()).forEach(c -> assertThat(chunks.putIfAbsent(c)).isInstanceOf(PutOutcome.Written.class));
    Manifest manifest = new Manifest(JOB, 3, all.size(), events.size(), 77L, clock.now());
    jobs.putManifest(manifest);
    jobs.replace(job(), job().transitionTo(JobStatus.SEALED, clock.now()));

    clock.advance(retention.plus(AvailabilityCheck.Settings.DEFAULT_GRACE));
    sweeper.sweep();

    assertThat(job().status()).isEqualTo(JobStatus.INCOMPLETE);
    assertThat(bus.accepted()).containsExactly(JobIncomplete.of(job(), manifest, all.size() - 3));
    assertThat(((JobIncomplete) bus.accepted().get(0)).missingChunks()).isEqualTo(3);
  }

  @Test
  void anOperatorWhoMarksAJobFailedAnnouncesItFromItsRecords() {
    JobAnnouncer announcer = new JobAnnouncer(bus, jobs, clock, RETRIES);
    Job failed = failedJob();

    Optional<io.spillway.application.port.out.JobAnnouncement> announced = announcer.announceSettled(failed.id(), Optional.of("the producer ran out of disk"));

    JobFailed expected = new JobFailed(failed.id(), failed.name(), failed.jobClass(), 0, Optional.of("the producer ran out of disk"),
        failed.updatedAt());
    assertThat(announced).contains(expected);
    assertThat(bus.accepted()).containsExactly(expected);
  }

  @Test
  void aJobThatHasNotSettledIsNotAnnounced() {
    jobs.create(Job.submitted(JOB, "still running", JobClass.STANDARD, 1, clock.now()));
    JobAnnouncer announcer = new JobAnnouncer(bus, jobs, clock, RETRIES);

    assertThat(announcer.announceSettled(JOB, Optional.empty())).isEmpty();
    assertThat(announcer.announceSettled(JobId.of("unknown"), Optional.empty())).isEmpty();
    assertThat(bus.attempts()).isZero();
  }

  /** What `jobs fail` does to the record: a PRODUCING job moved to FAILED. */
  private Job failedJob() {
    JobId id = JobId.of("failing");
    if (jobs.find(id).isEmpty()) {
      jobs.create(Job.submitted(id, "failing job", JobClass.STANDARD, 1, clock.now()));
      Job submitted = jobs.find(id).orElseThrow();
      jobs.replace(submitted, submitted.transitionTo(JobStatus.FAILED, clock.now()));
    }
    return jobs.find(id).orElseThrow();
  }
}
