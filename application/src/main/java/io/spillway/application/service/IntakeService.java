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
import io.spillway.application.port.in.PartitionOpened;
import io.spillway.application.port.out.Chunks;
import io.spillway.application.port.out.JobPartition;
import io.spillway.domain.chunk.ChunkId;
import io.spillway.domain.manifest.PartitionManifest;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
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
 * The producer's use cases. Each partition of a job open here has its own assembler, running
 * checksum and next expected sequence, guarded by the partition's own lock, so jobs and the
 * partitions of one job proceed in parallel; they share one {@link ChunkPublisher}. A job's status
 * and its seal go through the {@link Jobs} port, so the partitions of one job may be open in
 * different processes (docs/partitions.md).
 *
 * <p>Memory: every chunk is cut against publisher room (appends reserve before they accept, a linger
 * cut only when room is free, a seal cut after waiting for it), so the publisher's bound holds for
 * every cut. Across partitions, an append is accepted only when the raw bytes of every open
 * partition's assembler plus the publisher's buffered bytes leave room for the event under
 * {@link IntakeSettings#maxAssembledBytes()}; otherwise it meets the publisher's backpressure (BLOCK
 * with its timeout, or FAIL_FAST). The raw bytes are reserved atomically before the partition's lock
 * is taken, so any number of appenders cannot overshoot, and the wait holds no lock (the linger tick
 * goes on cutting other partitions meanwhile).
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
  /** Where a resumed partition learns which of its chunks are stored already; null: it does not. */
  private final Chunks chunks;
  /** Raw bytes waiting in the open partitions' assemblers, plus those reserved by appends in progress. */
  private final AtomicLong assembledRaw = new AtomicLong();
  private final Map<Key, PartitionState> open = new ConcurrentHashMap<>();
  private final LongAdder eventsAccepted = new LongAdder();
  private final LongAdder duplicatesIgnored = new LongAdder();
  private final LongAdder chunksCut = new LongAdder();
  private final LongAdder chunksSkipped = new LongAdder();
  private final LongAdder storedBytes = new LongAdder();

  public IntakeService(Jobs jobs, JobIds ids, Clock clock, ChunkPublisher publisher, Codec codec,
      ChunkAssembler.Settings assemblerSettings, AvailabilityCheck availability, Duration sealTimeout) {
    this(jobs, ids, clock, publisher, codec, assemblerSettings, availability, sealTimeout, IntakeSettings.defaults());
  }

  public IntakeService(Jobs jobs, JobIds ids, Clock clock, ChunkPublisher publisher, Codec codec,
      ChunkAssembler.Settings assemblerSettings, AvailabilityCheck availability, Duration sealTimeout, IntakeSettings settings) {
    this(jobs, ids, clock, publisher, codec, assemblerSettings, availability, sealTimeout, settings, null);
  }

  /**
   * @param chunks the chunk store, read (keys only) when a partition is resumed so that chunks stored
   *     already are not published again; null to publish them again (the consumers count them once)
   */
  public IntakeService(Jobs jobs, JobIds ids, Clock clock, ChunkPublisher publisher, Codec codec,
      ChunkAssembler.Settings assemblerSettings, AvailabilityCheck availability, Duration sealTimeout, IntakeSettings settings,
      Chunks chunks) {
    this.settings = settings;
    this.jobs = jobs;
    this.ids = ids;
    this.clock = clock;
    this.publisher = publisher;
    this.codec = codec;
    this.assemblerSettings = assemblerSettings;
    this.availability = availability;
    this.sealTimeout = sealTimeout;
    this.chunks = chunks;
  }

  private record Key(JobId job, int partition) {}

  private static final class PartitionState {
    final Job job;
    final int partition;
    final ChunkAssembler assembler;
    final DatasetChecksum checksum = new DatasetChecksum();
    /** Chunks stored before this producer opened the partition again: cut again, not published again. */
    final Set<ChunkId> alreadyStored;
    long nextSequence;
    /** The events of a partition sealed before it was opened here (appends below it are duplicates). */
    final PartitionManifest sealedBefore;
    boolean producing;
    boolean sealed;
    /** Publisher room reserved by the append in progress and not yet filled. */
    long credit;
    long reportedEvents = -1;
    Instant reportedAt;

    PartitionState(Job job, int partition, ChunkAssembler assembler, Set<ChunkId> alreadyStored, PartitionManifest sealedBefore) {
      this.job = job;
      this.partition = partition;
      this.assembler = assembler;
      this.alreadyStored = alreadyStored;
      this.sealedBefore = sealedBefore;
      this.sealed = sealedBefore != null;
      this.producing = job.status() != JobStatus.SUBMITTED;
    }
  }

  @Override
  public Job open(OpenJob command) {
    Job job = create(command);
    for (int p = 0; p < job.partitions(); p++) {
      startPartition(job, p, null, Set.of());
    }
    return job;
  }

  @Override
  public Job create(OpenJob command) {
    JobId id = command.jobId().orElseGet(ids::next);
    Job job = Job.submitted(id, command.name(), command.jobClass(), command.buckets(), command.partitions(), command.resumable(), clock.now());
    if (!jobs.create(job)) {
      throw new InvalidFieldException("openJob.jobId", id.value(), "a job id not used before");
    }
    return job;
  }

  @Override
  public PartitionOpened openPartition(JobId jobId, int partition) {
    Job job = jobs.find(jobId).orElseThrow(() -> new InvalidFieldException("jobId", jobId.value(), "a job created before its partitions are opened"));
    job.checkPartition("partition", partition);
    if (open.containsKey(new Key(jobId, partition))) {
      throw new InvalidFieldException("partition", partition, "a partition of job " + jobId + " not open in this process already");
    }
    Optional<JobPartition> before = jobs.partitions(jobId).stream().filter(p -> p.partition() == partition).findFirst();
    if (before.flatMap(JobPartition::manifest).isPresent()) {
      PartitionManifest m = before.get().manifest().get();
      startPartition(job, partition, m, Set.of());
      return new PartitionOpened(job, partition, PartitionOpened.State.SEALED, m.chunkCount());
    }
    if (job.status() != JobStatus.SUBMITTED && job.status() != JobStatus.PRODUCING) {
      throw new InvalidFieldException("jobId", jobId.value(), "a job open for appends (it is " + job.status() + ")");
    }
    if (before.isEmpty()) {
      startPartition(job, partition, null, Set.of());
      return new PartitionOpened(job, partition, PartitionOpened.State.NEW, 0);
    }
    if (!job.resumable()) {
      throw new InvalidFieldException("partition", partition, "a partition no producer opened before (partition " + partition + " of job " + jobId
          + " was opened at " + before.get().lastProgressAt() + " and is not sealed; only a resumable job's partition may be opened again — fail the job and run it again)");
    }
    Set<ChunkId> stored = storedChunks(job, partition);
    startPartition(job, partition, null, stored);
    log.info("resuming partition {} of job {}: its task sends it again from sequence 0; {} chunks stored already are not published again",
        partition, jobId, stored.size());
    return new PartitionOpened(job, partition, PartitionOpened.State.RESUMED, stored.size());
  }

  private Set<ChunkId> storedChunks(Job job, int partition) {
    if (chunks == null) {
      return Set.of();
    }
    Set<ChunkId> stored = new HashSet<>();
    for (int b = 0; b < job.buckets(); b++) {
      try (Stream<ChunkId> ids = chunks.storedIds(job.id(), b)) {
        ids.filter(c -> c.partition() == partition).forEach(stored::add);
      }
    }
    return stored;
  }

  private void startPartition(Job job, int partition, PartitionManifest sealedBefore, Set<ChunkId> stored) {
    ChunkAssembler assembler = new ChunkAssembler(job.id(), partition, job.buckets(), codec, assemblerSettings);
    PartitionState state = new PartitionState(job, partition, assembler, stored.isEmpty() ? Set.of() : new HashSet<>(stored), sealedBefore);
    if (open.putIfAbsent(new Key(job.id(), partition), state) != null) {
      throw new InvalidFieldException("partition", partition, "a partition of job " + job.id() + " not open in this process already");
    }
    if (sealedBefore == null) {
      report(state, clock.now());
    }
  }

  @Override
  public AppendOutcome append(JobId jobId, Event event) {
    PartitionState state = state(jobId, event.partition());
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
    int accepted = 0;
    int duplicates = 0;
    for (Event e : events) {
      PartitionState state = state(jobId, e.partition());
      // the memory wait holds no lock, so each event takes the partition's lock on its own
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

  private AppendOutcome appendLocked(PartitionState state, Event event) {
    if (!event.jobId().equals(state.job.id())) {
      throw new InvalidFieldException("event.jobId", event.jobId().value(), "the job appended to, " + state.job.id());
    }
    if (state.sealed) {
      if (state.sealedBefore != null && event.sequence() < state.sealedBefore.eventCount()) {
        duplicatesIgnored.increment();
        return AppendOutcome.DUPLICATE;
      }
      // a caller that found the partition open just before another thread sealed it
      throw new InvalidFieldException("jobId", state.job.id().value(), "a job open for appends (partition " + state.partition + " was sealed)");
    }
    if (event.sequence() < state.nextSequence) {
      duplicatesIgnored.increment();
      return AppendOutcome.DUPLICATE;
    }
    if (event.sequence() > state.nextSequence) {
      throw new InvalidFieldException("event.sequence", event.sequence(),
          "dense from 0 per partition: the next sequence of job " + state.job.id()
              + (state.job.partitions() == 1 ? "" : " partition " + state.partition) + " is " + state.nextSequence);
    }
    if (state.credit < ChunkPublisher.RESERVE_PER_APPEND) {
      publisher.reserve(ChunkPublisher.RESERVE_PER_APPEND - state.credit);
      state.credit = ChunkPublisher.RESERVE_PER_APPEND;
    }
    if (!state.producing) {
      markProducing(state.job.id());
      state.producing = true;
    }
    List<Chunk> cut = state.assembler.add(event, clock.now());
    state.nextSequence++;
    eventsAccepted.increment();
    hand(state, cut);
    return AppendOutcome.ACCEPTED;
  }

  /** SUBMITTED → PRODUCING, once for the job whichever partition appends first (here or elsewhere). */
  private void markProducing(JobId id) {
    Job current = jobs.find(id).orElseThrow(() -> new IllegalStateException("job " + id + " disappeared from the job records"));
    if (current.status() == JobStatus.SUBMITTED) {
      jobs.replace(current, current.transitionTo(JobStatus.PRODUCING, clock.now()));
    } else if (current.status() != JobStatus.PRODUCING) {
      throw new InvalidFieldException("jobId", id.value(), "a job open for appends (it is " + current.status() + ")");
    }
  }

  @Override
  public Manifest seal(JobId jobId) {
    List<Integer> here = open.keySet().stream().filter(k -> k.job().equals(jobId)).map(Key::partition).sorted().toList();
    if (here.isEmpty()) {
      return jobs.manifest(jobId).orElseThrow(() -> new InvalidFieldException("jobId", jobId.value(), "a job opened in this process"));
    }
    for (int p : here) {
      sealPartition(jobId, p);
    }
    return jobs.manifest(jobId).orElseThrow(() -> {
      List<Integer> sealed = jobs.partitions(jobId).stream().filter(JobPartition::sealed).map(JobPartition::partition).toList();
      return new InvalidFieldException("jobId", jobId.value(), "a job whose every partition is sealed (partitions " + here
          + " were sealed here; " + sealed.size() + " of " + jobs.find(jobId).map(Job::partitions).orElse(0)
          + " are sealed — seal the others with sealPartition where they are open)");
    });
  }

  @Override
  public PartitionManifest sealPartition(JobId jobId, int partition) {
    PartitionState state = open.get(new Key(jobId, partition));
    if (state == null) {
      return jobs.partitions(jobId).stream().filter(p -> p.partition() == partition).findFirst().flatMap(JobPartition::manifest)
          .orElseThrow(() -> new InvalidFieldException("partition", partition, "a partition of job " + jobId + " open in this process"));
    }
    PartitionManifest manifest;
    synchronized (state) {
      if (state.sealed && state.sealedBefore == null) {
        // a second seal that waited while the first one finished: the first may not have sealed the job yet, so this one
        // does it too (the job's manifest is the same sum of its partitions' whoever writes it)
        manifest = jobs.partitions(jobId).stream().filter(p -> p.partition() == partition).findFirst().flatMap(JobPartition::manifest)
            .orElseThrow();
      } else if (state.sealedBefore != null) {
        manifest = state.sealedBefore;
      } else {
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
        manifest = new PartitionManifest(jobId, partition, state.checksum.chunks(), state.nextSequence, state.checksum.value(), clock.now());
        jobs.putPartitionManifest(manifest);
        state.sealed = true;
      }
    }
    sealJobIfComplete(state.job);
    open.remove(new Key(jobId, partition));
    return manifest;
  }

  /** When every partition of the job is sealed: its manifest, then SEALED, then a first availability check. */
  private void sealJobIfComplete(Job job) {
    List<JobPartition> parts = jobs.partitions(job.id());
    List<PartitionManifest> sealed = parts.stream().flatMap(p -> p.manifest().stream()).toList();
    if (sealed.size() < job.partitions()) {
      return;
    }
    Manifest manifest = Manifest.ofPartitions(job.id(), job.buckets(), job.partitions(), sealed);
    jobs.putManifest(manifest);
    Job current = jobs.find(job.id()).orElseThrow(() -> new IllegalStateException("job " + job.id() + " disappeared from the job records"));
    if (current.status() == JobStatus.SUBMITTED || current.status() == JobStatus.PRODUCING) {
      if (!jobs.replace(current, current.transitionTo(JobStatus.SEALED, clock.now()))) {
        Job now = jobs.find(job.id()).orElseThrow();
        if (now.status() == JobStatus.SUBMITTED || now.status() == JobStatus.PRODUCING || now.status() == JobStatus.FAILED) {
          throw new IllegalStateException("job " + job.id() + " changed under its producer: " + now.status());
        }
      }
    } else if (current.status() == JobStatus.FAILED) {
      throw new IllegalStateException("job " + job.id() + " changed under its producer: FAILED");
    }
    try {
      availability.check(job.id());
    } catch (RetryableStoreException e) {
      // sealed all the same: the consumers' availability sweep makes the move if this check could not
      log.warn("job {} is sealed; checking whether its chunks are all stored failed, the consumers' sweep will: {}", job.id(), e.getMessage());
    }
  }

  /**
   * {@inheritDoc} Also tries again the announcements of jobs this process made AVAILABLE at their
   * seal that failed and whose backoff has passed (the linger tick is the producer's only clock),
   * and records each open partition's progress at most once per {@link IntakeSettings#progressInterval()}.
   * A resumable job's partitions are never cut on linger (their chunks depend on their events alone).
   */
  @Override
  public int flushLingering() {
    try {
      availability.announcer().retryDue();
    } catch (RuntimeException e) {
      log.warn("retrying the waiting job announcements failed, will run again: {}", e.toString());
    }
    Instant now = clock.now();
    for (PartitionState state : open.values()) {
      synchronized (state) {
        if (!state.job.resumable()) {
          // a lingering chunk is cut only into free room; one without room stays (the assembler's own
          // bound still holds it) and the next tick tries again
          while (!state.sealed && lingering(state, now) && publisher.tryReserve(ChunkPublisher.RESERVE_PER_CUT)) {
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
        if (!state.sealed && state.nextSequence != state.reportedEvents
            && !Duration.between(state.reportedAt, now).minus(settings.progressInterval()).isNegative()) {
          try {
            report(state, now);
          } catch (RuntimeException e) {
            log.warn("recording the progress of partition {} of job {} failed, will try again: {}", state.partition, state.job.id(), e.toString());
          }
        }
      }
    }
    return publisher.publishAvailable();
  }

  private void report(PartitionState state, Instant now) {
    jobs.touchPartition(state.job.id(), state.partition, now, state.nextSequence);
    state.reportedEvents = state.nextSequence;
    state.reportedAt = now;
  }

  private static boolean lingering(PartitionState state, Instant now) {
    Instant deadline = state.assembler.nextLingerDeadline();
    return deadline != null && !now.isBefore(deadline);
  }

  /**
   * Reserves an event's raw bytes under the process bound, waiting as the publisher's backpressure
   * says (no lock held); returns the bytes reserved, given back or kept by {@link #settle}.
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
              + " assembled-but-unpublished bytes (" + raw + " raw in " + open.size() + " open partitions' assemblers, " + buffered
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
  private void settle(PartitionState state, long before, int reserved) {
    long delta = state.assembler.pendingRawBytes() - before - reserved;
    if (delta != 0) {
      assembledRaw.addAndGet(delta);
    }
  }

  /** Raw bytes waiting in the open partitions' assemblers (and reserved by appends in progress). */
  public long assembledRawBytes() {
    return assembledRaw.get();
  }

  /** Events of an open job accepted but not yet cut into a chunk, over its partitions open here (0 once sealed or unknown). */
  public long pendingEvents(JobId jobId) {
    long n = 0;
    for (Map.Entry<Key, PartitionState> e : open.entrySet()) {
      if (e.getKey().job().equals(jobId)) {
        synchronized (e.getValue()) {
          n += e.getValue().assembler.pendingEvents();
        }
      }
    }
    return n;
  }

  /** Counters since start, over every job. */
  public Stats stats() {
    long chunks = chunksCut.sum();
    return new Stats(eventsAccepted.sum(), duplicatesIgnored.sum(), chunks,
        chunks == 0 ? 0 : (double) storedBytes.sum() / chunks / StoredItemLayout.ITEM_LIMIT_BYTES, chunksSkipped.sum());
  }

  /**
   * Intake counters; {@code fillRatio} is the mean stored item size over the 409,600-byte limit;
   * {@code chunksNotRepublished} counts chunks resumed partitions cut again and found stored already.
   */
  public record Stats(long eventsAccepted, long duplicatesIgnored, long chunksCut, double fillRatio, long chunksNotRepublished) {
    public Stats(long eventsAccepted, long duplicatesIgnored, long chunksCut, double fillRatio) {
      this(eventsAccepted, duplicatesIgnored, chunksCut, fillRatio, 0);
    }
  }

  private void hand(PartitionState state, List<Chunk> cut) {
    if (cut.isEmpty()) {
      return;
    }
    long bytes = 0;
    List<Chunk> publish = cut;
    for (Chunk c : cut) {
      state.checksum.add(c);
      chunksCut.increment();
      storedBytes.add(c.storedItemSize());
      if (!state.alreadyStored.isEmpty() && state.alreadyStored.remove(c.id())) {
        chunksSkipped.increment();
        if (publish == cut) {
          publish = new ArrayList<>(cut);
        }
        publish.remove(c);
        continue;
      }
      bytes += c.record().length;
    }
    if (publish.isEmpty()) {
      return;
    }
    long fromCredit = Math.min(bytes, state.credit);
    state.credit -= fromCredit;
    publisher.enqueue(publish, fromCredit);
  }

  private void releaseCredit(PartitionState state) {
    if (state.credit > 0) {
      publisher.release(state.credit);
      state.credit = 0;
    }
  }

  private PartitionState state(JobId jobId, int partition) {
    PartitionState s = open.get(new Key(jobId, partition));
    if (s == null) {
      boolean otherPartitionsHere = open.keySet().stream().anyMatch(k -> k.job().equals(jobId));
      throw new InvalidFieldException("jobId", jobId.value(), "a job open for appends in this process (unknown or already sealed"
          + (partition == 0 && !otherPartitionsHere ? "" : ", or partition " + partition + " not opened here") + ")");
    }
    return s;
  }
}
