package io.spillway.application.service;

import io.spillway.application.port.out.Chunks;
import io.spillway.application.port.out.Clock;
import io.spillway.application.port.out.Jobs;
import io.spillway.domain.job.Job;
import io.spillway.domain.job.JobId;
import io.spillway.domain.job.JobStatus;
import io.spillway.domain.manifest.Manifest;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.LongAdder;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves a SEALED job to AVAILABLE once every chunk its manifest promises is stored (each was
 * verified before it was put). Both the sealing producer and the consumers ask, so whichever
 * finishes last makes the move; the move is a conditional replace, so asking twice is harmless.
 *
 * <p>Counting a job's stored chunks reads every item of its buckets, which DynamoDB bills by size.
 * So a consumer counts again only when its last count plus the chunks it has stored since could
 * complete the manifest, or when {@code recount} has passed since (other consumers may be storing
 * the rest).
 */
public final class AvailabilityCheck {
  private static final Logger log = LoggerFactory.getLogger(AvailabilityCheck.class);

  private final Jobs jobs;
  private final Chunks chunks;
  private final Clock clock;
  private final Set<JobId> settled = ConcurrentHashMap.newKeySet();
  private final Duration recount;
  private final Map<JobId, Tally> tallies = new ConcurrentHashMap<>();

  /** What this process knows of a job's stored chunks: the last count, and what it stored since. */
  private static final class Tally {
    long counted;
    final LongAdder storedSince = new LongAdder();
    Instant countedAt;
  }

  public AvailabilityCheck(Jobs jobs, Chunks chunks, Clock clock) {
    this(jobs, chunks, clock, Duration.ofSeconds(2));
  }

  public AvailabilityCheck(Jobs jobs, Chunks chunks, Clock clock, Duration recount) {
    this.jobs = jobs;
    this.chunks = chunks;
    this.clock = clock;
    this.recount = recount;
  }

  /** A chunk of the job was stored by this process. */
  public void stored(JobId id) {
    tallies.computeIfAbsent(id, k -> new Tally()).storedSince.increment();
  }

  /** Checks the job and returns its status afterwards (empty when unknown). */
  public Optional<JobStatus> check(JobId id) {
    if (settled.contains(id)) {
      return Optional.of(JobStatus.AVAILABLE);
    }
    Optional<Job> found = jobs.find(id);
    if (found.isEmpty()) {
      return Optional.empty();
    }
    Job job = found.get();
    if (job.status() != JobStatus.SEALED) {
      if (job.status() == JobStatus.AVAILABLE) {
        settled.add(id);
      }
      return Optional.of(job.status());
    }
    Optional<Manifest> manifest = jobs.manifest(id);
    if (manifest.isEmpty()) {
      return Optional.of(job.status());
    }
    long expected = manifest.get().chunkCount();
    Tally tally = tallies.computeIfAbsent(id, k -> new Tally());
    Instant now = clock.now();
    synchronized (tally) {
      boolean mayBeComplete = tally.counted + tally.storedSince.sum() >= expected;
      if (!mayBeComplete && tally.countedAt != null && Duration.between(tally.countedAt, now).compareTo(recount) < 0) {
        return Optional.of(job.status());
      }
      tally.countedAt = now;
      tally.storedSince.reset();
      tally.counted = 0;
      for (int b = 0; b < manifest.get().buckets(); b++) {
        tally.counted += chunks.count(id, b);
      }
    }
    long stored = tally.counted;
    if (stored != expected) {
      if (stored > expected) {
        log.error("job {} stores {} chunks but its manifest promises {}: left SEALED", id, stored, expected);
      }
      return Optional.of(job.status());
    }
    if (jobs.replace(job, job.transitionTo(JobStatus.AVAILABLE, now))) {
      log.info("job {} is AVAILABLE: {} chunks, {} events", id, expected, manifest.get().eventCount());
    }
    Optional<JobStatus> after = jobs.find(id).map(Job::status);
    if (after.isPresent() && after.get() == JobStatus.AVAILABLE) {
      settled.add(id);
      tallies.remove(id);
    }
    return after;
  }
}
