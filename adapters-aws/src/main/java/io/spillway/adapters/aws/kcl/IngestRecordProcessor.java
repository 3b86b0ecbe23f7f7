package io.spillway.adapters.aws.kcl;

import io.spillway.application.port.in.Ingest;
import io.spillway.application.port.in.IngestResult;
import io.spillway.application.port.in.StreamRecord;
import io.spillway.application.port.out.PermanentStoreException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.kinesis.exceptions.InvalidStateException;
import software.amazon.kinesis.exceptions.KinesisClientLibDependencyException;
import software.amazon.kinesis.exceptions.ShutdownException;
import software.amazon.kinesis.exceptions.ThrottlingException;
import software.amazon.kinesis.lifecycle.events.InitializationInput;
import software.amazon.kinesis.lifecycle.events.LeaseLostInput;
import software.amazon.kinesis.lifecycle.events.ProcessRecordsInput;
import software.amazon.kinesis.lifecycle.events.ShardEndedInput;
import software.amazon.kinesis.lifecycle.events.ShutdownRequestedInput;
import software.amazon.kinesis.processor.RecordProcessorCheckpointer;
import software.amazon.kinesis.processor.ShardRecordProcessor;
import software.amazon.kinesis.retrieval.KinesisClientRecord;

/**
 * One shard's processor: hands each batch to the ingest use case and checkpoints exactly the
 * durable prefix it reports. KCL does not deliver a batch twice to a live processor and skips
 * whatever a processor throws out of {@code processRecords}, so nothing is thrown: records not yet
 * durable — throttled, or met by a timeout, a 5xx or a lost connection — are retried here, with
 * backoff, for as long as the lease is held; after the lease is lost nothing is checkpointed, and
 * a graceful shutdown checkpoints what is durable. A failure no retry fixes (the table is gone,
 * access is denied) trips the worker's {@link WorkerFailure}: every processor of the worker stops
 * consuming, checkpointed before the record that met it, and the worker is stopped.
 */
final class IngestRecordProcessor implements ShardRecordProcessor {
  private static final Logger log = LoggerFactory.getLogger(IngestRecordProcessor.class);
  private static final long MAX_PAUSE_MILLIS = 5_000;

  private final Ingest ingest;
  private final Duration retryPause;
  private final WorkerFailure failure;
  private final ShardListener listener;
  private volatile boolean leaseLost;
  private boolean ended;
  private volatile boolean stopping;
  private String shardId = "?";
  private String lastCheckpointed;

  IngestRecordProcessor(Ingest ingest, Duration retryPause, WorkerFailure failure) {
    this(ingest, retryPause, failure, ShardListener.none());
  }

  IngestRecordProcessor(Ingest ingest, Duration retryPause, WorkerFailure failure, ShardListener listener) {
    this.ingest = ingest;
    this.retryPause = retryPause;
    this.failure = failure;
    this.listener = listener;
  }

  @Override
  public void initialize(InitializationInput input) {
    shardId = input.shardId();
    log.info("processing {} from {}", shardId, input.extendedSequenceNumber());
    listener.leaseTaken(shardId);
  }

  @Override
  public void processRecords(ProcessRecordsInput input) {
    List<StreamRecord> pending = new ArrayList<>(input.records().size());
    long bytes = 0;
    for (KinesisClientRecord r : input.records()) {
      pending.add(new StreamRecord(shardId, r.sequenceNumber(), r.approximateArrivalTimestamp() == null ? Instant.EPOCH : r.approximateArrivalTimestamp(),
          bytes(r.data())));
      bytes += r.data().remaining();
    }
    Optional<Instant> oldest = input.records().isEmpty() ? Optional.empty() : Optional.ofNullable(input.records().get(0).approximateArrivalTimestamp());
    if (ingestAll(input, pending)) {
      listener.batchDone(shardId, oldest, pending.size(), bytes, Optional.ofNullable(input.millisBehindLatest()));
    }
  }

  /** Ingests the batch until all of it is durable (true), or the lease, the worker or the process stops first. */
  private boolean ingestAll(ProcessRecordsInput input, List<StreamRecord> batch) {
    List<StreamRecord> pending = batch;
    long pause = retryPause.toMillis();
    while (!pending.isEmpty() && !leaseLost && !failure.tripped()) {
      IngestResult result;
      try {
        result = ingest.ingest(pending);
      } catch (PermanentStoreException e) {
        failure.trip(e);
        log.error("{}: stopping at {} records not stored: {}", shardId, pending.size(), e.getMessage());
        return false;
      } catch (RuntimeException e) {
        // whatever it is, KCL would skip the batch if it left here: hold the records and try again
        log.warn("{}: ingest failed, retrying {} records in {} ms: {}", shardId, pending.size(), pause, e.toString());
        result = null;
      }
      if (result != null) {
        if (result.checkpoint().isPresent()) {
          checkpoint(input.checkpointer(), result.checkpoint().get());
        }
        if (result.complete()) {
          return true;
        }
        pending = new ArrayList<>(pending.subList(result.durable(), pending.size()));
        if (result.durable() > 0) {
          pause = retryPause.toMillis();
        }
      }
      if (stopping) {
        log.info("{}: shutting down with {} records not yet durable; they will be redelivered", shardId, pending.size());
        return false;
      }
      if (!failure.pause(pause)) {
        return false;
      }
      pause = Math.min(pause * 2, MAX_PAUSE_MILLIS);
    }
    return pending.isEmpty();
  }

  private void end() {
    synchronized (this) {
      if (ended) {
        return;
      }
      ended = true;
    }
    listener.leaseEnded(shardId);
  }

  @Override
  public void leaseLost(LeaseLostInput input) {
    leaseLost = true;
    end();
    if (stopping) {
      // KCL ends every lease this way once a requested shutdown has checkpointed
      log.info("{}: stopped at checkpoint {}", shardId, lastCheckpointed);
    } else {
      log.info("{}: lease lost; another worker resumes from the last checkpoint ({})", shardId, lastCheckpointed);
    }
  }

  @Override
  public void shardEnded(ShardEndedInput input) {
    end();
    try {
      input.checkpointer().checkpoint();
    } catch (ShutdownException | InvalidStateException | KinesisClientLibDependencyException | ThrottlingException e) {
      throw new IllegalStateException("could not checkpoint the end of " + shardId, e);
    }
  }

  @Override
  public void shutdownRequested(ShutdownRequestedInput input) {
    stopping = true;
    end();
    if (lastCheckpointed != null && !leaseLost) {
      checkpoint(input.checkpointer(), lastCheckpointed);
    }
  }

  private void checkpoint(RecordProcessorCheckpointer checkpointer, String sequenceNumber) {
    if (leaseLost) {
      return;
    }
    try {
      checkpointer.checkpoint(sequenceNumber);
      lastCheckpointed = sequenceNumber;
    } catch (ShutdownException e) {
      leaseLost = true;
      log.info("{}: checkpoint refused, the lease is gone: {}", shardId, e.getMessage());
    } catch (ThrottlingException | KinesisClientLibDependencyException e) {
      // a later batch checkpoints past this point; redelivery after a crash is counted as duplicates
      log.warn("{}: checkpoint at {} failed, will advance with the next batch: {}", shardId, sequenceNumber, e.getMessage());
    } catch (InvalidStateException e) {
      failure.trip(new PermanentStoreException("lease table", "the lease table refused a checkpoint for " + shardId + ": " + e.getMessage(), e));
    }
  }

  private static byte[] bytes(ByteBuffer data) {
    ByteBuffer copy = data.duplicate();
    byte[] out = new byte[copy.remaining()];
    copy.get(out);
    return out;
  }
}
