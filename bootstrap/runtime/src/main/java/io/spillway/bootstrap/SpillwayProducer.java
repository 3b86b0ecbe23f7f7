package io.spillway.bootstrap;

import io.spillway.application.port.in.AppendOutcome;
import io.spillway.application.port.in.BackpressureException;
import io.spillway.application.port.in.Intake;
import io.spillway.application.port.in.OpenJob;
import io.spillway.application.port.in.PartitionOpened;
import io.spillway.domain.manifest.PartitionManifest;
import io.spillway.application.service.ChunkPublisher;
import io.spillway.application.service.IntakeService;
import io.spillway.domain.event.Event;
import io.spillway.domain.job.Job;
import io.spillway.domain.job.JobClass;
import io.spillway.domain.job.JobId;
import io.spillway.domain.manifest.Manifest;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The producer's side, for job runners: open a job, append its events (from any number of
 * threads), seal it. Chunks leave on their own: a background tick cuts chunks whose linger
 * deadline passed and retries what the stream throttled, so an embedder never has to flush.
 * {@link #close()} publishes what is still buffered (up to the seal timeout) before it returns.
 */
public final class SpillwayProducer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(SpillwayProducer.class);

  private final IntakeService intake;
  private final ChunkPublisher publisher;
  private final Duration closeTimeout;
  private final ScheduledExecutorService tick;

  SpillwayProducer(IntakeService intake, ChunkPublisher publisher, SpillwayConfig config) {
    this.intake = intake;
    this.publisher = publisher;
    this.closeTimeout = config.sealTimeout();
    // a quarter of the linger time: an open chunk leaves at most 25 % after its deadline
    long every = Math.max(10, config.assembler().linger().toMillis() / 4);
    this.tick = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "spillway-producer-tick");
      t.setDaemon(true);
      return t;
    });
    tick.scheduleWithFixedDelay(this::flush, every, every, TimeUnit.MILLISECONDS);
  }

  /** Opens a job with a new id. */
  public Job open(String name, JobClass jobClass, int buckets) {
    return intake.open(OpenJob.named(name, jobClass, buckets));
  }

  /** Opens a job, every one of its partitions in this process; with the caller's id, opening it again is refused. */
  public Job open(OpenJob command) {
    return intake.open(command);
  }

  /**
   * Creates a job whose partitions producer tasks elsewhere open ({@link #openPartition}): what a job
   * runner's driver calls before it starts the tasks.
   */
  public Job create(OpenJob command) {
    return intake.create(command);
  }

  /**
   * Opens one partition of a job for this process's task, whichever process created the job. After a
   * crash, a resumable job's partition is opened again the same way: {@link PartitionOpened.State#RESUMED}
   * says to send the partition again from sequence 0 (docs/partitions.md).
   */
  public PartitionOpened openPartition(JobId job, int partition) {
    return intake.openPartition(job, partition);
  }

  /** Seals one partition; the last partition's seal seals the job. Safe to call again. */
  public PartitionManifest sealPartition(JobId job, int partition) {
    return intake.sealPartition(job, partition);
  }

  /**
   * Accepts one event (sequences dense from 0 per job; a re-sent one is a duplicate, which is success).
   *
   * @throws BackpressureException when the buffer stays full for the publisher's block timeout
   */
  public AppendOutcome append(JobId job, Event event) {
    return intake.append(job, event);
  }

  /** Appends in order; after a {@link BackpressureException} offer the same list again (accepted events come back as duplicates). */
  public Intake.AppendSummary appendAll(JobId job, List<Event> events) {
    return intake.appendAll(job, events);
  }

  /** Cuts the job's last chunks, publishes them, records the manifest and marks the job SEALED; safe to call again. */
  public Manifest seal(JobId job) {
    return intake.seal(job);
  }

  /**
   * Publishes what is buffered now (chunks already cut; open chunks stay open), waiting up to
   * {@code timeout} for the stream to take it: a checkpoint a task may take before a risky step.
   *
   * @throws BackpressureException when the stream kept refusing records for the whole timeout (they stay buffered)
   */
  public void flush(Duration timeout) {
    publisher.drain(timeout);
  }

  public IntakeService.Stats stats() {
    return intake.stats();
  }

  public ChunkPublisher.Stats publisherStats() {
    return publisher.stats();
  }

  private void flush() {
    try {
      intake.flushLingering();
    } catch (BackpressureException e) {
      log.debug("linger flush deferred: {}", e.getMessage());
    } catch (RuntimeException e) {
      log.warn("linger flush failed, will run again: {}", e.toString());
    }
  }

  /**
   * Stops the tick, cuts what lingers and publishes everything buffered, for at most the seal timeout.
   *
   * @throws BackpressureException when the stream kept refusing records (they are still buffered, and lost with the process)
   */
  @Override
  public void close() {
    tick.shutdownNow();
    try {
      tick.awaitTermination(closeTimeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    intake.flushLingering();
    publisher.drain(closeTimeout);
  }
}
