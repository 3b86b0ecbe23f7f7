package io.spillway.application.service;

import io.spillway.application.port.out.Chunks;
import io.spillway.application.port.out.Clock;
import io.spillway.application.port.out.Jobs;
import io.spillway.domain.job.Job;
import io.spillway.domain.job.JobId;
import io.spillway.domain.job.JobStatus;
import io.spillway.domain.manifest.Manifest;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves a SEALED job to AVAILABLE once every chunk its manifest promises is stored (each was
 * verified before it was put). Both the sealing producer and the consumers ask, so whichever
 * finishes last makes the move; the move is a conditional replace, so asking twice is harmless.
 */
public final class AvailabilityCheck {
  private static final Logger log = LoggerFactory.getLogger(AvailabilityCheck.class);

  private final Jobs jobs;
  private final Chunks chunks;
  private final Clock clock;
  private final Set<JobId> settled = ConcurrentHashMap.newKeySet();

  public AvailabilityCheck(Jobs jobs, Chunks chunks, Clock clock) {
    this.jobs = jobs;
    this.chunks = chunks;
    this.clock = clock;
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
    long stored = 0;
    for (int b = 0; b < manifest.get().buckets(); b++) {
      stored += chunks.count(id, b);
    }
    long expected = manifest.get().chunkCount();
    if (stored != expected) {
      if (stored > expected) {
        log.error("job {} stores {} chunks but its manifest promises {}: left SEALED", id, stored, expected);
      }
      return Optional.of(job.status());
    }
    if (jobs.replace(job, job.transitionTo(JobStatus.AVAILABLE, clock.now()))) {
      log.info("job {} is AVAILABLE: {} chunks, {} events", id, expected, manifest.get().eventCount());
    }
    Optional<JobStatus> now = jobs.find(id).map(Job::status);
    if (now.isPresent() && now.get() == JobStatus.AVAILABLE) {
      settled.add(id);
    }
    return now;
  }
}
