package io.spillway.application.port.in;

import io.spillway.domain.job.Job;
import io.spillway.domain.job.JobId;
import io.spillway.domain.manifest.Manifest;
import java.util.Optional;

/** Where a job stands, for downstream services waiting on AVAILABLE. */
public interface JobQueries {
  Optional<Job> job(JobId id);

  Optional<Manifest> manifest(JobId id);
}
