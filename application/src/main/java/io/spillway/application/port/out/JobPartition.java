package io.spillway.application.port.out;

import io.spillway.domain.Checks;
import io.spillway.domain.job.Job;
import io.spillway.domain.job.JobId;
import io.spillway.domain.manifest.PartitionManifest;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * One partition of a job as its producer tasks left it: when it last made progress, how many events
 * it had accepted then, and its manifest once sealed. A partition no producer has opened has no record.
 *
 * @param lastProgressAt when a producer of the partition last reported accepted events (or opened it)
 * @param eventsAccepted the events the partition had accepted by then (0..; a resumed task starts again from 0)
 */
public record JobPartition(JobId job, int partition, Instant lastProgressAt, long eventsAccepted, Optional<PartitionManifest> manifest) {
  public JobPartition {
    Checks.required("partition.job", job);
    Checks.range("partition.partition", partition, 0, Job.MAX_PARTITIONS - 1);
    Checks.required("partition.lastProgressAt", lastProgressAt);
    Checks.range("partition.eventsAccepted", eventsAccepted, 0, Long.MAX_VALUE);
    Checks.required("partition.manifest", manifest);
  }

  public boolean sealed() {
    return manifest.isPresent();
  }

  /** Open, and without progress for at least {@code after} at {@code now}. */
  public boolean stalled(Instant now, Duration after) {
    return !sealed() && !Duration.between(lastProgressAt, now).minus(after).isNegative();
  }
}
