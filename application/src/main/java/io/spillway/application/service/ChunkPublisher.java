package io.spillway.application.service;

import io.spillway.application.port.in.BackpressureException;
import io.spillway.application.port.out.ChunkStream;
import io.spillway.application.port.out.Clock;
import io.spillway.application.port.out.PublishOutcome;
import io.spillway.application.port.out.RandomSource;
import io.spillway.application.port.out.RetryableStoreException;
import io.spillway.domain.chunk.Chunk;
import io.spillway.domain.chunk.StoredItemLayout;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The producer's bounded buffer in front of the stream. Chunks wait here until the stream accepts
 * them; throttled chunks stay, in order, and are retried with exponential backoff. Appenders
 * reserve room before accepting events ({@link #reserve(long)}), so a full buffer pushes back on
 * the producer instead of growing or dropping: a chunk counts as published only once accepted.
 *
 * <p>Bound: buffered plus reserved bytes stay under {@code maxBufferedBytes}, plus the chunks a
 * linger flush or a seal cuts from events accepted earlier (those are never refused).
 */
public final class ChunkPublisher {
  private static final Logger log = LoggerFactory.getLogger(ChunkPublisher.class);
  /** Room one append may need: a chunk cut on size plus one cut to bound the assembler's memory. */
  public static final long RESERVE_PER_APPEND = 2L * StoredItemLayout.ITEM_LIMIT_BYTES;

  private final ChunkStream stream;
  private final Clock clock;
  private final PublisherSettings settings;
  private final ArrayDeque<Chunk> buffer = new ArrayDeque<>();
  private long bufferedBytes;
  private long reserved;
  private long maxBufferedSeen;
  private long published;
  private long publishedEvents;
  private long throttled;
  private long calls;

  private final RandomSource jitter;

  /** Retries back off exponentially with equal jitter drawn from {@code jitter}. */
  public ChunkPublisher(ChunkStream stream, Clock clock, PublisherSettings settings, RandomSource jitter) {
    this.stream = stream;
    this.clock = clock;
    this.settings = settings;
    this.jitter = jitter;
  }

  /** Without jitter (deterministic waits): for tests and single-producer simulations. */
  public ChunkPublisher(ChunkStream stream, Clock clock, PublisherSettings settings) {
    this(stream, clock, settings, RandomSource.none());
  }

  /**
   * Reserves room for chunks an appender is about to cut: publishes (with backoff) while buffered
   * plus reserved bytes leave no room; under FAIL_FAST, or after the block timeout, refuses with
   * {@link BackpressureException} and reserves nothing. Reservations are what keep the bound under
   * any number of concurrent appenders.
   */
  public synchronized void reserve(long bytes) {
    if (hasRoom(bytes)) {
      reserved += bytes;
      return;
    }
    Instant deadline = clock.now().plus(settings.blockTimeout());
    int failures = 0;
    while (!hasRoom(bytes)) {
      int accepted = publishOnce();
      if (hasRoom(bytes)) {
        break;
      }
      if (accepted == 0) {
        if (settings.backpressure() == PublisherSettings.Backpressure.FAIL_FAST || !clock.now().isBefore(deadline)) {
          throw new BackpressureException("producer buffer full: " + bufferedBytes + " of " + settings.maxBufferedBytes()
              + " bytes waiting (" + reserved + " reserved) and the stream is refusing records"
              + (settings.backpressure() == PublisherSettings.Backpressure.BLOCK ? " after " + settings.blockTimeout() : " (fail-fast)"));
        }
        sleep(backoff(failures++));
      } else {
        failures = 0;
      }
    }
    reserved += bytes;
  }

  /** Gives back reserved room that was not used. */
  public synchronized void release(long bytes) {
    reserved -= bytes;
  }

  /** Takes chunks cut from accepted events (never refusing them); publishes full batches. */
  public synchronized void enqueue(List<Chunk> chunks) {
    enqueue(chunks, 0);
  }

  /** As {@link #enqueue(List)}, filling {@code fromReservation} bytes of room reserved earlier. */
  public synchronized void enqueue(List<Chunk> chunks, long fromReservation) {
    reserved -= fromReservation;
    for (Chunk c : chunks) {
      buffer.addLast(c);
      bufferedBytes += c.record().length;
    }
    maxBufferedSeen = Math.max(maxBufferedSeen, bufferedBytes);
    while (batchReady()) {
      if (publishOnce() == 0) {
        break;
      }
    }
  }

  /** One attempt to publish whatever is buffered (no waiting); returns chunks accepted. */
  public synchronized int publishAvailable() {
    int total = 0;
    while (!buffer.isEmpty()) {
      int accepted = publishOnce();
      total += accepted;
      if (accepted == 0) {
        break;
      }
    }
    return total;
  }

  /**
   * Publishes everything buffered, backing off while throttled, for at most {@code timeout}.
   *
   * @throws BackpressureException when the buffer is not empty by then (nothing is lost)
   */
  public synchronized void drain(Duration timeout) {
    Instant deadline = clock.now().plus(timeout);
    int failures = 0;
    while (!buffer.isEmpty()) {
      if (publishOnce() > 0) {
        failures = 0;
        continue;
      }
      if (!clock.now().isBefore(deadline)) {
        throw new BackpressureException("stream kept refusing records: " + buffer.size() + " chunks (" + bufferedBytes
            + " bytes) still buffered after " + timeout);
      }
      sleep(backoff(failures++));
    }
  }

  public synchronized long bufferedBytes() {
    return bufferedBytes;
  }

  public synchronized int bufferedChunks() {
    return buffer.size();
  }

  /** The chunks waiting for the stream, oldest first (a copy). */
  public synchronized List<Chunk> buffered() {
    return List.copyOf(buffer);
  }

  public synchronized Stats stats() {
    return new Stats(published, publishedEvents, throttled, calls, bufferedBytes, maxBufferedSeen);
  }

  /** Counters since start. */
  public record Stats(long chunksPublished, long eventsPublished, long chunksThrottled, long publishCalls, long bufferedBytes, long maxBufferedBytes) {}

  private boolean hasRoom(long bytes) {
    return bufferedBytes + reserved + bytes <= settings.maxBufferedBytes();
  }

  private boolean batchReady() {
    return buffer.size() >= settings.batchRecords() || bufferedBytes >= settings.batchBytes();
  }

  /** One publish call for the head of the buffer; throttled chunks stay at the head, in order. */
  private int publishOnce() {
    if (buffer.isEmpty()) {
      return 0;
    }
    List<Chunk> batch = new ArrayList<>();
    long bytes = 0;
    for (Iterator<Chunk> it = buffer.iterator(); it.hasNext() && batch.size() < settings.batchRecords(); ) {
      Chunk c = it.next();
      long size = c.record().length + c.id().streamPartitionKey().length();
      if (!batch.isEmpty() && bytes + size > settings.batchBytes()) {
        break;
      }
      batch.add(c);
      bytes += size;
    }
    calls++;
    List<PublishOutcome> outcomes;
    try {
      outcomes = stream.publish(batch);
    } catch (RetryableStoreException e) {
      log.warn("publish of {} chunks failed, will retry: {}", batch.size(), e.getMessage());
      throttled += batch.size();
      return 0;
    }
    if (outcomes.size() != batch.size()) {
      throw new IllegalStateException("stream answered " + outcomes.size() + " outcomes for " + batch.size() + " chunks");
    }
    for (int i = 0; i < batch.size(); i++) {
      buffer.pollFirst();
    }
    int accepted = 0;
    List<Chunk> retry = new ArrayList<>();
    for (int i = 0; i < batch.size(); i++) {
      Chunk c = batch.get(i);
      if (outcomes.get(i) instanceof PublishOutcome.Accepted) {
        accepted++;
        published++;
        publishedEvents += c.eventCount();
        bufferedBytes -= c.record().length;
      } else {
        throttled++;
        retry.add(c);
      }
    }
    for (int i = retry.size() - 1; i >= 0; i--) {
      buffer.addFirst(retry.get(i));
    }
    return accepted;
  }

  private Duration backoff(int failures) {
    return Backoff.jittered(failures, settings.backoffBase(), settings.backoffMax(), jitter);
  }

  private void sleep(Duration d) {
    try {
      clock.sleep(d);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new BackpressureException("interrupted while waiting for the stream; buffered chunks are kept");
    }
  }
}
