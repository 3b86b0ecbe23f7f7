package io.spillway.application.port.in;

import io.spillway.domain.Checks;
import io.spillway.domain.job.Job;

/**
 * A partition of a job opened in this process, and what its task has to send.
 *
 * @param state {@link State#NEW} when no producer had opened it; {@link State#RESUMED} when an earlier
 *     producer of it stopped before its seal: send the partition again from sequence 0 (what that
 *     producer made durable is not lost or stored twice); {@link State#SEALED} when it was sealed:
 *     nothing is left to send (appends are duplicates), and sealing it again finishes the job's seal
 * @param chunksKnownStored chunks of the partition already in the table, which a resumed task's
 *     re-sent events cut again but are not published again (0 for a new partition)
 */
public record PartitionOpened(Job job, int partition, State state, long chunksKnownStored) {
  public enum State { NEW, RESUMED, SEALED }

  public PartitionOpened {
    Checks.required("partitionOpened.job", job);
    job.checkPartition("partitionOpened.partition", partition);
    Checks.required("partitionOpened.state", state);
  }
}
