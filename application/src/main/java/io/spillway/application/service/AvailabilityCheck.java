package io.spillway.application.service;

import io.spillway.application.port.out.Chunks;
import io.spillway.application.port.out.Clock;
import io.spillway.application.port.out.Jobs;
import io.spillway.application.port.out.StoredChunks;
import io.spillway.domain.job.Job;
import io.spillway.domain.job.JobId;
import io.spillway.domain.job.JobStatus;
import io.spillway.domain.manifest.Manifest;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves a SEALED job to AVAILABLE once every chunk its manifest promises is stored (each was
 * verified before it was put).
 *
 * <p>Every consumer process adds the chunks it stores for the first time to one count kept with
 * the job record, atomically, and reads the job's status in the same step; the producer seals and
 * then reads that count. So whichever comes last — the seal or the last chunk, in whichever
 * process — sees both, and makes the move. The move is a conditional replace, so making it twice
 * is harmless.
 *
 * <p>A consumer that dies between storing a chunk and counting it leaves the count short, and the
 * redelivered chunk is a duplicate that is not counted again. The {@link #sweep() sweep} catches
 * that: it looks at every SEALED job and, when one's count has not moved for {@code quietPeriod},
 * counts its chunks in the table (a read of every item of the job, so it backs off, per job, up to
 * {@code maxRecountInterval}).
 */
public final class AvailabilityCheck {
  private static final Logger log = LoggerFactory.getLogger(AvailabilityCheck.class);
  /** Jobs remembered as existing or settled before the caches start over (each entry is a job id). */
  private static final int CACHE_LIMIT = 100_000;

  private final Jobs jobs;
  private final Chunks chunks;
  private final Clock clock;
  private final Duration quietPeriod;
  private final Duration maxRecountInterval;
  private final Set<JobId> known = ConcurrentHashMap.newKeySet();
  private final Map<JobId, Manifest> manifests = new ConcurrentHashMap<>();
  private final Map<JobId, Stall> stalls = new ConcurrentHashMap<>();

  /** What the sweep last saw of a SEALED job whose count falls short. */
  private static final class Stall {
    long stored;
    Instant since;
    Instant nextRecount;
    Duration interval;

    Stall(long stored, Instant since, Duration interval) {
      this.stored = stored;
      this.since = since;
      this.interval = interval;
      this.nextRecount = since;
    }
  }

  /** What one sweep did. */
  public record Sweep(int sealed, int madeAvailable, int recounted) {}

  public AvailabilityCheck(Jobs jobs, Chunks chunks, Clock clock) {
    this(jobs, chunks, clock, Duration.ofSeconds(30), Duration.ofHours(1));
  }

  /**
   * @param quietPeriod how long a sealed job's count must stand still before the sweep counts its
   *     chunks in the table
   * @param maxRecountInterval the longest wait between two counts of one stalled job
   */
  public AvailabilityCheck(Jobs jobs, Chunks chunks, Clock clock, Duration quietPeriod, Duration maxRecountInterval) {
    this.jobs = jobs;
    this.chunks = chunks;
    this.clock = clock;
    this.quietPeriod = quietPeriod;
    this.maxRecountInterval = maxRecountInterval;
  }

  /** Whether the job has a record; a job once seen is remembered (job records are never deleted by Spillway). */
  public boolean exists(JobId id) {
    if (known.contains(id)) {
      return true;
    }
    if (jobs.find(id).isEmpty()) {
      return false;
    }
    remember(known, id);
    return true;
  }

  /**
   * This process has just stored {@code newChunks} chunks of the job for the first time: adds them
   * to the job's count and makes the job AVAILABLE if they were its last. Returns the status after.
   */
  public Optional<JobStatus> stored(JobId id, long newChunks) {
    return jobs.addStored(id, newChunks).map(this::settle);
  }

  /** Checks the job (the producer does, right after sealing it) and returns its status afterwards; empty when unknown. */
  public Optional<JobStatus> check(JobId id) {
    return jobs.progress(id).map(this::settle);
  }

  /**
   * Looks at every SEALED job: one whose count is complete is made AVAILABLE; one whose count has
   * stood still for the quiet period has its chunks counted in the table, and is made AVAILABLE if
   * they are all there. Safe to run in every consumer process at once.
   */
  public Sweep sweep() {
    int sealed = 0;
    int available = 0;
    int recounted = 0;
    Instant now = clock.now();
    Set<JobId> seen = new java.util.HashSet<>();
    for (JobId id : jobs.sealed()) {
      seen.add(id);
      Optional<StoredChunks> progress = jobs.progress(id);
      if (progress.isEmpty()) {
        continue;
      }
      JobStatus status = settle(progress.get());
      if (status == JobStatus.AVAILABLE) {
        available++;
        continue;
      }
      if (status != JobStatus.SEALED) {
        continue;
      }
      sealed++;
      long stored = progress.get().stored();
      Stall stall = stalls.computeIfAbsent(id, k -> new Stall(stored, now, quietPeriod));
      if (stall.stored != stored) {
        stall.stored = stored;
        stall.since = now;
        continue;
      }
      if (Duration.between(stall.since, now).compareTo(quietPeriod) < 0 || now.isBefore(stall.nextRecount)) {
        continue;
      }
      recounted++;
      if (recount(progress.get().job())) {
        available++;
        sealed--;
      } else {
        stall.nextRecount = now.plus(stall.interval);
        stall.interval = min(stall.interval.multipliedBy(2), maxRecountInterval);
      }
    }
    stalls.keySet().retainAll(seen);
    return new Sweep(sealed, available, recounted);
  }

  /** Counts the job's chunks in the table; makes it AVAILABLE when all are there. */
  private boolean recount(Job job) {
    Optional<Manifest> manifest = manifest(job.id());
    if (manifest.isEmpty()) {
      return false;
    }
    long counted = 0;
    for (int b = 0; b < manifest.get().buckets(); b++) {
      counted += chunks.count(job.id(), b);
    }
    long expected = manifest.get().chunkCount();
    log.info("job {} has been SEALED with its count still for {}: {} of {} chunks are in the table", job.id(), quietPeriod, counted, expected);
    return counted == expected && makeAvailable(job, manifest.get());
  }

  private JobStatus settle(StoredChunks progress) {
    Job job = progress.job();
    if (job.status() != JobStatus.SEALED) {
      return job.status();
    }
    Optional<Manifest> manifest = manifest(job.id());
    if (manifest.isEmpty()) {
      return job.status();
    }
    long expected = manifest.get().chunkCount();
    if (progress.stored() > expected) {
      log.error("job {} counts {} chunks stored but its manifest promises {}: left SEALED", job.id(), progress.stored(), expected);
      return job.status();
    }
    if (progress.stored() < expected) {
      return job.status();
    }
    return makeAvailable(job, manifest.get()) ? JobStatus.AVAILABLE : jobs.find(job.id()).map(Job::status).orElse(job.status());
  }

  private boolean makeAvailable(Job job, Manifest manifest) {
    if (jobs.replace(job, job.transitionTo(JobStatus.AVAILABLE, clock.now()))) {
      log.info("job {} is AVAILABLE: {} chunks, {} events", job.id(), manifest.chunkCount(), manifest.eventCount());
      manifests.remove(job.id());
      return true;
    }
    return false;
  }

  private Optional<Manifest> manifest(JobId id) {
    Manifest cached = manifests.get(id);
    if (cached != null) {
      return Optional.of(cached);
    }
    Optional<Manifest> found = jobs.manifest(id);
    found.ifPresent(m -> {
      if (manifests.size() >= CACHE_LIMIT) {
        manifests.clear();
      }
      manifests.put(id, m);
    });
    return found;
  }

  private static void remember(Set<JobId> set, JobId id) {
    if (set.size() >= CACHE_LIMIT) {
      set.clear();
    }
    set.add(id);
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }
}
