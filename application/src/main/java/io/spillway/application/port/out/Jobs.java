package io.spillway.application.port.out;

import io.spillway.domain.job.Job;
import io.spillway.domain.job.JobId;
import io.spillway.domain.manifest.Manifest;
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

  /** Every job known, in id order (for operators and reports; not for hot paths). */
  List<Job> list();
}
