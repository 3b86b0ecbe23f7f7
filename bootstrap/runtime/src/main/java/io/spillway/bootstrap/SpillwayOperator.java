package io.spillway.bootstrap;

import io.spillway.application.port.out.DeadLetter;
import io.spillway.application.service.DatasetVerification;
import io.spillway.application.service.DeadLetterReplay;
import io.spillway.application.service.JobOperations;
import io.spillway.bootstrap.wiring.SpillwayServices;
import io.spillway.domain.job.Job;
import io.spillway.domain.job.JobId;
import io.spillway.domain.job.JobStatus;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The operator's side: list jobs by time and status, look at one, fail one, re-verify what is
 * stored, and look at and replay dead letters. What the {@code spillway jobs}, {@code verify} and
 * {@code dead-letters} commands run, on every environment.
 */
public final class SpillwayOperator {
  private final JobOperations jobs;
  private final DatasetVerification verification;
  private final DeadLetterReplay deadLetters;
  private final io.spillway.application.service.JobAnnouncer announcer;

  SpillwayOperator(SpillwayServices services) {
    this.jobs = new JobOperations(services.jobs(), services.chunks(), services.clock(), services.announcer());
    this.announcer = services.announcer();
    this.verification = new DatasetVerification(services.jobs(), services.chunks(), services.codecs());
    this.deadLetters = new DeadLetterReplay(services.deadLetters(), services.ingest(), services.clock());
  }

  /** The jobs opened in the last {@code since} (at most 400 days), oldest first, optionally only those in {@code status}. */
  public List<Job> jobs(Duration since, Optional<JobStatus> status) {
    return jobs.opened(since, status);
  }

  /** One job: status, manifest, the chunks counted and stored per bucket, and how many are missing. */
  public JobOperations.JobDetails job(JobId id) {
    return jobs.details(id);
  }

  /** Fails a job that has not settled (see {@link JobOperations#fail}). */
  /**
   * The jobs opened in the last {@code since} still being produced with a partition that made no
   * progress for {@code after} (its producer task hung or died without a restart).
   */
  public List<JobOperations.Stalled> stalled(Duration since, Duration after) {
    return jobs.stalled(since, after);
  }

  public JobOperations.Failing fail(JobId id) {
    return jobs.fail(id);
  }

  /**
   * Delivers the announcements still waiting in this process (a job failed here whose JobFailed
   * could not be sent at once), for up to {@code timeout}; returns how many still wait. Those stay
   * owed in the store, and a consumer's sweep announces them later.
   */
  public int deliverAnnouncements(Duration timeout) throws InterruptedException {
    return announcer.drain(timeout);
  }

  /** Re-reads every stored chunk of the job and lists what is corrupt, misplaced or missing. */
  public DatasetVerification.Report verify(JobId id) {
    return verification.verify(id);
  }

  /** Up to {@code limit} dead letters, oldest first. */
  public List<DeadLetter> deadLetters(int limit) {
    return deadLetters.list(limit);
  }

  public long deadLetterCount() {
    return deadLetters.count();
  }

  public Optional<DeadLetter> deadLetter(String source, String position) {
    return deadLetters.find(source, position);
  }

  /** Replays one dead letter (see {@link DeadLetterReplay#replay}). */
  public DeadLetterReplay.Replayed replay(String source, String position) {
    return deadLetters.replay(source, position);
  }

  /** Replays up to {@code limit} dead letters, oldest first. */
  public List<DeadLetterReplay.Replayed> replayAll(int limit) {
    return deadLetters.replayAll(limit);
  }
}
