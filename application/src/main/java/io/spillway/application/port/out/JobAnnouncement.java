package io.spillway.application.port.out;

import io.spillway.domain.job.JobClass;
import io.spillway.domain.job.JobId;
import io.spillway.domain.job.JobStatus;
import java.time.Instant;
import java.util.Locale;

/**
 * What Spillway tells the world when a job settles: it is {@link JobAvailable available}, {@link
 * JobIncomplete incomplete} or {@link JobFailed failed}. Announcements are delivered at least once;
 * announcing a settled job again yields an equal announcement (its {@code at} is the move's time, not
 * the announcing's), so a receiver deduplicates on {@link #jobId()} and {@link #status()}.
 */
public sealed interface JobAnnouncement permits JobAvailable, JobIncomplete, JobFailed {
  /** Longest name or reason carried, in UTF-8 bytes (a job name is at most 256). */
  int MAX_REASON_BYTES = 1024;

  JobId jobId();

  String name();

  JobClass jobClass();

  /** The status the job settled in. */
  JobStatus status();

  /** When the job moved to that status (the job record's {@code updatedAt} after the move). */
  Instant at();

  /** The chunks stored when the job settled. */
  long storedChunks();

  /** What the announcement is called on the wire: {@code JobAvailable}, {@code JobIncomplete}, {@code JobFailed}. */
  default String kind() {
    String s = status().name().toLowerCase(Locale.ROOT);
    return "Job" + Character.toUpperCase(s.charAt(0)) + s.substring(1);
  }
}
