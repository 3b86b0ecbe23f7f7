package io.spillway.adapters.inmemory;

import io.spillway.application.port.out.JobAnnouncement;
import io.spillway.application.port.out.JobAnnouncements;
import io.spillway.application.port.out.PermanentStoreException;
import io.spillway.application.port.out.RetryableStoreException;
import io.spillway.domain.job.JobId;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * Announcements kept in memory, in the order they were accepted, for tests and simulations; it can
 * be told to refuse the next attempts as the real destination would (throttled, or refused for
 * good), so the retrying around it can be tried. Thread-safe.
 */
public final class InMemoryJobAnnouncements implements JobAnnouncements {
  /** The destination named in a permanent refusal. */
  public static final String DESTINATION = "in-memory announcements";

  /** How the destination refuses an attempt. */
  public enum Refusal {
    /** As a throttled or unavailable bus: a {@link RetryableStoreException}. */
    THROTTLED,
    /** As a bus that denies access or does not exist: a {@link PermanentStoreException}. */
    DENIED
  }

  private final List<JobAnnouncement> accepted = new ArrayList<>();
  private final Deque<Refusal> refusals = new ArrayDeque<>();
  private long attempts;

  @Override
  public synchronized void announce(JobAnnouncement announcement) {
    attempts++;
    Refusal refusal = refusals.pollFirst();
    if (refusal == Refusal.THROTTLED) {
      throw new RetryableStoreException("announcing " + announcement.kind() + " of job " + announcement.jobId() + " was throttled");
    }
    if (refusal == Refusal.DENIED) {
      throw new PermanentStoreException(DESTINATION, "announcing " + announcement.kind() + " of job " + announcement.jobId()
          + " on " + DESTINATION + " was refused and cannot succeed on retry", null);
    }
    accepted.add(announcement);
  }

  /** Refuses the next {@code times} attempts so (after any refusals already queued). */
  public synchronized InMemoryJobAnnouncements refuseNext(int times, Refusal refusal) {
    for (int i = 0; i < times; i++) {
      refusals.addLast(refusal);
    }
    return this;
  }

  /** Every announcement accepted, oldest first (a redelivered one appears again). */
  public synchronized List<JobAnnouncement> accepted() {
    return List.copyOf(accepted);
  }

  /** The announcements accepted for one job, oldest first. */
  public synchronized List<JobAnnouncement> of(JobId job) {
    return accepted.stream().filter(a -> a.jobId().equals(job)).toList();
  }

  /** Attempts made, accepted or refused. */
  public synchronized long attempts() {
    return attempts;
  }
}
