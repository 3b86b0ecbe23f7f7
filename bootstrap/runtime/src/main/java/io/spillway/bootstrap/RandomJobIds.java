package io.spillway.bootstrap;

import io.spillway.application.port.out.JobIds;
import io.spillway.domain.job.JobId;
import java.util.UUID;

/** Random job ids for real runs. */
public final class RandomJobIds implements JobIds {
  @Override
  public JobId next() {
    return new JobId("job-" + UUID.randomUUID());
  }
}
