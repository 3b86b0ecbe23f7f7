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
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The producer's use cases. Each open job has an assembler, a running dataset checksum and its next
 * expected sequence, guarded by the job's own lock, so jobs proceed in parallel; they share one
 * {@link ChunkPublisher}.
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
  private final Map<JobId, OpenJobState> open = new ConcurrentHashMap<>();
  private final LongAdder eventsAccepted = new LongAdder();
  private final LongAdder duplicatesIgnored = new LongAdder();
  private final LongAdder chunksCut = new LongAdder();
  private final LongAdder storedBytes = new LongAdder();

  public IntakeService(Jobs jobs, JobIds ids, Clock clock, ChunkPublisher publisher, Codec codec,
      ChunkAssembler.Settings assemblerSettings, AvailabilityCheck availability, Duration sealTimeout) {
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
    synchronized (state) {
      try {
        return appendLocked(state, event);
      } finally {
        releaseCredit(state);
      }
    }
  }

  @Override
  public AppendSummary appendAll(JobId jobId, List<Event> events) {
    OpenJobState state = state(jobId);
    int accepted = 0;
    int duplicates = 0;
    synchronized (state) {
      try {
        for (Event e : events) {
          if (appendLocked(state, e) == AppendOutcome.ACCEPTED) {
            accepted++;
          } else {
            duplicates++;
          }
        }
      } finally {
        releaseCredit(state);
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
      hand(state, state.assembler.flushAll());
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
    for (OpenJobState state : open.values()) {
      synchronized (state) {
        hand(state, state.assembler.flushLingering(clock.now()));
      }
    }
    return publisher.publishAvailable();
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
