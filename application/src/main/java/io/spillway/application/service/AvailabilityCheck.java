package io.spillway.application.service;

import io.spillway.application.port.out.Chunks;
import io.spillway.application.port.out.Clock;
import io.spillway.application.port.out.JobAvailable;
import io.spillway.application.port.out.JobIncomplete;
import io.spillway.application.port.out.Jobs;
import io.spillway.application.port.out.StoredChunks;
import io.spillway.domain.InvalidFieldException;
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
 *
 * <p>When the stream's retention is known, the sweep also gives up on a job whose chunks can no
 * longer arrive: the producer publishes every chunk before it seals, so every chunk entered the
 * stream no later than the seal and has left it {@code retention} after. Once a SEALED job is older
 * than retention plus a grace period (for records read just before they expired and still being
 * written), its chunks are counted in the table — the shared count can be short after a crash —
 * and, if some are still missing, the job moves SEALED → INCOMPLETE, its count brought up to what
 * the table holds, so that expected − stored is the number of chunks lost. Without a known retention
 * no job is ever marked INCOMPLETE.
 *
 * <p>The process whose conditional move wins announces the job through its {@link JobAnnouncer}
 * (the moves are conditional, so exactly one process announces each); an announcement that fails
 * waits in that announcer, and every sweep tries the waiting ones again first.
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
  private final Optional<Duration> retention;
  private final Duration grace;
  private final JobAnnouncer announcer;
  private final Set<JobId> known = ConcurrentHashMap.newKeySet();
  private final Map<JobId, Manifest> manifests = new ConcurrentHashMap<>();
  private final Map<JobId, Stall> stalls = new ConcurrentHashMap<>();

  /** What the sweep last saw of a SEALED job whose count falls short. */
  private static final class Stall {
    long stored;
    Instant since;
    Instant nextRecount;
    Duration interval;
    /** Whether the table was counted once the job's chunks had all left the stream. */
    boolean countedExpired;

    Stall(long stored, Instant since, Duration interval) {
      this.stored = stored;
      this.since = since;
      this.interval = interval;
      this.nextRecount = since;
    }
  }

  /**
   * What one sweep did.
   *
   * @param sealed jobs left SEALED
   * @param madeAvailable jobs found complete (made AVAILABLE by this sweep or a moment before)
   * @param recounted jobs whose chunks were counted in the table
   * @param madeIncomplete jobs marked INCOMPLETE: chunks missing after they left the stream
   */
  public record Sweep(int sealed, int madeAvailable, int recounted, int madeIncomplete) {}

  /**
   * How the check waits and when it gives up.
   *
   * @param quietPeriod how long a sealed job's count must stand still before the sweep counts its
   *     chunks in the table
   * @param maxRecountInterval the longest wait between two counts of one stalled job
   * @param retention the stream's retention period; empty when unknown, and then no job is ever
   *     marked INCOMPLETE
   * @param grace how long past {@code seal + retention} a job stays SEALED, for records read just
   *     before they expired and still being written
   */
  public record Settings(Duration quietPeriod, Duration maxRecountInterval, Optional<Duration> retention, Duration grace) {
    public static final Duration DEFAULT_GRACE = Duration.ofMinutes(5);

    public Settings {
      if (quietPeriod == null || quietPeriod.isNegative()) {
        throw new InvalidFieldException("availability.quietPeriod", quietPeriod, ">= 0");
      }
      if (maxRecountInterval == null || maxRecountInterval.isNegative() || maxRecountInterval.isZero()) {
        throw new InvalidFieldException("availability.maxRecountInterval", maxRecountInterval, "> 0");
      }
      if (retention == null || retention.filter(r -> r.isNegative() || r.isZero()).isPresent()) {
        throw new InvalidFieldException("availability.retention", retention, "empty or > 0");
      }
      if (grace == null || grace.isNegative()) {
        throw new InvalidFieldException("availability.grace", grace, ">= 0");
      }
    }

    /** Quiet for 30 s, recounts at most an hour apart, retention unknown, 5 min grace. */
    public static Settings defaults() {
      return new Settings(Duration.ofSeconds(30), Duration.ofHours(1), Optional.empty(), DEFAULT_GRACE);
    }

    public Settings withRecounts(Duration quietPeriod, Duration maxRecountInterval) {
      return new Settings(quietPeriod, maxRecountInterval, retention, grace);
    }

    /** These settings for a stream that keeps records for {@code retention}. */
    public Settings withRetention(Duration retention) {
      return new Settings(quietPeriod, maxRecountInterval, Optional.of(retention), grace);
    }

    public Settings withGrace(Duration grace) {
      return new Settings(quietPeriod, maxRecountInterval, retention, grace);
    }
  }

  /** With {@link Settings#defaults()}: the retention is unknown, so no job is marked INCOMPLETE. */
  public AvailabilityCheck(Jobs jobs, Chunks chunks, Clock clock) {
    this(jobs, chunks, clock, Settings.defaults());
  }

  /**
   * The retention is unknown, so no job is marked INCOMPLETE.
   *
   * @param quietPeriod how long a sealed job's count must stand still before the sweep counts its
   *     chunks in the table
   * @param maxRecountInterval the longest wait between two counts of one stalled job
   */
  public AvailabilityCheck(Jobs jobs, Chunks chunks, Clock clock, Duration quietPeriod, Duration maxRecountInterval) {
    this(jobs, chunks, clock, Settings.defaults().withRecounts(quietPeriod, maxRecountInterval));
  }

  /** Announces nothing (no destination for announcements). */
  public AvailabilityCheck(Jobs jobs, Chunks chunks, Clock clock, Settings settings) {
    this(jobs, chunks, clock, settings, JobAnnouncer.silent(jobs, clock));
  }

  /** Announces the jobs it moves to AVAILABLE or INCOMPLETE through {@code announcer}. */
  public AvailabilityCheck(Jobs jobs, Chunks chunks, Clock clock, Settings settings, JobAnnouncer announcer) {
    this.announcer = announcer;
    this.jobs = jobs;
    this.chunks = chunks;
    this.clock = clock;
    this.quietPeriod = settings.quietPeriod();
    this.maxRecountInterval = settings.maxRecountInterval();
    this.retention = settings.retention();
    this.grace = settings.grace();
  }

  /** Where this check announces the jobs it moves, and keeps the announcements that failed. */
  public JobAnnouncer announcer() {
    return announcer;
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
    Optional<JobStatus> status = jobs.addStored(id, newChunks).map(this::settle);
    if (status.isPresent() && status.get() == JobStatus.FAILED && newChunks > 0) {
      // stored after the job was failed (still in the stream then): a FAILED job keeps no chunks
      deleteChunks(jobs.find(id).orElseThrow());
    }
    return status;
  }

  /**
   * Deletes every stored chunk of the job (a FAILED one): lists each bucket's keys and deletes them.
   * Returns the chunks deleted. Safe to repeat.
   */
  public long deleteChunks(Job job) {
    long deleted = 0;
    for (int b = 0; b < job.buckets(); b++) {
      deleted += chunks.deleteAll(job.id(), b);
    }
    if (deleted > 0) {
      log.info("deleted {} chunks of FAILED job {}", deleted, job.id());
    }
    return deleted;
  }

  /** Checks the job (the producer does, right after sealing it) and returns its status afterwards; empty when unknown. */
  public Optional<JobStatus> check(JobId id) {
    return jobs.progress(id).map(this::settle);
  }

  /**
   * Looks at every SEALED job: one whose count is complete is made AVAILABLE; one whose count has
   * stood still for the quiet period has its chunks counted in the table, and is made AVAILABLE if
   * they are all there. One sealed longer ago than the stream's retention plus the grace period has
   * its chunks counted at once, and is made INCOMPLETE if some are missing. Safe to run in every
   * consumer process at once. Tries again, first, the announcements that failed and whose backoff has passed.
   */
  public Sweep sweep() {
    announcer.retryDue();
    int sealed = 0;
    int available = 0;
    int recounted = 0;
    int incomplete = 0;
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
      Job job = progress.get().job();
      long stored = progress.get().stored();
      Stall stall = stalls.computeIfAbsent(id, k -> new Stall(stored, now, quietPeriod));
      boolean moved = stall.stored != stored;
      if (moved) {
        stall.stored = stored;
        stall.since = now;
      }
      boolean expired = expired(job, now);
      boolean due = expired
          ? !stall.countedExpired || !now.isBefore(stall.nextRecount)
          : !moved && Duration.between(stall.since, now).compareTo(quietPeriod) >= 0 && !now.isBefore(stall.nextRecount);
      if (!due) {
        continue;
      }
      recounted++;
      stall.countedExpired |= expired;
      JobStatus after = recount(job, expired);
      if (after == JobStatus.AVAILABLE) {
        available++;
        sealed--;
      } else if (after == JobStatus.INCOMPLETE) {
        incomplete++;
        sealed--;
      } else {
        stall.nextRecount = now.plus(stall.interval);
        stall.interval = min(stall.interval.multipliedBy(2), maxRecountInterval);
      }
    }
    stalls.keySet().retainAll(seen);
    return new Sweep(sealed, available, recounted, incomplete);
  }

  /**
   * Whether every chunk of the SEALED job has left the stream by now: each entered it no later than
   * the seal ({@code updatedAt} while SEALED), and the grace covers records read just before they
   * expired and still being written. Never when the retention is unknown.
   */
  private boolean expired(Job job, Instant now) {
    return retention.map(r -> !now.isBefore(job.updatedAt().plus(r).plus(grace))).orElse(false);
  }

  /**
   * Counts the job's chunks in the table: makes it AVAILABLE when all are there, INCOMPLETE when
   * some are missing and {@code expired}. Returns the job's status afterwards (SEALED when nothing moved).
   */
  private JobStatus recount(Job job, boolean expired) {
    Optional<Manifest> manifest = manifest(job.id());
    if (manifest.isEmpty()) {
      return JobStatus.SEALED;
    }
    long counted = 0;
    for (int b = 0; b < manifest.get().buckets(); b++) {
      counted += chunks.count(job.id(), b);
    }
    long expected = manifest.get().chunkCount();
    if (expired) {
      log.info("job {} was SEALED at {}, longer ago than the stream's retention ({}) plus {}: {} of {} chunks are in the table",
          job.id(), job.updatedAt(), retention.orElseThrow(), grace, counted, expected);
    } else {
      log.info("job {} has been SEALED with its count still for {}: {} of {} chunks are in the table", job.id(), quietPeriod, counted, expected);
    }
    if (counted == expected) {
      return makeAvailable(job, manifest.get()) ? JobStatus.AVAILABLE : JobStatus.SEALED;
    }
    if (counted < expected && expired) {
      return makeIncomplete(job, manifest.get(), counted) ? JobStatus.INCOMPLETE : JobStatus.SEALED;
    }
    return JobStatus.SEALED;
  }

  /**
   * Moves the job SEALED → INCOMPLETE, then brings its count up to the {@code counted} chunks the
   * table holds, so that expected − stored is the number lost. The move comes first: it is
   * conditional, so of several processes sweeping at once exactly one wins and corrects the count
   * (two corrections would count the same chunks twice).
   */
  private boolean makeIncomplete(Job job, Manifest manifest, long counted) {
    long expected = manifest.chunkCount();
    Job incomplete = job.transitionTo(JobStatus.INCOMPLETE, clock.now());
    announcer.owing(job.id());
    if (!jobs.replace(job, incomplete)) {
      return false;
    }
    manifests.remove(job.id());
    long stored = jobs.progress(job.id()).map(StoredChunks::stored).orElse(counted);
    if (stored < counted) {
      stored = jobs.addStored(job.id(), counted - stored).map(StoredChunks::stored).orElse(counted);
    }
    log.warn("job {} is INCOMPLETE: {} of its {} chunks are missing ({} stored); they left the stream's retention ({}) before they were stored",
        job.id(), expected - stored, expected, stored, retention.orElseThrow());
    announcer.announce(JobIncomplete.of(incomplete, manifest, Math.min(stored, expected - 1)));
    return true;
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
    Job available = job.transitionTo(JobStatus.AVAILABLE, clock.now());
    announcer.owing(job.id());
    if (jobs.replace(job, available)) {
      log.info("job {} is AVAILABLE: {} chunks, {} events", job.id(), manifest.chunkCount(), manifest.eventCount());
      manifests.remove(job.id());
      announcer.announce(JobAvailable.of(available, manifest));
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
