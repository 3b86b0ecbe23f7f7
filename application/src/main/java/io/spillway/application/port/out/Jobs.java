package io.spillway.application.port.out;

import io.spillway.domain.job.Job;
import io.spillway.domain.job.JobId;
import io.spillway.domain.manifest.Manifest;
import io.spillway.domain.manifest.PartitionManifest;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Job records and their manifests, shared by producers, consumers and readers. */
public interface Jobs {
  /** Records a new job; false when a job with its id exists already. */
  boolean create(Job job);

  Optional<Job> find(JobId id);

  /** Replaces {@code current} by {@code next} only if the stored job still has current's status. */
  boolean replace(Job current, Job next);

  /**
   * Stores the manifest of a sealed job. Storing the same manifest again is a no-op; a different
   * one for the same job is refused with {@link IllegalStateException}.
   */
  void putManifest(Manifest manifest);

  Optional<Manifest> manifest(JobId id);

  /**
   * Records that a producer of the partition made progress: it has accepted {@code eventsAccepted}
   * events by {@code at}. Creates the partition's record on first use; a later call replaces both
   * values (a resumed task reports from 0 again). Never touches a sealed partition's manifest.
   */
  void touchPartition(JobId id, int partition, Instant at, long eventsAccepted);

  /**
   * Stores the manifest of a sealed partition (and its last progress, at the seal). The same
   * manifest again is a no-op; a different one for the same partition is refused with
   * {@link IllegalStateException}.
   */
  void putPartitionManifest(PartitionManifest manifest);

  /** The job's partitions that have a record, in partition order: a few small items per job. */
  List<JobPartition> partitions(JobId id);

  /**
   * Adds {@code chunks} chunks this process has just stored for the first time to the job's count,
   * atomically with every other process, and returns the job with the count after; empty when no
   * such job exists (nothing is created). The count is kept apart from the job's other fields:
   * {@link #replace} leaves it as it is.
   */
  Optional<StoredChunks> addStored(JobId id, long chunks);

  /** The job with its count of stored chunks, read consistently; empty when no such job exists. */
  Optional<StoredChunks> progress(JobId id);

  /**
   * The jobs SEALED now, waiting for their last chunks, in id order. The list stays small: jobs
   * leave it when they move on (AVAILABLE, INCOMPLETE); a job that moved on a moment ago may still
   * be listed, so callers check its status.
   */
  List<JobId> sealed();

  /**
   * The jobs opened in {@code [from, to)}, oldest first (ties in id order), each as it stands now.
   * For operators and reports: it reads a few small items per job and never the chunks, but it
   * grows with the jobs in the window, so callers keep windows bounded (the command line's
   * {@code --since} takes at most {@value #MAX_WINDOW_DAYS} days).
   *
   * @throws IllegalArgumentException when {@code to} is before {@code from} or the window is longer
   *     than {@value #MAX_WINDOW_DAYS} days
   */
  List<Job> opened(Instant from, Instant to);

  /**
   * Records that an announcement of this job may be owed: written before a move to a settled status
   * when announcements are on, and kept until {@link #announced} — so an announcement a process died
   * before delivering is found by the next sweep in any process. Writing it twice is a no-op.
   */
  void owesAnnouncement(JobId id);

  /** The jobs that may be owed an announcement, in id order (a small list: entries leave once announced). */
  List<JobId> owedAnnouncements();

  /** The job's announcement was delivered: it is no longer owed. A no-op when it was not listed. */
  void announced(JobId id);

  /** The longest window {@link #opened} lists: a store may keep one small partition per day. */
  int MAX_WINDOW_DAYS = 400;

  /** Refuses a window {@link #opened} does not take; adapters call it first. */
  static void checkWindow(Instant from, Instant to) {
    if (to.isBefore(from)) {
      throw new IllegalArgumentException("the window ends (" + to + ") before it starts (" + from + ")");
    }
    if (java.time.Duration.between(from, to).compareTo(java.time.Duration.ofDays(MAX_WINDOW_DAYS)) > 0) {
      throw new IllegalArgumentException("a window of at most " + MAX_WINDOW_DAYS + " days, not " + from + " to " + to);
    }
  }
}
