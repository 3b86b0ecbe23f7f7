package io.spillway.application.service;

import io.spillway.application.port.in.BackpressureException;
import io.spillway.application.port.out.ChunkSpill;
import io.spillway.application.port.out.ChunkSpill.SpillRead;
import io.spillway.application.port.out.ChunkSpill.SpilledChunk;
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
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The producer's bounded buffer in front of the stream. Chunks wait here until the stream accepts
 * them; throttled chunks stay, in order, and are retried with exponential backoff. Appenders
 * reserve room before accepting events ({@link #reserve(long)}), so a full buffer pushes back on
 * the producer instead of growing or dropping: a chunk counts as published only once accepted.
 *
 * <p>Bound: buffered plus reserved bytes stay under {@code maxBufferedBytes}. Every chunk is cut
 * against a reservation: appends reserve {@link #RESERVE_PER_APPEND}, linger and seal cuts
 * {@link #RESERVE_PER_CUT} per chunk ({@link IntakeService} cuts those one at a time, a linger cut
 * only when {@link #tryReserve(long)} finds room, a seal cut after {@link #reserveWithin}). With a
 * spill, a reservation is taken when memory or the spill has room for it beside all the others, so
 * memory stays under {@code maxBufferedBytes} and the spill under its capacity. The one exception
 * is a chunk the spill fails to take: it waits in memory, over the bound rather than lost.
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
 *
 * <p>Spill (optional, docs/spill.md): with a {@link ChunkSpill}, a chunk that finds the memory
 * bound reached goes to the spill instead, and reservations may count on the spill's room too, so
 * a long throttle stops the job only once memory and spill are both full. A spilled chunk keeps its
 * place in the one queue (an entry that refers to the spill), so the order of leaving is the order
 * of enqueueing whichever store holds a chunk. Spill I/O never runs under {@code state}. A
 * publisher built over a spill a previous process left puts its entries at the head of the queue.
 */
public final class ChunkPublisher {
  private static final Logger log = LoggerFactory.getLogger(ChunkPublisher.class);
  /** Room one append may need: a chunk cut on size plus one cut to bound the assembler's memory. */
  public static final long RESERVE_PER_APPEND = 2L * StoredItemLayout.ITEM_LIMIT_BYTES;
  /** Room one forced cut (linger or seal) needs: it emits exactly one chunk, whose record is under an item. */
  public static final long RESERVE_PER_CUT = StoredItemLayout.ITEM_LIMIT_BYTES;

  private final ChunkStream stream;
  private final Clock clock;
  private final PublisherSettings settings;
  private final RandomSource jitter;
  /** Where chunks go when memory is full; null when the publisher has none. */
  private final ChunkSpill spill;
  private final long spillCapacity;

  /** The turn to publish: held across one publish call (never across a sleep), taken before {@code state}. */
  private final ReentrantLock publishing = new ReentrantLock();
  /** Guards every field below; never held across a publish call or a sleep. */
  private final Object state = new Object();
  /** Waiting chunks in the order they were enqueued (by {@link Entry#seq}); the head may be in flight. */
  private final ArrayDeque<Entry> buffer = new ArrayDeque<>();
  private long nextSeq;
  /** Bytes of the chunks held in memory (spilled ones not counted). */
  private long bufferedBytes;
  /** Bytes of the spilled chunks still owed, and of those being written to the spill. */
  private long spillBytes;
  private long maxSpillSeen;
  private long spilled;
  private long recovered;
  private long corrupt;
  private long spillFailures;
  /** With a spill, an enqueue does not call a refusing stream again before this (null: no refusal pending). */
  private Instant retryNotBefore;
  private int refusals;
  private long reserved;
  private long maxBufferedSeen;
  private long published;
  private long publishedEvents;
  private long throttled;
  private long calls;

  /** Partition keys are at most 100 characters: what a spilled chunk, not yet read, may add to a call. */
  private static final int PARTITION_KEY_ALLOWANCE = 400;

  /**
   * A waiting chunk and its place in the order of enqueueing (what {@link #drain} waits for): held
   * in memory ({@code chunk}) or in the spill ({@code spilled}, read back when it is published).
   * Compared by identity: the turn holder finds its batch at the head by it.
   */
  private static final class Entry {
    final Chunk chunk;
    final SpilledChunk spilled;
    final long seq;

    Entry(Chunk chunk, SpilledChunk spilled, long seq) {
      this.chunk = chunk;
      this.spilled = spilled;
      this.seq = seq;
    }

    int bytes() {
      return chunk != null ? chunk.record().length : spilled.bytes();
    }

    /** Bytes the entry takes in a publish call, at most (a spilled one's key is not known before it is read). */
    long callBytes() {
      return chunk != null ? chunk.record().length + chunk.id().streamPartitionKey().length() : spilled.bytes() + PARTITION_KEY_ALLOWANCE;
    }
  }

  /** Retries back off exponentially with equal jitter drawn from {@code jitter}. */
  public ChunkPublisher(ChunkStream stream, Clock clock, PublisherSettings settings, RandomSource jitter) {
    this(stream, clock, settings, jitter, Optional.empty());
  }

  /**
   * As {@link #ChunkPublisher(ChunkStream, Clock, PublisherSettings, RandomSource)}, overflowing into
   * the spill when there is one; what the spill already holds (a previous process's) is owed first.
   */
  public ChunkPublisher(ChunkStream stream, Clock clock, PublisherSettings settings, RandomSource jitter, Optional<ChunkSpill> spill) {
    this.stream = stream;
    this.clock = clock;
    this.settings = settings;
    this.jitter = jitter;
    this.spill = spill.orElse(null);
    this.spillCapacity = spill.map(ChunkSpill::capacityBytes).orElse(0L);
    if (this.spill != null) {
      List<SpilledChunk> left = this.spill.entries();
      for (SpilledChunk e : left) {
        buffer.addLast(new Entry(null, e, nextSeq++));
        spillBytes += e.bytes();
      }
      recovered = left.size();
      maxSpillSeen = spillBytes;
      if (!left.isEmpty()) {
        log.info("the spill holds {} chunks ({} bytes) a previous process left; they are published before new ones", left.size(), spillBytes);
      }
    }
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
    reserve(bytes, settings.backpressure() == PublisherSettings.Backpressure.FAIL_FAST, settings.blockTimeout());
  }

  /**
   * As {@link #reserve(long)}, but waiting (publishing with backoff) up to {@code timeout} whatever
   * the backpressure mode: for a seal, which waits for the stream with its own timeout.
   */
  public void reserveWithin(long bytes, Duration timeout) {
    reserve(bytes, false, timeout);
  }

  /** The buffer and retry policy this publisher runs with. */
  public PublisherSettings settings() {
    return settings;
  }

  private void reserve(long bytes, boolean failFast, Duration timeout) {
    if (tryReserve(bytes)) {
      return;
    }
    Instant deadline = clock.now().plus(timeout);
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
        if (failFast || !clock.now().isBefore(deadline)) {
          long waiting;
          long reservedNow;
          long inSpill;
          synchronized (state) {
            waiting = bufferedBytes;
            reservedNow = reserved;
            inSpill = spillBytes;
          }
          throw new BackpressureException("producer buffer full: " + waiting + " of " + settings.maxBufferedBytes()
              + " bytes waiting (" + reservedNow + " reserved)"
              + (spill == null ? "" : ", the spill full with " + inSpill + " of " + spillCapacity + " bytes,")
              + " and the stream is refusing records"
              + (failFast ? " (fail-fast)" : " after " + timeout));
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
    List<Chunk> toSpill = new ArrayList<>();
    boolean[] spilling = new boolean[chunks.size()];
    synchronized (state) {
      reserved -= fromReservation;
      for (int i = 0; i < chunks.size(); i++) {
        int size = chunks.get(i).record().length;
        // memory first; the spill only for what finds memory full (and not past its own bound)
        if (spill != null && bufferedBytes + size > settings.maxBufferedBytes() && spillBytes + size <= spillCapacity) {
          spilling[i] = true;
          spillBytes += size;
          toSpill.add(chunks.get(i));
        } else {
          bufferedBytes += size;
        }
      }
      if (toSpill.isEmpty()) {
        for (Chunk c : chunks) {
          buffer.addLast(new Entry(c, null, nextSeq++));
        }
        maxBufferedSeen = Math.max(maxBufferedSeen, bufferedBytes);
        if (!publishDue()) {
          return;
        }
      }
    }
    if (!toSpill.isEmpty() && !spillAndQueue(chunks, spilling, toSpill)) {
      return;
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
   * Writes the chunks chosen for the spill (no lock held), then queues all of the enqueued chunks
   * in their order; a chunk the spill did not take stays in memory (over the bound rather than
   * lost). Returns whether a publish is due.
   */
  private boolean spillAndQueue(List<Chunk> chunks, boolean[] spilling, List<Chunk> toSpill) {
    List<SpilledChunk> written = new ArrayList<>(toSpill.size());
    for (Chunk c : toSpill) {
      SpilledChunk entry = null;
      try {
        entry = spill.append(c).orElse(null);
        if (entry == null) {
          log.warn("the spill refused chunk {} as full although its count left room; it waits in memory", c.id());
        }
      } catch (RetryableStoreException e) {
        log.warn("spilling chunk {} failed, it waits in memory: {}", c.id(), e.getMessage());
      }
      written.add(entry);
    }
    synchronized (state) {
      int w = 0;
      for (int i = 0; i < chunks.size(); i++) {
        Chunk c = chunks.get(i);
        if (!spilling[i]) {
          buffer.addLast(new Entry(c, null, nextSeq++));
          continue;
        }
        SpilledChunk entry = written.get(w++);
        if (entry != null) {
          buffer.addLast(new Entry(null, entry, nextSeq++));
          spilled++;
        } else {
          spillBytes -= c.record().length;
          bufferedBytes += c.record().length;
          spillFailures++;
          buffer.addLast(new Entry(c, null, nextSeq++));
        }
      }
      maxBufferedSeen = Math.max(maxBufferedSeen, bufferedBytes);
      maxSpillSeen = Math.max(maxSpillSeen, spillBytes);
      return publishDue();
    }
  }

  /**
   * Whether an enqueue should publish now: a full batch waits and, with a spill, the backoff of the
   * last refused call has passed (the appender is not held back by a full memory any more, so it
   * must not hammer a throttled stream once per chunk). Caller holds {@code state}.
   */
  private boolean publishDue() {
    if (!batchReady()) {
      return false;
    }
    return spill == null || retryNotBefore == null || !clock.now().isBefore(retryNotBefore);
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
              + " bytes) still buffered" + (spill == null ? "" : " (" + spillBytes + " more bytes in the spill)") + " after " + timeout);
        }
      }
      sleep(backoff(failures++));
    }
  }

  /** Bytes of the waiting chunks held in memory (spilled ones are not). */
  public long bufferedBytes() {
    synchronized (state) {
      return bufferedBytes;
    }
  }

  /** Chunks waiting for the stream, spilled ones included. */
  public int bufferedChunks() {
    synchronized (state) {
      return buffer.size();
    }
  }

  /**
   * The chunks waiting for the stream in memory (those of a publish call in flight included), oldest
   * first (a copy); spilled chunks are not read back for it.
   */
  public List<Chunk> buffered() {
    synchronized (state) {
      List<Chunk> chunks = new ArrayList<>(buffer.size());
      for (Entry e : buffer) {
        if (e.chunk != null) {
          chunks.add(e.chunk);
        }
      }
      return List.copyOf(chunks);
    }
  }

  public Stats stats() {
    synchronized (state) {
      return new Stats(published, publishedEvents, throttled, calls, bufferedBytes, maxBufferedSeen);
    }
  }

  /** The spill's counters since start (all zero without a spill). */
  public SpillStats spillStats() {
    synchronized (state) {
      return new SpillStats(spilled, recovered, spillBytes, maxSpillSeen, spillCapacity, corrupt, spillFailures);
    }
  }

  /**
   * Spill counters: chunks written to it, found in it at start, bytes owed in it now and at most,
   * its capacity, entries found corrupt (set aside, never published) and chunks it failed to take.
   */
  public record SpillStats(long chunksSpilled, long chunksRecovered, long spillBytes, long maxSpillBytes, long capacityBytes,
      long corruptChunks, long spillFailures) {}

  /** Counters since start. */
  public record Stats(long chunksPublished, long eventsPublished, long chunksThrottled, long publishCalls, long bufferedBytes, long maxBufferedBytes) {}

  /**
   * Takes the room if memory or the spill holds it beside every other reservation, in one step under
   * the state lock; never waits or publishes. Returns whether the room was taken.
   */
  public boolean tryReserve(long bytes) {
    synchronized (state) {
      // Either store must have room for every reservation outstanding, this one included: then each
      // reserved chunk, placed memory first, fits memory or the spill whole. Room split between the
      // two (neither alone taking a chunk) would push one of them past its bound.
      if (bufferedBytes + reserved + bytes <= settings.maxBufferedBytes()
          || (spill != null && spillBytes + reserved + bytes <= spillCapacity)) {
        reserved += bytes;
        return true;
      }
      return false;
    }
  }

  /** Caller holds {@code state}. */
  private boolean batchReady() {
    return buffer.size() >= settings.batchRecords() || bufferedBytes + spillBytes >= settings.batchBytes();
  }

  private boolean batchReadyNow() {
    synchronized (state) {
      return batchReady();
    }
  }

  /** Whether every chunk enqueued up to {@code seq} has left; the buffer is in enqueue order. Caller holds {@code state}. */
  private boolean drained(long seq) {
    Entry head = buffer.peekFirst();
    return head == null || head.seq > seq;
  }

  /**
   * One publish call for the head of the buffer; throttled chunks stay at the head, in order.
   * Caller holds the {@code publishing} turn and not {@code state}: the batch is chosen and the
   * outcomes applied under {@code state}, the call itself (and any reading of spilled chunks) runs
   * without it. A spilled chunk found corrupt is dropped from the queue (the spill set it aside and
   * reported it) and never published; a batch that held only such chunks is followed by the next.
   */
  private int publishOnce() {
    if (!publishing.isHeldByCurrentThread() || Thread.holdsLock(state)) {
      throw new IllegalStateException("publishOnce needs the publishing turn and must not hold the state lock");
    }
    while (true) {
      List<Entry> head = new ArrayList<>();
      synchronized (state) {
        if (buffer.isEmpty()) {
          return 0;
        }
        long bytes = 0;
        for (Iterator<Entry> it = buffer.iterator(); it.hasNext() && head.size() < settings.batchRecords(); ) {
          Entry e = it.next();
          long size = e.callBytes();
          if (!head.isEmpty() && bytes + size > settings.batchBytes()) {
            break;
          }
          head.add(e);
          bytes += size;
        }
      }
      // spilled chunks are read back with no lock held; the head stays ours while we hold the turn
      Chunk[] chunks = new Chunk[head.size()];
      boolean[] damaged = new boolean[head.size()];
      int readable = head.size();
      for (int i = 0; i < head.size(); i++) {
        Entry e = head.get(i);
        if (e.chunk != null) {
          chunks[i] = e.chunk;
          continue;
        }
        SpillRead read;
        try {
          read = spill.read(e.spilled);
        } catch (RetryableStoreException ex) {
          log.warn("reading spilled chunk {} failed, will retry: {}", e.spilled.sequence(), ex.getMessage());
          readable = i;
          break;
        }
        if (read instanceof SpillRead.Intact intact) {
          chunks[i] = intact.chunk();
        } else {
          damaged[i] = true;
          log.error("spilled chunk {} is corrupt and will not be published: {}", e.spilled.sequence(), ((SpillRead.Corrupt) read).reason());
        }
      }
      List<Chunk> batch = new ArrayList<>(readable);
      for (int i = 0; i < readable; i++) {
        if (!damaged[i]) {
          batch.add(chunks[i]);
        }
      }
      boolean anyDamaged = false;
      for (boolean d : damaged) {
        anyDamaged |= d;
      }
      if (batch.isEmpty()) {
        apply(head, chunks, readable, damaged, List.of());
        if (anyDamaged) {
          continue; // nothing to send but corrupt entries, now gone: try the next head
        }
        return 0;
      }
      List<PublishOutcome> outcomes;
      synchronized (state) {
        calls++;
      }
      try {
        outcomes = stream.publish(batch);
      } catch (RetryableStoreException e) {
        log.warn("publish of {} chunks failed, will retry: {}", batch.size(), e.getMessage());
        synchronized (state) {
          throttled += batch.size();
        }
        apply(head, chunks, readable, damaged, null);
        return 0;
      }
      if (outcomes.size() != batch.size()) {
        throw new IllegalStateException("stream answered " + outcomes.size() + " outcomes for " + batch.size() + " chunks");
      }
      return apply(head, chunks, readable, damaged, outcomes);
    }
  }

  /**
   * Applies a call's outcomes to the head it was cut from: accepted chunks leave (spilled ones are
   * then removed from the spill, outside {@code state}), corrupt ones are dropped, the rest go back
   * to the head in order. {@code outcomes} is null for a failed call (nothing accepted, the sent
   * chunks already counted as throttled); entries from {@code readable} on were not sent. Returns
   * the chunks accepted.
   */
  private int apply(List<Entry> head, Chunk[] chunks, int readable, boolean[] damaged, List<PublishOutcome> outcomes) {
    List<SpilledChunk> toRemove = new ArrayList<>();
    int accepted = 0;
    synchronized (state) {
      // only the turn holder takes from the head, others add at the tail: the batch is still the head
      Iterator<Entry> it = buffer.iterator();
      for (Entry e : head) {
        if (!it.hasNext() || it.next() != e) {
          throw new IllegalStateException("the buffer's head changed during a publish call");
        }
      }
      List<Entry> retry = new ArrayList<>();
      int sent = 0;
      for (int i = 0; i < head.size(); i++) {
        Entry e = buffer.pollFirst();
        if (i < readable && damaged[i]) {
          spillBytes -= e.bytes();
          corrupt++;
          continue;
        }
        if (i >= readable) {
          retry.add(e);
          continue;
        }
        PublishOutcome outcome = outcomes == null ? null : outcomes.get(sent);
        sent++;
        if (outcome instanceof PublishOutcome.Accepted) {
          accepted++;
          published++;
          publishedEvents += chunks[i].eventCount();
          if (e.chunk != null) {
            bufferedBytes -= e.chunk.record().length;
          } else {
            toRemove.add(e.spilled);
          }
        } else {
          if (outcomes != null) {
            throttled++;
          }
          retry.add(e);
        }
      }
      for (int i = retry.size() - 1; i >= 0; i--) {
        buffer.addFirst(retry.get(i));
      }
      if (sent > 0) {
        if (accepted > 0) {
          refusals = 0;
          retryNotBefore = null;
        } else {
          retryNotBefore = clock.now().plus(backoff(refusals++));
        }
      }
    }
    if (!toRemove.isEmpty()) {
      forget(toRemove);
    }
    return accepted;
  }

  /** Removes spilled chunks the stream accepted; a failed removal only means a duplicate after a restart. */
  private void forget(List<SpilledChunk> accepted) {
    long bytes = 0;
    for (SpilledChunk s : accepted) {
      try {
        spill.remove(s);
      } catch (RetryableStoreException e) {
        log.warn("removing published chunk {} from the spill failed; a restart would publish it again (a duplicate): {}", s.sequence(),
            e.getMessage());
      }
      bytes += s.bytes();
    }
    synchronized (state) {
      spillBytes -= bytes;
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
