package io.spillway.application.port.in;

import io.spillway.domain.event.Event;
import io.spillway.domain.job.JobId;
import java.util.Optional;
import java.util.function.Consumer;

/** Downstream services read an AVAILABLE job's dataset back, whole or one group. */
public interface Datasets {
  /**
   * Streams the events to the sink: buckets are read and decompressed in parallel, each chunk's
   * events in sequence order. A whole-dataset read is verified against the manifest (chunks, events,
   * checksum); a group read against the density of the group's chunk sequences.
   *
   * @throws DatasetNotAvailableException when the job is unknown or not AVAILABLE; for an INCOMPLETE
   *     job the message says how many of its chunks are missing
   * @throws IncompleteDatasetException when what was read does not add up (after the sink saw it)
   */
  DatasetSummary read(JobId job, Optional<String> group, Consumer<Event> sink);

  /** What a read delivered. */
  record DatasetSummary(JobId job, Optional<String> group, long chunks, long events, boolean verifiedAgainstManifest) {}
}
