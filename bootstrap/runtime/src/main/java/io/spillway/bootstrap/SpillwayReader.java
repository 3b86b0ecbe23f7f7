package io.spillway.bootstrap;

import io.spillway.application.port.in.DatasetNotAvailableException;
import io.spillway.application.port.in.DatasetReader;
import io.spillway.application.port.in.Datasets.DatasetSummary;
import io.spillway.application.port.in.IncompleteDatasetException;
import io.spillway.application.port.in.JobProgress;
import io.spillway.application.port.in.ReadPosition;
import io.spillway.application.port.out.Clock;
import io.spillway.application.service.DatasetService;
import io.spillway.domain.event.Event;
import io.spillway.domain.job.Job;
import io.spillway.domain.job.JobId;
import io.spillway.domain.job.JobStatus;
import io.spillway.domain.manifest.Manifest;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The reading side, for downstream services: where a job stands, waiting until it settles, and
 * reading an AVAILABLE job back, whole (verified against its manifest) or one group, pushed to a
 * sink or pulled at the caller's pace and resumable from where a read stopped.
 */
public final class SpillwayReader implements AutoCloseable {
  private static final Duration FIRST_PAUSE = Duration.ofMillis(50);
  private static final Duration MAX_PAUSE = Duration.ofSeconds(2);

  private final DatasetService datasets;
  private final Clock clock;

  SpillwayReader(DatasetService datasets, Clock clock) {
    this.datasets = datasets;
    this.clock = clock;
  }

  /** The job as it stands now; empty when unknown. */
  public Optional<Job> job(JobId id) {
    return datasets.job(id);
  }

  public Optional<JobStatus> status(JobId id) {
    return datasets.job(id).map(Job::status);
  }

  /**
   * How far the job has come: chunks promised by its manifest, stored, and missing (for an
   * INCOMPLETE job, the chunks that left the stream before they were stored); empty when unknown.
   */
  public Optional<JobProgress> progress(JobId id) {
    return datasets.progress(id);
  }

  /** The manifest of a sealed job (chunks, events, checksum). */
  public Optional<Manifest> manifest(JobId id) {
    return datasets.manifest(id);
  }

  /**
   * Waits until the job is settled — AVAILABLE, INCOMPLETE or FAILED — or the timeout passes, and
   * returns where it stands then: a status that is not {@link JobStatus#isTerminal() terminal}
   * means the wait timed out. Polls the job record with a growing pause (50 ms up to 2 s).
   *
   * @throws DatasetNotAvailableException when no such job exists
   */
  public JobStatus await(JobId id, Duration timeout) throws InterruptedException {
    Instant deadline = clock.now().plus(timeout);
    Duration pause = FIRST_PAUSE;
    while (true) {
      JobStatus status = status(id).orElseThrow(() -> new DatasetNotAvailableException("job " + id + " does not exist"));
      Instant now = clock.now();
      if (status.isTerminal() || !now.isBefore(deadline)) {
        return status;
      }
      Duration left = Duration.between(now, deadline);
      clock.sleep(pause.compareTo(left) < 0 ? pause : left);
      pause = pause.multipliedBy(2).compareTo(MAX_PAUSE) < 0 ? pause.multipliedBy(2) : MAX_PAUSE;
    }
  }

  /**
   * Streams an AVAILABLE job's events to the sink, verified against its manifest.
   *
   * @throws DatasetNotAvailableException when the job is unknown or not AVAILABLE (INCOMPLETE says how many chunks are missing)
   * @throws IncompleteDatasetException when what was read does not add up to the manifest
   */
  public DatasetSummary read(JobId id, Consumer<Event> sink) {
    return datasets.read(id, Optional.empty(), sink);
  }

  /** Streams one group of an AVAILABLE job's events to the sink. */
  public DatasetSummary readGroup(JobId id, String group, Consumer<Event> sink) {
    return datasets.read(id, Optional.of(group), sink);
  }

  /**
   * Opens a pull read of an AVAILABLE job's events, taken at the caller's pace with a bounded
   * read-ahead ({@code readParallelism × 2} chunks, at least 4); close it to stop early. Verified
   * against the manifest when its last event has been taken ({@code hasNext()} returning false).
   *
   * <pre>{@code
   * try (DatasetReader events = reader.open(job)) {
   *   while (events.hasNext()) {
   *     handle(events.next());
   *   }
   * }
   * }</pre>
   *
   * @throws DatasetNotAvailableException when the job is unknown or not AVAILABLE
   */
  public DatasetReader open(JobId id) {
    return datasets.open(id, Optional.empty());
  }

  /** Opens a pull read of one partition of an AVAILABLE job (one producer task's output), verified against its manifest. */
  public DatasetReader openPartition(JobId id, int partition) {
    return datasets.openPartition(id, partition);
  }

  /** Opens a pull read of one group of an AVAILABLE job's events. */
  public DatasetReader openGroup(JobId id, String group) {
    return datasets.open(id, Optional.of(group));
  }

  /**
   * Resumes a read where an earlier reader stood ({@link DatasetReader#position()}, or {@link
   * ReadPosition#fromToken} of the token a caller kept): delivers exactly the events it had not delivered. The resumed read checks every chunk it reads, that the chunk
   * the position stopped inside is still stored, and at its end the whole — the position's tally
   * plus what it read — against the manifest (or, for a group, for gaps in its chunk sequences).
   */
  public DatasetReader resume(ReadPosition position) {
    return datasets.open(position);
  }

  @Override
  public void close() {
    datasets.close();
  }
}
