package io.spillway.application.port.in;

import io.spillway.domain.event.Event;
import io.spillway.domain.job.Job;
import io.spillway.domain.job.JobId;
import io.spillway.domain.manifest.Manifest;
import io.spillway.domain.manifest.PartitionManifest;
import java.util.List;

/**
 * The producer's side: open a job, append its events, seal it. A job of several partitions is
 * written by several producer tasks — threads of this process, or other processes on other hosts —
 * each appending to and sealing its own partition.
 */
public interface Intake {
  /** Creates the job and opens every one of its partitions in this process. */
  Job open(OpenJob command);

  /**
   * Creates the job without opening any partition here: for a job whose partitions other processes
   * open ({@link #openPartition}).
   *
   * @throws io.spillway.domain.InvalidFieldException when the id is taken
   */
  Job create(OpenJob command);

  /**
   * Opens one partition of an existing job in this process, whoever created the job. A partition an
   * earlier producer left unsealed may be opened again only when the job is resumable: its task then
   * re-sends the partition from sequence 0 ({@link PartitionOpened.State#RESUMED}).
   *
   * @throws io.spillway.domain.InvalidFieldException when the job is unknown or not open for appends, the
   *     partition is not one of its partitions or is open here already, or it is not resumable and an
   *     earlier producer opened the partition
   */
  PartitionOpened openPartition(JobId job, int partition);

  /**
   * Accepts one event into the partition it names ({@link Event#partition()}), open in this process.
   * Sequences are per partition and dense from 0: the next expected one is accepted,
   * an earlier one is a {@link AppendOutcome#DUPLICATE}, a later one leaves a gap and is refused.
   * Partitions append in parallel; one partition's appends are serialised.
   *
   * @throws BackpressureException when the buffer stays full (the event is not accepted)
   */
  AppendOutcome append(JobId job, Event event);

  /**
   * Appends in order; stops at the first refusal (everything before it stays accepted). After a
   * {@link BackpressureException}, offer the same batch again: the events already accepted come
   * back as duplicates, so the retry is idempotent.
   */
  AppendSummary appendAll(JobId job, List<Event> events);

  /**
   * Seals every partition of the job open in this process ({@link #sealPartition}), which must leave
   * none unsealed: the job is then SEALED and its manifest returned. Safe to call again after a
   * {@link BackpressureException}.
   *
   * @throws io.spillway.domain.InvalidFieldException when partitions of the job are still open
   *     elsewhere (the ones open here are sealed all the same)
   */
  Manifest seal(JobId job);

  /**
   * Cuts the partition's last chunks, publishes every buffered chunk and records the partition's
   * manifest; when it was the job's last partition, records the job's manifest and marks the job
   * SEALED. Safe to call again.
   */
  PartitionManifest sealPartition(JobId job, int partition);

  /** Cuts open chunks past their linger deadline and publishes what is buffered; returns chunks published. */
  int flushLingering();

  /** Counts of one {@link #appendAll} call. */
  record AppendSummary(int accepted, int duplicates) {}
}
