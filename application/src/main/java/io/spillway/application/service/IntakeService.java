package io.spillway.application.service;

import io.spillway.application.port.in.AppendOutcome;
import io.spillway.application.port.in.Intake;
import io.spillway.application.port.in.OpenJob;
import io.spillway.application.port.out.Clock;
import io.spillway.application.port.out.JobIds;
import io.spillway.application.port.out.Jobs;
import io.spillway.application.port.out.RetryableStoreException;
import io.spillway.domain.InvalidFieldException;
import io.spillway.domain.chunk.Chunk;
import io.spillway.domain.chunk.ChunkAssembler;
import io.spillway.domain.chunk.Codec;
import io.spillway.domain.chunk.StoredItemLayout;
import io.spillway.domain.event.Event;
import io.spillway.domain.job.Job;
import io.spillway.domain.job.JobId;
import io.spillway.domain.job.JobStatus;
import io.spillway.domain.manifest.DatasetChecksum;
import io.spillway.domain.manifest.Manifest;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import io.spillway.application.port.in.BackpressureException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The producer's use cases. Each open job has an assembler, a running dataset checksum and its next
 * expected sequence, guarded by the job's own lock, so jobs proceed in parallel; they share one
 * {@link ChunkPublisher}.
 *
 * <p>Memory: every chunk is cut against publisher room (appends reserve before they accept, a linger
 * cut only when room is free, a seal cut after waiting for it), so the publisher's bound holds for
 * every cut. Across jobs, an append is accepted only when the raw bytes of every open job's assembler
 * plus the publisher's buffered bytes leave room for the event under
 * {@link IntakeSettings#maxAssembledBytes()}; otherwise it meets the publisher's backpressure (BLOCK
 * with its timeout, or FAIL_FAST). The raw bytes are reserved atomically before the job's lock is
 * taken, so any number of appenders cannot overshoot, and the wait holds no job lock (the linger tick
 * goes on cutting other jobs meanwhile).
 */
public final class IntakeService implements Intake {
  private static final Logger log = LoggerFactory.getLogger(IntakeService.class);

  private final Jobs jobs;
  private final JobIds ids;
  private final Clock clock;
  private final ChunkPublisher publisher;
  private final Codec codec;
  private final ChunkAssembler.Settings assemblerSettings;
  private final AvailabilityCheck availability;
  private final Duration sealTimeout;
  private final IntakeSettings settings;
  /** Raw bytes waiting in the open jobs' assemblers, plus those reserved by appends in progress. */
  private final AtomicLong assembledRaw = new AtomicLong();
  private final Map<JobId, OpenJobState> open = new ConcurrentHashMap<>();
  private final LongAdder eventsAccepted = new LongAdder();
  private final LongAdder duplicatesIgnored = new LongAdder();
  private final LongAdder chunksCut = new LongAdder();
  private final LongAdder storedBytes = new LongAdder();

  public IntakeService(Jobs jobs, JobIds ids, Clock clock, ChunkPublisher publisher, Codec codec,
      ChunkAssembler.Settings assemblerSettings, AvailabilityCheck availability, Duration sealTimeout) {
    this(jobs, ids, clock, publisher, codec, assemblerSettings, availability, sealTimeout, IntakeSettings.defaults());
  }

  public IntakeService(Jobs jobs, JobIds ids, Clock clock, ChunkPublisher publisher, Codec codec,
      ChunkAssembler.Settings assemblerSettings, AvailabilityCheck availability, Duration sealTimeout, IntakeSettings settings) {
    this.settings = settings;
    this.jobs = jobs;
    this.ids = ids;
    this.clock = clock;
    this.publisher = publisher;
    this.codec = codec;
    this.assemblerSettings = assemblerSettings;
    this.availability = availability;
    this.sealTimeout = sealTimeout;
  }

  private static final class OpenJobState {
    Job job;
    final ChunkAssembler assembler;
    final DatasetChecksum checksum = new DatasetChecksum();
    long nextSequence;
    /** Publisher room reserved by the append in progress and not yet filled. */
    long credit;

    OpenJobState(Job job, ChunkAssembler assembler) {
      this.job = job;
      this.assembler = assembler;
    }
  }

  @Override
  public Job open(OpenJob command) {
    JobId id = command.jobId().orElseGet(ids::next);
    Job job = Job.submitted(id, command.name(), command.jobClass(), command.buckets(), clock.now());
    if (!jobs.create(job)) {
      throw new InvalidFieldException("openJob.jobId", id.value(), "a job id not used before");
    }
    open.put(id, new OpenJobState(job, new ChunkAssembler(id, job.buckets(), codec, assemblerSettings)));
    return job;
  }

  @Override
  public AppendOutcome append(JobId jobId, Event event) {
    OpenJobState state = state(jobId);
    int estimate = reserveMemory(event);
    synchronized (state) {
      long before = state.assembler.pendingRawBytes();
      try {
        return appendLocked(state, event);
      } finally {
        releaseCredit(state);
        settle(state, before, estimate);
      }
    }
  }

  @Override
  public AppendSummary appendAll(JobId jobId, List<Event> events) {
    OpenJobState state = state(jobId);
    int accepted = 0;
    int duplicates = 0;
    for (Event e : events) {
      // the memory wait holds no job lock, so each event takes the lock on its own
      int estimate = reserveMemory(e);
      synchronized (state) {
        long before = state.assembler.pendingRawBytes();
        try {
          if (appendLocked(state, e) == AppendOutcome.ACCEPTED) {
            accepted++;
          } else {
            duplicates++;
          }
        } finally {
          releaseCredit(state);
          settle(state, before, estimate);
        }
      }
    }
    return new AppendSummary(accepted, duplicates);
  }

  private AppendOutcome appendLocked(OpenJobState state, Event event) {
    if (state.job.status() == JobStatus.SEALED) {
      // a caller that found the job open just before another thread sealed it
      throw new InvalidFieldException("jobId", state.job.id().value(), "a job open for appends (it was sealed)");
    }
    if (!event.jobId().equals(state.job.id())) {
      throw new InvalidFieldException("event.jobId", event.jobId().value(), "the job appended to, " + state.job.id());
    }
    if (event.sequence() < state.nextSequence) {
      duplicatesIgnored.increment();
      return AppendOutcome.DUPLICATE;
    }
    if (event.sequence() > state.nextSequence) {
      throw new InvalidFieldException("event.sequence", event.sequence(),
          "dense from 0 per job: the next sequence of job " + state.job.id() + " is " + state.nextSequence);
    }
    if (state.credit < ChunkPublisher.RESERVE_PER_APPEND) {
      publisher.reserve(ChunkPublisher.RESERVE_PER_APPEND - state.credit);
      state.credit = ChunkPublisher.RESERVE_PER_APPEND;
    }
    if (state.job.status() == JobStatus.SUBMITTED) {
      Job producing = state.job.transitionTo(JobStatus.PRODUCING, clock.now());
      jobs.replace(state.job, producing);
      state.job = producing;
    }
    List<Chunk> cut = state.assembler.add(event, clock.now());
    state.nextSequence++;
    eventsAccepted.increment();
    hand(state, cut);
    return AppendOutcome.ACCEPTED;
  }

  @Override
  public Manifest seal(JobId jobId) {
    OpenJobState state = open.get(jobId);
    if (state == null) {
      return jobs.manifest(jobId).orElseThrow(() -> new InvalidFieldException("jobId", jobId.value(), "a job opened in this process"));
    }
    synchronized (state) {
      if (state.job.status() == JobStatus.SEALED) {
        // a second seal that waited while the first one finished
        return jobs.manifest(jobId).orElseThrow();
      }
      // one chunk per room made: a seal waits for the publisher's room (up to its timeout), never pushes past it
      Instant deadline = clock.now().plus(sealTimeout);
      while (state.assembler.pendingEvents() > 0) {
        Duration left = Duration.between(clock.now(), deadline);
        publisher.reserveWithin(ChunkPublisher.RESERVE_PER_CUT, left.isNegative() ? Duration.ZERO : left);
        state.credit = ChunkPublisher.RESERVE_PER_CUT;
        long before = state.assembler.pendingRawBytes();
        try {
          hand(state, state.assembler.cutOne());
        } finally {
          releaseCredit(state);
          settle(state, before, 0);
        }
      }
      publisher.drain(sealTimeout);
      Manifest manifest = new Manifest(jobId, state.job.buckets(), state.checksum.chunks(), state.nextSequence,
          state.checksum.value(), clock.now());
      jobs.putManifest(manifest);
      Job sealed = state.job.transitionTo(JobStatus.SEALED, clock.now());
      if (!jobs.replace(state.job, sealed)) {
        throw new IllegalStateException("job " + jobId + " changed under its producer: " + jobs.find(jobId).map(Job::status).orElse(null));
      }
      state.job = sealed;
      open.remove(jobId);
      try {
        availability.check(jobId);
      } catch (RetryableStoreException e) {
        // sealed all the same: the consumers' availability sweep makes the move if this check could not
        log.warn("job {} is sealed; checking whether its chunks are all stored failed, the consumers' sweep will: {}", jobId, e.getMessage());
      }
      return manifest;
    }
  }

  /**
   * {@inheritDoc} Also tries again the announcements of jobs this process made AVAILABLE at their
   * seal that failed and whose backoff has passed (the linger tick is the producer's only clock).
   */
  @Override
  public int flushLingering() {
    try {
      availability.announcer().retryDue();
    } catch (RuntimeException e) {
      log.warn("retrying the waiting job announcements failed, will run again: {}", e.toString());
    }
    Instant now = clock.now();
    for (OpenJobState state : open.values()) {
      synchronized (state) {
        // a lingering chunk is cut only into free room; one without room stays (the assembler's own
        // bound still holds it) and the next tick tries again
        while (state.job.status() != JobStatus.SEALED && lingering(state, now) && publisher.tryReserve(ChunkPublisher.RESERVE_PER_CUT)) {
          state.credit = ChunkPublisher.RESERVE_PER_CUT;
          long before = state.assembler.pendingRawBytes();
          try {
            hand(state, state.assembler.cutOneLingering(now));
          } finally {
            releaseCredit(state);
            settle(state, before, 0);
          }
        }
      }
    }
    return publisher.publishAvailable();
  }

  private static boolean lingering(OpenJobState state, Instant now) {
    Instant deadline = state.assembler.nextLingerDeadline();
    return deadline != null && !now.isBefore(deadline);
  }

  /**
   * Reserves an event's raw bytes under the process bound, waiting as the publisher's backpressure
   * says (no job lock held); returns the bytes reserved, given back or kept by {@link #settle}.
   */
  private int reserveMemory(Event event) {
    int estimate = ChunkAssembler.rawEstimate(event);
    if (tryReserveMemory(estimate)) {
      return estimate;
    }
    PublisherSettings ps = publisher.settings();
    boolean failFast = ps.backpressure() == PublisherSettings.Backpressure.FAIL_FAST;
    Instant deadline = clock.now().plus(ps.blockTimeout());
    int failures = 0;
    while (true) {
      int accepted = publisher.publishAvailable();
      if (tryReserveMemory(estimate)) {
        return estimate;
      }
      if (accepted == 0) {
        if (failFast || !clock.now().isBefore(deadline)) {
          long raw = assembledRaw.get();
          long buffered = publisher.bufferedBytes();
          throw new BackpressureException("producer memory full: " + (raw + buffered) + " of " + settings.maxAssembledBytes()
              + " assembled-but-unpublished bytes (" + raw + " raw in " + open.size() + " open jobs' assemblers, " + buffered
              + " buffered for the stream), no room for an event of " + estimate + " bytes"
              + (failFast ? " (fail-fast)" : " after " + ps.blockTimeout()));
        }
        try {
          clock.sleep(Backoff.after(failures++, ps.backoffBase(), ps.backoffMax()));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new BackpressureException("interrupted while waiting for producer memory; nothing was accepted");
        }
      } else {
        failures = 0;
      }
    }
  }

  private boolean tryReserveMemory(int estimate) {
    while (true) {
      long raw = assembledRaw.get();
      // read after raw: a cut enqueues before it gives back its raw bytes, so it is counted twice, never missed
      if (raw + publisher.bufferedBytes() + estimate > settings.maxAssembledBytes()) {
        return false;
      }
      if (assembledRaw.compareAndSet(raw, raw + estimate)) {
        return true;
      }
    }
  }

  /** Brings the raw count to what the assembler holds now, giving back the reservation it replaces. */
  private void settle(OpenJobState state, long before, int reserved) {
    assembledRaw.addAndGet(state.assembler.pendingRawBytes() - before - reserved);
  }

  /** Raw bytes waiting in the open jobs' assemblers (and reserved by appends in progress). */
  public long assembledRawBytes() {
    return assembledRaw.get();
  }

  /** Events of an open job accepted but not yet cut into a chunk (0 once sealed or unknown). */
  public long pendingEvents(JobId jobId) {
    OpenJobState state = open.get(jobId);
    if (state == null) {
      return 0;
    }
    synchronized (state) {
      return state.assembler.pendingEvents();
    }
  }

  /** Counters since start, over every job. */
  public Stats stats() {
    long chunks = chunksCut.sum();
    return new Stats(eventsAccepted.sum(), duplicatesIgnored.sum(), chunks,
        chunks == 0 ? 0 : (double) storedBytes.sum() / chunks / StoredItemLayout.ITEM_LIMIT_BYTES);
  }

  /** Intake counters; {@code fillRatio} is the mean stored item size over the 409,600-byte limit. */
  public record Stats(long eventsAccepted, long duplicatesIgnored, long chunksCut, double fillRatio) {}

  private void hand(OpenJobState state, List<Chunk> cut) {
    if (cut.isEmpty()) {
      return;
    }
    long bytes = 0;
    for (Chunk c : cut) {
      state.checksum.add(c);
      chunksCut.increment();
      storedBytes.add(c.storedItemSize());
      bytes += c.record().length;
    }
    long fromCredit = Math.min(bytes, state.credit);
    state.credit -= fromCredit;
    publisher.enqueue(cut, fromCredit);
  }

  private void releaseCredit(OpenJobState state) {
    if (state.credit > 0) {
      publisher.release(state.credit);
      state.credit = 0;
    }
  }

  private OpenJobState state(JobId jobId) {
    OpenJobState s = open.get(jobId);
    if (s == null) {
      throw new InvalidFieldException("jobId", jobId.value(), "a job open for appends in this process (unknown or already sealed)");
    }
    return s;
  }
}
