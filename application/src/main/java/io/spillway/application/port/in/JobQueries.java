package io.spillway.application.port.in;

import io.spillway.domain.job.Job;
import io.spillway.domain.job.JobId;
import io.spillway.domain.manifest.Manifest;
import java.util.Optional;

/** Where a job stands, for downstream services waiting on AVAILABLE (or told INCOMPLETE). */
public interface JobQueries {
  Optional<Job> job(JobId id);

  Optional<Manifest> manifest(JobId id);

  /**
   * The job with its expected and stored chunk counts; empty when unknown. For an INCOMPLETE job,
   * {@link JobProgress#missing()} is the number of chunks lost.
   */
  Optional<JobProgress> progress(JobId id);
}
