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

  /** Every job known, in id order (for operators and reports; not for hot paths). */
  List<Job> list();
}
