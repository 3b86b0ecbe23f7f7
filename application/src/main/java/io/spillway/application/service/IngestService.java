package io.spillway.application.service;

import io.spillway.application.port.in.Ingest;
import io.spillway.application.port.in.IngestResult;
import io.spillway.application.port.in.StreamRecord;
import io.spillway.application.port.out.Chunks;
import io.spillway.application.port.out.Clock;
import io.spillway.application.port.out.DeadLetter;
import io.spillway.application.port.out.DeadLetters;
import io.spillway.application.port.out.PutOutcome;
import io.spillway.application.port.out.RetryableStoreException;
import io.spillway.domain.chunk.Chunk;
import io.spillway.domain.chunk.ChunkFormat;
import io.spillway.domain.chunk.CodecRegistry;
import io.spillway.domain.chunk.CorruptChunkException;
import io.spillway.domain.chunk.StoredItemLayout;
import io.spillway.domain.job.JobId;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Persists stream records: verify, pace, put if absent, dead-letter poison, and report the durable
 * prefix. Redelivery is normal: an item already present is a duplicate, which is success.
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

  @Override
  public IngestResult ingest(List<StreamRecord> records) {
    Set<JobId> touched = new LinkedHashSet<>();
    String checkpoint = null;
    int durable = 0;
    int w = 0;
    int d = 0;
    int dl = 0;
    int t = 0;
    double wcu = 0;
    for (StreamRecord record : records) {
      Chunk chunk;
      try {
        chunk = ChunkFormat.parse(record.data());
        if (settings.verifyPayload()) {
          ChunkFormat.verify(chunk, codecs);
        }
        if (chunk.storedItemSize() > StoredItemLayout.ITEM_LIMIT_BYTES) {
          throw new CorruptChunkException(CorruptChunkException.Reason.ITEM_TOO_LARGE, "chunk " + chunk.id() + " would store "
              + chunk.storedItemSize() + " bytes; DynamoDB's item limit is " + StoredItemLayout.ITEM_LIMIT_BYTES);
        }
      } catch (CorruptChunkException e) {
        deadLetters.add(new DeadLetter(record.shardId(), record.sequenceNumber(), e.reason().name(), e.getMessage(), record.data(), clock.now()));
        log.warn("dead-lettered record {}@{}: {}", record.shardId(), record.sequenceNumber(), e.getMessage());
        dl++;
        durable++;
        checkpoint = record.sequenceNumber();
        continue;
      } catch (RuntimeException e) {
        // not the record's fault (a codec this process lacks, say): stop here, never skip it
        log.error("cannot verify record {}@{} in this process; stopping the batch before it: {}", record.shardId(), record.sequenceNumber(), e.toString());
        break;
      }
      Attempts attempts = put(chunk);
      PutOutcome outcome = attempts.outcome();
      t += attempts.throttled();
      if (outcome instanceof PutOutcome.Throttled th) {
        log.debug("stopping batch at {}@{}: {}", record.shardId(), record.sequenceNumber(), th.reason());
        break;
      }
      if (outcome instanceof PutOutcome.Written wr) {
        w++;
        availability.stored(chunk.id().jobId());
        wcu += wr.writeUnits();
        eventsWritten.add(chunk.eventCount());
      } else if (outcome instanceof PutOutcome.AlreadyPresent ap) {
        d++;
        wcu += ap.writeUnits();
      }
      touched.add(chunk.id().jobId());
      durable++;
      checkpoint = record.sequenceNumber();
    }
    for (JobId job : touched) {
      availability.check(job);
    }
    written.add(w);
    duplicates.add(d);
    deadLettered.add(dl);
    throttled.add(t);
    writeUnits.add(wcu);
    return new IngestResult(Optional.ofNullable(checkpoint), durable, w, d, dl, t, records.size() - durable, wcu);
  }

  private record Attempts(PutOutcome outcome, int throttled) {}

  /** Puts with pacing and retries; Throttled only when every attempt was refused. */
  private Attempts put(Chunk chunk) {
    int refused = 0;
    PutOutcome last = null;
    for (int attempt = 0; attempt < settings.maxPutAttempts(); attempt++) {
      try {
        governor.acquire(chunk.writeUnits());
        last = chunks.putIfAbsent(chunk);
      } catch (RetryableStoreException e) {
        last = new PutOutcome.Throttled("store failure: " + e.getMessage());
      } catch (RuntimeException e) {
        log.error("the store refused chunk {} (not retryable); stopping the batch before it", chunk.id(), e);
        return new Attempts(new PutOutcome.Throttled("store failure (not retryable): " + e), refused);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return new Attempts(new PutOutcome.Throttled("interrupted"), refused);
      }
      if (last.isDurable()) {
        governor.onSuccess();
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
