package io.spillway.application.service;

import io.spillway.application.port.in.Ingest;
import io.spillway.application.port.in.IngestResult;
import io.spillway.application.port.in.StreamRecord;
import io.spillway.application.port.out.Chunks;
import io.spillway.application.port.out.Clock;
import io.spillway.application.port.out.DeadLetter;
import io.spillway.application.port.out.DeadLetters;
import io.spillway.application.port.out.PermanentStoreException;
import io.spillway.application.port.out.PutOutcome;
import io.spillway.application.port.out.RetryableStoreException;
import io.spillway.domain.chunk.Chunk;
import io.spillway.domain.chunk.ChunkFormat;
import io.spillway.domain.chunk.CodecRegistry;
import io.spillway.domain.chunk.CorruptChunkException;
import io.spillway.domain.chunk.StoredItemLayout;
import io.spillway.domain.job.JobId;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Persists stream records: verify, pace, put if absent, dead-letter poison, and report the durable
 * prefix. Redelivery is normal: an item already present is a duplicate, which is success. Every
 * record ends stored or dead-lettered: one that can be neither now (the store is throttled or
 * unavailable) stops the batch before it, and the caller hands it in again.
 */
public final class IngestService implements Ingest {
  private static final Logger log = LoggerFactory.getLogger(IngestService.class);

  private final Chunks chunks;
  private final DeadLetters deadLetters;
  private final AvailabilityCheck availability;
  private final WriteRateGovernor governor;
  private final CodecRegistry codecs;
  private final Clock clock;
  private final IngestSettings settings;
  private final LongAdder written = new LongAdder();
  private final LongAdder duplicates = new LongAdder();
  private final LongAdder deadLettered = new LongAdder();
  private final LongAdder throttled = new LongAdder();
  private final LongAdder eventsWritten = new LongAdder();
  private final java.util.concurrent.atomic.DoubleAdder writeUnits = new java.util.concurrent.atomic.DoubleAdder();

  public IngestService(Chunks chunks, DeadLetters deadLetters, AvailabilityCheck availability, WriteRateGovernor governor,
      CodecRegistry codecs, Clock clock, IngestSettings settings) {
    this.chunks = chunks;
    this.deadLetters = deadLetters;
    this.availability = availability;
    this.governor = governor;
    this.codecs = codecs;
    this.clock = clock;
    this.settings = settings;
  }

  /**
   * Handles the batch in order until a record cannot be handled now. Never throws for a record or
   * a store that may recover: such a record stops the batch before it, and is handed in again.
   *
   * @throws PermanentStoreException when the store fails in a way no retry fixes (the table is
   *     gone, access is denied): the caller stops consuming, checkpointed before that record
   */
  @Override
  public IngestResult ingest(List<StreamRecord> records) {
    Map<JobId, Long> firstWrites = new LinkedHashMap<>();
    String checkpoint = null;
    int durable = 0;
    int w = 0;
    int d = 0;
    int dl = 0;
    int t = 0;
    double wcu = 0;
    try {
      for (StreamRecord record : records) {
        Chunk chunk;
        try {
          chunk = examine(record);
        } catch (CorruptChunkException e) {
          if (!deadLetter(record, e.reason().name(), e.getMessage())) {
            break;
          }
          dl++;
          durable++;
          checkpoint = record.sequenceNumber();
          continue;
        } catch (RetryableStoreException e) {
          log.warn("cannot look up the job of record {}@{} now; stopping the batch before it: {}", record.shardId(), record.sequenceNumber(),
              e.getMessage());
          break;
        } catch (PermanentStoreException e) {
          throw e;
        } catch (RuntimeException e) {
          // not the record's fault (a codec this process lacks, say): stop here, never skip it
          log.error("cannot verify record {}@{} in this process; stopping the batch before it: {}", record.shardId(), record.sequenceNumber(),
              e.toString());
          break;
        }
        if (chunk == null) {
          if (!deadLetter(record, DeadLetter.UNKNOWN_JOB, "no job record for the job of this chunk in the table")) {
            break;
          }
          dl++;
          durable++;
          checkpoint = record.sequenceNumber();
          continue;
        }
        Attempts attempts = put(chunk);
        PutOutcome outcome = attempts.outcome();
        t += attempts.throttled();
        if (outcome instanceof PutOutcome.Refused refused) {
          if (!deadLetter(record, refused.reason(), refused.detail())) {
            break;
          }
          dl++;
          durable++;
          checkpoint = record.sequenceNumber();
          continue;
        }
        if (!outcome.isDurable()) {
          log.debug("stopping batch at {}@{}: {}", record.shardId(), record.sequenceNumber(), outcome);
          break;
        }
        if (outcome instanceof PutOutcome.Written wr) {
          w++;
          firstWrites.merge(chunk.id().jobId(), 1L, Long::sum);
          wcu += wr.writeUnits();
          eventsWritten.add(chunk.eventCount());
        } else if (outcome instanceof PutOutcome.AlreadyPresent ap) {
          d++;
          wcu += ap.writeUnits();
        }
        durable++;
        checkpoint = record.sequenceNumber();
      }
    } finally {
      firstWrites.forEach(this::count);
      written.add(w);
      duplicates.add(d);
      deadLettered.add(dl);
      throttled.add(t);
      writeUnits.add(wcu);
    }
    return new IngestResult(Optional.ofNullable(checkpoint), durable, w, d, dl, t, records.size() - durable, wcu);
  }

  /** What one record handed in again came to (see {@link #retry}). */
  public sealed interface Retried {
    /** Its chunk is in the table now: {@code firstWrite} when this call stored it, false when it was there already. */
    record Stored(String chunkId, boolean firstWrite) implements Retried {}

    /** The record is still poison, for this reason; nothing was stored. */
    record StillPoison(String reason, String detail) implements Retried {}

    /** It could not be handled now (the table throttled or did not answer); try again later. */
    record NotNow(String why) implements Retried {}
  }

  /**
   * Hands one record in again, as the consumer would, but says what it came to instead of
   * dead-lettering it: for replaying a dead letter once its cause is fixed. A chunk stored here is
   * counted toward its job like any other, so the job becomes AVAILABLE if it was the last one.
   *
   * @throws PermanentStoreException when the store fails in a way no retry fixes
   */
  public Retried retry(StreamRecord record) {
    Chunk chunk;
    try {
      chunk = examine(record);
    } catch (CorruptChunkException e) {
      return new Retried.StillPoison(e.reason().name(), e.getMessage());
    } catch (RetryableStoreException e) {
      return new Retried.NotNow(e.getMessage());
    }
    if (chunk == null) {
      return new Retried.StillPoison(DeadLetter.UNKNOWN_JOB, "no job record for the job of this chunk in the table");
    }
    Attempts attempts = put(chunk);
    throttled.add(attempts.throttled());
    PutOutcome outcome = attempts.outcome();
    if (outcome instanceof PutOutcome.Refused refused) {
      return new Retried.StillPoison(refused.reason(), refused.detail());
    }
    if (outcome instanceof PutOutcome.Written wr) {
      written.increment();
      eventsWritten.add(chunk.eventCount());
      writeUnits.add(wr.writeUnits());
      count(chunk.id().jobId(), 1);
      return new Retried.Stored(chunk.id().toString(), true);
    }
    if (outcome instanceof PutOutcome.AlreadyPresent ap) {
      duplicates.increment();
      writeUnits.add(ap.writeUnits());
      return new Retried.Stored(chunk.id().toString(), false);
    }
    return new Retried.NotNow(String.valueOf(outcome));
  }

  /**
   * The record's chunk, verified; null when its job has no record.
   *
   * @throws CorruptChunkException when the record is poison
   */
  private Chunk examine(StreamRecord record) {
    Chunk chunk = ChunkFormat.parse(record.data());
    if (settings.verifyPayload()) {
      ChunkFormat.verify(chunk, codecs);
    }
    if (chunk.storedItemSize() > StoredItemLayout.ITEM_LIMIT_BYTES) {
      throw new CorruptChunkException(CorruptChunkException.Reason.ITEM_TOO_LARGE, "chunk " + chunk.id() + " would store "
          + chunk.storedItemSize() + " bytes; DynamoDB's item limit is " + StoredItemLayout.ITEM_LIMIT_BYTES);
    }
    return availability.exists(chunk.id().jobId()) ? chunk : null;
  }

  /** Dead-letters the record; false when the store cannot take the letter now (the batch stops before the record). */
  private boolean deadLetter(StreamRecord record, String reason, String detail) {
    try {
      deadLetters.add(DeadLetter.of(record.shardId(), record.sequenceNumber(), reason, detail, record.data(), clock.now()));
    } catch (PermanentStoreException e) {
      throw e;
    } catch (RuntimeException e) {
      log.warn("cannot dead-letter record {}@{} now ({}); stopping the batch before it: {}", record.shardId(), record.sequenceNumber(), reason,
          e.toString());
      return false;
    }
    log.warn("dead-lettered record {}@{} ({} bytes): {}: {}", record.shardId(), record.sequenceNumber(), record.data().length, reason, detail);
    return true;
  }

  /**
   * Adds first writes to the job's shared count (which makes the job AVAILABLE when they were its
   * last). The chunks are durable whatever happens here: a count that fails after its retries is
   * left to the availability sweep, which counts the job's chunks in the table.
   */
  private void count(JobId job, long firstWrites) {
    for (int attempt = 0; attempt < settings.maxPutAttempts(); attempt++) {
      try {
        availability.stored(job, firstWrites);
        return;
      } catch (RetryableStoreException e) {
        log.debug("counting {} chunks of {} failed (attempt {}): {}", firstWrites, job, attempt + 1, e.getMessage());
      } catch (PermanentStoreException e) {
        throw e;
      }
      try {
        clock.sleep(backoff(attempt));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    log.warn("could not count {} chunks stored for job {}; the availability sweep will count them in the table", firstWrites, job);
  }

  private record Attempts(PutOutcome outcome, int throttled) {}

  /** Puts with pacing and retries; Throttled only when every attempt was refused or failed in a way a retry may fix. */
  private Attempts put(Chunk chunk) {
    int refused = 0;
    PutOutcome last = null;
    for (int attempt = 0; attempt < settings.maxPutAttempts(); attempt++) {
      try {
        governor.acquire(chunk.writeUnits());
        last = chunks.putIfAbsent(chunk);
      } catch (RetryableStoreException e) {
        last = new PutOutcome.Throttled("store failure: " + e.getMessage());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return new Attempts(new PutOutcome.Throttled("interrupted"), refused);
      }
      if (last.isDurable()) {
        governor.onSuccess();
        return new Attempts(last, refused);
      }
      if (last instanceof PutOutcome.Refused) {
        return new Attempts(last, refused);
      }
      refused++;
      governor.onThrottled();
      if (attempt + 1 < settings.maxPutAttempts()) {
        try {
          clock.sleep(backoff(attempt));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return new Attempts(last, refused);
        }
      }
    }
    return new Attempts(last, refused);
  }

  private Duration backoff(int attempt) {
    return Backoff.after(attempt, settings.backoffBase(), settings.backoffMax());
  }

  /** Counters since start. */
  public Stats stats() {
    return new Stats(written.sum(), duplicates.sum(), deadLettered.sum(), throttled.sum(), eventsWritten.sum(), writeUnits.sum());
  }

  /** Ingest counters. */
  public record Stats(long chunksWritten, long duplicates, long deadLettered, long throttledAttempts, long eventsWritten, double writeUnits) {}
}
