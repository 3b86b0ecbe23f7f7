package io.spillway.application.port.in;

import io.spillway.domain.event.Event;
import io.spillway.domain.job.Job;
import io.spillway.domain.job.JobId;
import io.spillway.domain.manifest.Manifest;
import java.util.List;

/** The producer's side: open a job, append its events, seal it. */
public interface Intake {
  Job open(OpenJob command);

  /**
   * Accepts one event. Sequences are per job and dense from 0: the next expected one is accepted,
   * an earlier one is a {@link AppendOutcome#DUPLICATE}, a later one leaves a gap and is refused.
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
   * Cuts the job's last chunks, publishes every buffered chunk, records the manifest and marks the
   * job SEALED. Safe to call again after a {@link BackpressureException}.
   */
  Manifest seal(JobId job);

  /** Cuts open chunks past their linger deadline and publishes what is buffered; returns chunks published. */
  int flushLingering();

  /** Counts of one {@link #appendAll} call. */
  record AppendSummary(int accepted, int duplicates) {}
}
