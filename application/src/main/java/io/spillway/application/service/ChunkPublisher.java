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
import java.util.concurrent.locks.ReentrantLock;
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
 *
 * <p>Locking: the buffer's state (chunks, byte counts, reservations, counters) is guarded by
 * {@code state}, held only for short in-memory steps. Publishing takes a separate turn,
 * {@code publishing}: at most one publish call is in flight, so chunks leave in order. Neither
 * lock is held during a backoff sleep, and {@code state} is never held during a publish call, so
 * {@link #stats()}, {@link #bufferedBytes()}, {@link #release(long)}, a reservation that fits and
 * an enqueue that completes no batch answer at once while a PutRecords is slow. The chunks of the
 * call in flight stay at the head of the buffer (and in its byte count) until their outcomes are
 * known; other threads only ever add at the tail, so the turn holder finds them where it left them.
 * Lock order: {@code publishing} before {@code state}.
 */
public final class ChunkPublisher {
  private static final Logger log = LoggerFactory.getLogger(ChunkPublisher.class);
  /** Room one append may need: a chunk cut on size plus one cut to bound the assembler's memory. */
  public static final long RESERVE_PER_APPEND = 2L * StoredItemLayout.ITEM_LIMIT_BYTES;

  private final ChunkStream stream;
  private final Clock clock;
  private final PublisherSettings settings;
  private final RandomSource jitter;

  /** The turn to publish: held across one publish call (never across a sleep), taken before {@code state}. */
  private final ReentrantLock publishing = new ReentrantLock();
  /** Guards every field below; never held across a publish call or a sleep. */
  private final Object state = new Object();
  /** Waiting chunks in the order they were enqueued (by {@link Entry#seq}); the head may be in flight. */
  private final ArrayDeque<Entry> buffer = new ArrayDeque<>();
  private long nextSeq;
  private long bufferedBytes;
  private long reserved;
  private long maxBufferedSeen;
  private long published;
  private long publishedEvents;
  private long throttled;
  private long calls;

  /** A buffered chunk and its place in the order of enqueueing (what {@link #drain} waits for). */
  private record Entry(Chunk chunk, long seq) {}

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
   * any number of concurrent appenders: room is checked and taken in one step.
   */
  public void reserve(long bytes) {
    if (tryReserve(bytes)) {
      return;
    }
    Instant deadline = clock.now().plus(settings.blockTimeout());
    int failures = 0;
    while (true) {
      int accepted;
      publishing.lock();
      try {
        // a publish that ran while this thread waited for its turn may have made room
        if (tryReserve(bytes)) {
          return;
        }
        accepted = publishOnce();
        if (tryReserve(bytes)) {
          return;
        }
      } finally {
        publishing.unlock();
      }
      if (accepted == 0) {
        if (settings.backpressure() == PublisherSettings.Backpressure.FAIL_FAST || !clock.now().isBefore(deadline)) {
          long waiting;
          long reservedNow;
          synchronized (state) {
            waiting = bufferedBytes;
            reservedNow = reserved;
          }
          throw new BackpressureException("producer buffer full: " + waiting + " of " + settings.maxBufferedBytes()
              + " bytes waiting (" + reservedNow + " reserved) and the stream is refusing records"
              + (settings.backpressure() == PublisherSettings.Backpressure.BLOCK ? " after " + settings.blockTimeout() : " (fail-fast)"));
        }
        sleep(backoff(failures++));
      } else {
        failures = 0;
      }
    }
  }

  /** Gives back reserved room that was not used. */
  public void release(long bytes) {
    synchronized (state) {
      reserved -= bytes;
    }
  }

  /** Takes chunks cut from accepted events (never refusing them); publishes full batches. */
  public void enqueue(List<Chunk> chunks) {
    enqueue(chunks, 0);
  }

  /**
   * As {@link #enqueue(List)}, filling {@code fromReservation} bytes of room reserved earlier. Only
   * when a full batch is waiting does it publish, after any publish call in flight.
   */
  public void enqueue(List<Chunk> chunks, long fromReservation) {
    synchronized (state) {
      reserved -= fromReservation;
      for (Chunk c : chunks) {
        buffer.addLast(new Entry(c, nextSeq++));
        bufferedBytes += c.record().length;
      }
      maxBufferedSeen = Math.max(maxBufferedSeen, bufferedBytes);
      if (!batchReady()) {
        return;
      }
    }
    publishing.lock();
    try {
      while (batchReadyNow()) {
        if (publishOnce() == 0) {
          break;
        }
      }
    } finally {
      publishing.unlock();
    }
  }

  /**
   * One attempt to publish whatever is buffered (no backoff waiting; a publish call in flight is
   * let finish first); returns chunks accepted.
   */
  public int publishAvailable() {
    publishing.lock();
    try {
      int total = 0;
      while (bufferedChunks() > 0) {
        int accepted = publishOnce();
        total += accepted;
        if (accepted == 0) {
          break;
        }
      }
      return total;
    } finally {
      publishing.unlock();
    }
  }

  /**
   * Publishes everything buffered when called, backing off while throttled, for at most
   * {@code timeout}. Chunks other threads enqueue meanwhile go out with it when they fit a batch,
   * but it does not wait for them.
   *
   * @throws BackpressureException when the buffer still holds chunks it had to publish (nothing is lost)
   */
  public void drain(Duration timeout) {
    Instant deadline = clock.now().plus(timeout);
    long upTo;
    synchronized (state) {
      upTo = nextSeq - 1;
    }
    int failures = 0;
    while (true) {
      int accepted;
      publishing.lock();
      try {
        if (drained(upTo)) {
          return;
        }
        accepted = publishOnce();
      } finally {
        publishing.unlock();
      }
      if (accepted > 0) {
        failures = 0;
        continue;
      }
      if (!clock.now().isBefore(deadline)) {
        synchronized (state) {
          if (drained(upTo)) {
            return;
          }
          throw new BackpressureException("stream kept refusing records: " + buffer.size() + " chunks (" + bufferedBytes
              + " bytes) still buffered after " + timeout);
        }
      }
      sleep(backoff(failures++));
    }
  }

  public long bufferedBytes() {
    synchronized (state) {
      return bufferedBytes;
    }
  }

  public int bufferedChunks() {
    synchronized (state) {
      return buffer.size();
    }
  }

  /** The chunks waiting for the stream (those of a publish call in flight included), oldest first (a copy). */
  public List<Chunk> buffered() {
    synchronized (state) {
      List<Chunk> chunks = new ArrayList<>(buffer.size());
      for (Entry e : buffer) {
        chunks.add(e.chunk());
      }
      return List.copyOf(chunks);
    }
  }

  public Stats stats() {
    synchronized (state) {
      return new Stats(published, publishedEvents, throttled, calls, bufferedBytes, maxBufferedSeen);
    }
  }

  /** Counters since start. */
  public record Stats(long chunksPublished, long eventsPublished, long chunksThrottled, long publishCalls, long bufferedBytes, long maxBufferedBytes) {}

  /** Takes the room if buffered plus reserved bytes leave it, in one step under the state lock. */
  private boolean tryReserve(long bytes) {
    synchronized (state) {
      if (bufferedBytes + reserved + bytes <= settings.maxBufferedBytes()) {
        reserved += bytes;
        return true;
      }
      return false;
    }
  }

  /** Caller holds {@code state}. */
  private boolean batchReady() {
    return buffer.size() >= settings.batchRecords() || bufferedBytes >= settings.batchBytes();
  }

  private boolean batchReadyNow() {
    synchronized (state) {
      return batchReady();
    }
  }

  /** Whether every chunk enqueued up to {@code seq} has left; the buffer is in enqueue order. Caller holds {@code state}. */
  private boolean drained(long seq) {
    Entry head = buffer.peekFirst();
    return head == null || head.seq() > seq;
  }

  /**
   * One publish call for the head of the buffer; throttled chunks stay at the head, in order.
   * Caller holds the {@code publishing} turn and not {@code state}: the batch is chosen and the
   * outcomes applied under {@code state}, the call itself runs without it.
   */
  private int publishOnce() {
    if (!publishing.isHeldByCurrentThread() || Thread.holdsLock(state)) {
      throw new IllegalStateException("publishOnce needs the publishing turn and must not hold the state lock");
    }
    List<Chunk> batch = new ArrayList<>();
    synchronized (state) {
      if (buffer.isEmpty()) {
        return 0;
      }
      long bytes = 0;
      for (Iterator<Entry> it = buffer.iterator(); it.hasNext() && batch.size() < settings.batchRecords(); ) {
        Chunk c = it.next().chunk();
        long size = c.record().length + c.id().streamPartitionKey().length();
        if (!batch.isEmpty() && bytes + size > settings.batchBytes()) {
          break;
        }
        batch.add(c);
        bytes += size;
      }
      calls++;
    }
    List<PublishOutcome> outcomes;
    try {
      outcomes = stream.publish(batch);
    } catch (RetryableStoreException e) {
      log.warn("publish of {} chunks failed, will retry: {}", batch.size(), e.getMessage());
      synchronized (state) {
        throttled += batch.size();
      }
      return 0;
    }
    if (outcomes.size() != batch.size()) {
      throw new IllegalStateException("stream answered " + outcomes.size() + " outcomes for " + batch.size() + " chunks");
    }
    synchronized (state) {
      // only the turn holder takes from the head, others add at the tail: the batch is still the head
      Iterator<Entry> head = buffer.iterator();
      for (Chunk c : batch) {
        if (!head.hasNext() || head.next().chunk() != c) {
          throw new IllegalStateException("the buffer's head changed during a publish call");
        }
      }
      List<Entry> retry = new ArrayList<>();
      int accepted = 0;
      for (int i = 0; i < batch.size(); i++) {
        Entry e = buffer.pollFirst();
        Chunk c = e.chunk();
        if (outcomes.get(i) instanceof PublishOutcome.Accepted) {
          accepted++;
          published++;
          publishedEvents += c.eventCount();
          bufferedBytes -= c.record().length;
        } else {
          throttled++;
          retry.add(e);
        }
      }
      for (int i = retry.size() - 1; i >= 0; i--) {
        buffer.addFirst(retry.get(i));
      }
      return accepted;
    }
  }

  private Duration backoff(int failures) {
    return Backoff.jittered(failures, settings.backoffBase(), settings.backoffMax(), jitter);
  }

  /** Backoff with no lock held: appenders, releases and readers go on meanwhile. */
  private void sleep(Duration d) {
    try {
      clock.sleep(d);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new BackpressureException("interrupted while waiting for the stream; buffered chunks are kept");
    }
  }
}
