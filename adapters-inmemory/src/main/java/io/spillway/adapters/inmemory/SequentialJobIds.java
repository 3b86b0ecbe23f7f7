package io.spillway.adapters.inmemory;

import io.spillway.application.port.out.JobIds;
import io.spillway.domain.job.JobId;
import java.util.concurrent.atomic.AtomicLong;

/** job-000001, job-000002, …: deterministic ids for simulations and tests. */
public final class SequentialJobIds implements JobIds {
  private final String prefix;
  private final AtomicLong next = new AtomicLong(1);

  public SequentialJobIds(String prefix) {
    this.prefix = prefix;
  }

  public SequentialJobIds() {
    this("job");
  }

  @Override
  public JobId next() {
    return new JobId(String.format(java.util.Locale.ROOT, "%s-%06d", prefix, next.getAndIncrement()));
  }
}
