package io.spillway.application.service;

import io.spillway.application.port.out.Clock;
import io.spillway.application.port.out.JobAnnouncement;
import io.spillway.application.port.out.JobAnnouncements;
import io.spillway.application.port.out.JobAvailable;
import io.spillway.application.port.out.JobFailed;
import io.spillway.application.port.out.JobIncomplete;
import io.spillway.application.port.out.Jobs;
import io.spillway.application.port.out.PermanentStoreException;
import io.spillway.application.port.out.StoredChunks;
import io.spillway.domain.InvalidFieldException;
import io.spillway.domain.job.Job;
import io.spillway.domain.job.JobId;
import io.spillway.domain.job.JobStatus;
import io.spillway.domain.manifest.Manifest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Announces settled jobs through {@link JobAnnouncements}, and keeps every announcement that failed
 * to try it again, with backoff, for as long as this process lives: the in-process half of
 * delivering at least once (docs/notifications.md says what a crash can still lose).
 *
 * <p>The process that wins a job's status move announces it ({@link AvailabilityCheck} for AVAILABLE
 * and INCOMPLETE, whoever marks a job FAILED through {@link #announceSettled}). Nothing here runs on
 * its own thread: the consumer's availability sweep and the producer's linger tick call {@link
 * #retryDue()}, and a short-lived process calls {@link #drain(Duration)} before it exits. A
 * retryable failure waits {@code backoffBase}, doubled per failure up to {@code backoffMax}; a
 * permanent one (access denied, no such bus) waits {@code backoffMax} at once and is logged as an
 * error each time, because an operator can still fix it and the announcement is not dropped for it.
 */
public final class JobAnnouncer {
  private static final Logger log = LoggerFactory.getLogger(JobAnnouncer.class);

  private final JobAnnouncements announcements;
  private final Jobs jobs;
  private final Clock clock;
  private final Settings settings;
  /** Announcements waiting for another attempt, by job and status (the same one twice is kept once), oldest first. */
  private final Map<Key, Waiting> waiting = new LinkedHashMap<>();
  private final LongAdder delivered = new LongAdder();
  private final LongAdder failedAttempts = new LongAdder();
  private final LongAdder dropped = new LongAdder();
  private final LongAdder recovered = new LongAdder();
  /** Whether there is a destination, and so announcements to owe durably. */
  private final boolean durable;
  private Instant nextRecovery = Instant.MIN;

  /** How long after its move a settled job's owed announcement is left to the process that made the move. */
  static final Duration RECOVERY_GRACE = Duration.ofMinutes(1);
  /** How often the owed announcements in the store are looked at. */
  static final Duration RECOVERY_INTERVAL = Duration.ofMinutes(1);

  /**
   * How failed announcements are retried.
   *
   * @param backoffBase the wait after a first retryable failure, doubled per failure
   * @param backoffMax the longest wait, and the wait after a permanent failure
   * @param maxWaiting the announcements kept for retry; past it the oldest is dropped, logged as an
   *     error (a bound on memory for a destination that stays down for days)
   */
  public record Settings(Duration backoffBase, Duration backoffMax, int maxWaiting) {
    public Settings {
      if (backoffBase == null || backoffBase.isNegative() || backoffBase.isZero()) {
        throw new InvalidFieldException("announcer.backoffBase", backoffBase, "> 0");
      }
      if (backoffMax == null || backoffMax.compareTo(backoffBase) < 0) {
        throw new InvalidFieldException("announcer.backoffMax", backoffMax, ">= backoffBase");
      }
      if (maxWaiting < 1) {
        throw new InvalidFieldException("announcer.maxWaiting", maxWaiting, ">= 1");
      }
    }

    /** 1 s doubling up to 5 min; 10,000 waiting (at 500 jobs a day, weeks of a destination down). */
    public static Settings defaults() {
      return new Settings(Duration.ofSeconds(1), Duration.ofMinutes(5), 10_000);
    }
  }

  /** What became of one announcement handed to {@link #announce}. */
  public enum Delivery {
    /** The destination accepted it. */
    DELIVERED,
    /** It failed and waits for another attempt in this process. */
    WAITING
  }

  /**
   * Counters since start: {@code waiting} is in this process's retry list (owed in the store too,
   * so a crash does not lose them); {@code recovered} were found owed in the store and announced again.
   */
  public record Stats(long delivered, long failedAttempts, int waiting, long dropped, long recovered) {}

  private record Key(JobId job, JobStatus status) {}

  private static final class Waiting {
    final JobAnnouncement announcement;
    int failures;
    Instant due;

    Waiting(JobAnnouncement announcement) {
      this.announcement = announcement;
    }
  }

  public JobAnnouncer(JobAnnouncements announcements, Jobs jobs, Clock clock, Settings settings) {
    this.announcements = announcements;
    this.jobs = jobs;
    this.clock = clock;
    this.settings = settings;
    this.durable = announcements != JobAnnouncements.none();
  }

  /**
   * Records in the store, before a job is moved to a settled status, that its announcement may be
   * owed: if this process dies between the move and the delivery, any process's next sweep finds it
   * and announces the job. Does nothing when there is no destination.
   *
   * @throws RuntimeException the store's failure: the move must not be made without the record
   */
  public void owing(JobId id) {
    if (durable) {
      jobs.owesAnnouncement(id);
    }
  }

  /** An announcer with nowhere to announce (no destination configured). */
  public static JobAnnouncer silent(Jobs jobs, Clock clock) {
    return new JobAnnouncer(JobAnnouncements.none(), jobs, clock, Settings.defaults());
  }

  /** Announces now; a failure is kept and tried again later, never thrown (the job has settled all the same). */
  public Delivery announce(JobAnnouncement announcement) {
    return attempt(new Waiting(announcement)) ? Delivery.DELIVERED : Delivery.WAITING;
  }

  /**
   * Announces a job that has settled, built from its records: for whoever made the move outside
   * the availability check (an operator marking a job FAILED), or to announce a job again. Returns
   * what was announced (delivered or waiting); empty when the job is unknown or not settled.
   *
   * @param reason why the job FAILED, for a FAILED job; ignored for the others
   */
  public Optional<JobAnnouncement> announceSettled(JobId id, Optional<String> reason) {
    Optional<StoredChunks> progress = jobs.progress(id);
    if (progress.isEmpty() || !progress.get().job().status().isTerminal()) {
      return Optional.empty();
    }
    Job job = progress.get().job();
    long stored = progress.get().stored();
    JobAnnouncement announcement = switch (job.status()) {
      case FAILED -> JobFailed.of(job, stored, reason);
      case AVAILABLE -> JobAvailable.of(job, manifest(job));
      case INCOMPLETE -> JobIncomplete.of(job, manifest(job), stored);
      default -> throw new IllegalStateException("not a settled status: " + job.status());
    };
    announce(announcement);
    return Optional.of(announcement);
  }

  /**
   * Tries again every waiting announcement whose backoff has passed; returns how many were
   * delivered. Once a minute it also looks at the announcements owed in the store, and announces
   * again each settled job whose announcement is still owed a minute after its move — one that a
   * process died before delivering, or could not mark delivered.
   */
  public int retryDue() {
    Instant now = clock.now();
    if (durable && !now.isBefore(nextRecovery)) {
      nextRecovery = now.plus(RECOVERY_INTERVAL);
      recoverOwed(now);
    }
    List<Waiting> due = new ArrayList<>();
    synchronized (waiting) {
      for (Iterator<Waiting> it = waiting.values().iterator(); it.hasNext(); ) {
        Waiting w = it.next();
        if (!now.isBefore(w.due)) {
          // taken out while in flight, so two callers never send it at once
          it.remove();
          due.add(w);
        }
      }
    }
    int sent = 0;
    for (Waiting w : due) {
      if (attempt(w)) {
        sent++;
      }
    }
    return sent;
  }

  /**
   * Retries what waits until nothing does or the timeout passes, sleeping on the clock between
   * attempts: for a process about to exit. Returns how many are still waiting (lost with the process).
   */
  public int drain(Duration timeout) throws InterruptedException {
    Instant deadline = clock.now().plus(timeout);
    while (true) {
      retryDue();
      Optional<Instant> next = nextDue();
      if (next.isEmpty()) {
        return 0;
      }
      Instant now = clock.now();
      if (!now.isBefore(deadline)) {
        return waitingCount();
      }
      Instant wake = next.get().isBefore(deadline) ? next.get() : deadline;
      if (wake.isAfter(now)) {
        clock.sleep(Duration.between(now, wake));
      }
    }
  }

  private void recoverOwed(Instant now) {
    for (JobId id : jobs.owedAnnouncements()) {
      synchronized (waiting) {
        if (waiting.keySet().stream().anyMatch(k -> k.job().equals(id))) {
          continue; // this process has it in hand
        }
      }
      Optional<Job> job = jobs.find(id);
      if (job.isEmpty()) {
        jobs.announced(id);
      } else if (job.get().status().isTerminal() && !job.get().updatedAt().plus(RECOVERY_GRACE).isAfter(now)) {
        log.info("announcing job {} ({}) again: its announcement is still owed {} after the move", id, job.get().status(),
            Duration.between(job.get().updatedAt(), now));
        recovered.increment();
        announceSettled(id, Optional.empty());
      }
      // not settled yet: its move was lost to another process, or has not happened; it stays owed
    }
  }

  /** The announcements waiting for another attempt, oldest first. */
  public List<JobAnnouncement> waiting() {
    synchronized (waiting) {
      return waiting.values().stream().map(w -> w.announcement).toList();
    }
  }

  public Stats stats() {
    return new Stats(delivered.sum(), failedAttempts.sum(), waitingCount(), dropped.sum(), recovered.sum());
  }

  /** One attempt; a failure puts the announcement (back) in the waiting list with its next due time. */
  private boolean attempt(Waiting w) {
    try {
      announcements.announce(w.announcement);
      delivered.increment();
      if (durable) {
        try {
          jobs.announced(w.announcement.jobId());
        } catch (RuntimeException e) {
          // still owed in the store: a later sweep announces it again, a duplicate receivers drop
          log.warn("announced job {} but could not record it; it may be announced again: {}", w.announcement.jobId(), e.toString());
        }
      }
      if (w.failures > 0) {
        log.info("announced {} of job {} after {} failed attempt(s)", w.announcement.kind(), w.announcement.jobId(), w.failures);
      }
      return true;
    } catch (PermanentStoreException e) {
      failedAttempts.increment();
      w.failures++;
      w.due = clock.now().plus(settings.backoffMax());
      log.error("announcing {} of job {} failed and will not pass until {} is fixed; trying again in {}: {}", w.announcement.kind(),
          w.announcement.jobId(), e.resource(), settings.backoffMax(), e.getMessage());
    } catch (RuntimeException e) {
      // retryable, or an adapter's surprise: either way the announcement is kept
      failedAttempts.increment();
      Duration wait = Backoff.after(w.failures, settings.backoffBase(), settings.backoffMax());
      w.failures++;
      w.due = clock.now().plus(wait);
      log.warn("announcing {} of job {} failed (attempt {}), trying again in {}: {}", w.announcement.kind(), w.announcement.jobId(),
          w.failures, wait, e.toString());
    }
    keep(w);
    return false;
  }

  private void keep(Waiting w) {
    synchronized (waiting) {
      Key key = new Key(w.announcement.jobId(), w.announcement.status());
      Waiting already = waiting.get(key);
      if (already != null && already.failures >= w.failures) {
        // the same announcement, waiting already (handed in again while this attempt was in flight)
        return;
      }
      waiting.put(key, w);
      if (waiting.size() > settings.maxWaiting()) {
        Iterator<Waiting> oldest = waiting.values().iterator();
        JobAnnouncement lost = oldest.next().announcement;
        oldest.remove();
        dropped.increment();
        log.error("dropped the announcement {} of job {}: {} announcements wait already; it will not be delivered", lost.kind(),
            lost.jobId(), settings.maxWaiting());
      }
    }
  }

  private Optional<Instant> nextDue() {
    synchronized (waiting) {
      return waiting.values().stream().map(w -> w.due).min(Instant::compareTo);
    }
  }

  private int waitingCount() {
    synchronized (waiting) {
      return waiting.size();
    }
  }

  private Manifest manifest(Job job) {
    return jobs.manifest(job.id()).orElseThrow(() -> new IllegalStateException("job " + job.id() + " is " + job.status() + " but has no manifest"));
  }
}
