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

  /**
   * Opens a pull read of the whole dataset or one group: the same events, checks and order
   * guarantees as {@link #read}, taken at the caller's pace; close the reader.
   *
   * @throws DatasetNotAvailableException when the job is unknown or not AVAILABLE
   */
  default DatasetReader open(JobId job, Optional<String> group) {
    return open(ReadPosition.start(job, group));
  }

  /**
   * Resumes a read from a position an earlier reader handed out ({@link DatasetReader#position()}):
   * delivers exactly the events that read had not delivered. What a resumed read checks: every
   * chunk it reads (CRC32C, bounded decompression, events against the header, as any read); that
   * the chunk the position stopped inside is still the next one of its bucket; and, at its end,
   * the whole — the position's tally plus what it read — against the manifest (whole-dataset reads)
   * or for gaps in the group's chunk sequences (group reads). The tally is taken on trust: a
   * position not handed out by a reader of this dataset may fail the final check or, built to, pass it.
   *
   * @throws DatasetNotAvailableException when the job is unknown or not AVAILABLE
   */
  DatasetReader open(ReadPosition from);

  /**
   * Opens a pull read of one partition of an AVAILABLE job, verified against that partition's
   * manifest. It reads the job's buckets and keeps the partition's chunks: as many reads as the
   * whole job, so it suits a check of one task's output more than a way to split a large read.
   */
  default DatasetReader openPartition(JobId job, int partition) {
    return open(ReadPosition.startPartition(job, partition));
  }

  /** What a read delivered. */
  record DatasetSummary(JobId job, Optional<String> group, long chunks, long events, boolean verifiedAgainstManifest) {}
}
