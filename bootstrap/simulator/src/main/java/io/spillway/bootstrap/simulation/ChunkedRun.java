package io.spillway.bootstrap.simulation;

import io.spillway.adapters.inmemory.InMemoryChunks;
import io.spillway.adapters.inmemory.InMemoryStream;
import io.spillway.adapters.inmemory.InMemoryStreamConsumer;
import io.spillway.adapters.inmemory.OnDemandStreamCapacity;
import io.spillway.adapters.inmemory.StreamLimits;
import io.spillway.application.port.in.BackpressureException;
import io.spillway.application.port.in.OpenJob;
import io.spillway.application.port.out.ChunkStream;
import io.spillway.application.port.out.Chunks;
import io.spillway.application.port.out.Jobs;
import io.spillway.application.port.out.PublishOutcome;
import io.spillway.application.port.out.PutOutcome;
import io.spillway.application.service.AvailabilityCheck;
import io.spillway.application.service.ChunkPublisher;
import io.spillway.application.service.IngestService;
import io.spillway.application.service.IngestSettings;
import io.spillway.application.service.IntakeService;
import io.spillway.application.service.PublisherSettings;
import io.spillway.application.service.WriteRateGovernor;
import io.spillway.bootstrap.SpillwayConfig;
import io.spillway.bootstrap.wiring.InMemoryProcess;
import io.spillway.bootstrap.wiring.InMemoryWorld;
import io.spillway.bootstrap.wiring.StreamRetention;
import io.spillway.domain.chunk.Chunk;
import io.spillway.domain.chunk.ChunkAssembler;
import io.spillway.domain.chunk.ChunkFormat;
import io.spillway.domain.chunk.ChunkId;
import io.spillway.domain.event.Event;
import io.spillway.domain.job.Job;
import io.spillway.domain.job.JobId;
import io.spillway.domain.job.JobStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Spillway's own services on the in-memory adapters: producers ({@link IntakeService} and a
 * bounded {@link ChunkPublisher} per host, refusing appends when full), then either the stream and
 * KCL-like workers ({@link IngestService} behind a {@link WriteRateGovernor}, checkpointing what is
 * durable) — the {@code spillway} architecture — or the table directly ({@code direct-chunked}).
 * Each host and each worker is a process of one {@link InMemoryWorld}, the memory environment's
 * Dagger wiring, around this run's instrumented table and stream.
 */
final class ChunkedRun extends ArchitectureRun {
  private static final Duration IDLE_BETWEEN_READS = Duration.ofMillis(200);
  private static final Duration SEAL_WAIT = Duration.ofSeconds(10);

  private final boolean viaStream;
  private final Jobs jobs;
  private final CountingChunks chunks;
  private final InMemoryStream stream;
  private final List<Host> hosts = new ArrayList<>();
  private final List<InMemoryStreamConsumer> workers = new ArrayList<>();
  private final List<WriteRateGovernor> governors = new ArrayList<>();
  private final Map<JobId, JobSchedule.Planned> planned = new HashMap<>();
  private final Map<JobId, Long> appendedBlocks = new LinkedHashMap<>();
  private final Set<JobId> lostJobs = new HashSet<>();
  private final Set<ChunkId> lostChunks = new HashSet<>();
  private final Map<Integer, byte[]> payloads = new HashMap<>();
  private boolean consumersDown;
  /** The consumers' GetRecords calls, for the forecast's bottleneck evidence. */
  private long readCalls;
  /** While a shard-readers fault lasts, the other applications' read positions, per shard. */
  private Map<String, long[]> otherReaders;
  private Duration putLatency = Duration.ZERO;
  private final RetentionWatch watch;

  private record Host(IntakeService intake, ChunkPublisher publisher) {}

  /** The most any one host's buffer held since the last timeline row: the flusher drains it within the minute, so its end hides the peak. */
  private long minutePeakBufferedBytes;
  /** Each host's running peak at the last row: a minute that raised it peaked exactly there, even between samples. */
  private final Map<Integer, Long> peakAtLastRow = new HashMap<>();

  private void noteBuffer(ChunkPublisher publisher) {
    minutePeakBufferedBytes = Math.max(minutePeakBufferedBytes, publisher.bufferedBytes());
  }

  ChunkedRun(boolean viaStream, Scenario scenario, List<JobSchedule.Planned> schedule, Instant start) {
    super(viaStream ? "spillway" : "direct-chunked", scenario, schedule, start);
    this.viaStream = viaStream;
    this.chunks = new CountingChunks(InMemoryChunks.keysOnly(table, clock));
    ChunkStream target;
    DirectToTable direct = null;
    if (viaStream) {
      StreamLimits limits = (scenario.stream.onDemandMode()
          ? StreamLimits.onDemand(OnDemandStreamCapacity.Settings.standard().withMaxMegabytesPerSecond(scenario.stream.onDemandMaxWriteMegabytesPerSecond))
          : StreamLimits.kinesis(scenario.stream.shards)).withRetention(hours(scenario.stream.retentionHours));
      stream = InMemoryStream.releasingConsumed(limits, clock);
      stream.onLoss(this::lost);
      target = new MeteredStream(stream);
      watch = new RetentionWatch(stream, limits.retention(), start);
    } else {
      stream = null;
      direct = new DirectToTable(chunks);
      target = direct;
      watch = null;
    }
    long bound = (long) (scenario.producers.bufferMegabytes * 1024 * 1024);
    PublisherSettings publisher = PublisherSettings.defaults().withMaxBufferedBytes(bound)
        .withBackpressure(PublisherSettings.Backpressure.FAIL_FAST, Duration.ZERO);
    ChunkAssembler.Settings assembler = new ChunkAssembler.Settings(0.96, 0.85, 256 * 1024 * 1024,
        Duration.ofMillis(Math.round(scenario.producers.lingerSeconds * 1000)));
    IngestSettings ingest = new IngestSettings(scenario.consumers.writeUnitsPerSecondPerWorker, 8, Duration.ofMillis(25),
        Duration.ofSeconds(2), false);
    SpillwayConfig config = SpillwayConfig.defaults().withPublisher(publisher).withAssembler(assembler).withSealTimeout(SEAL_WAIT)
        .withIngest(ingest).withConsumerBatchRecords(scenario.consumers.maxRecords)
        // the availability check's own defaults (quiet for 30 s, recounts at most an hour apart); the run never sweeps
        .withAvailabilitySweep(Duration.ofSeconds(15), Duration.ofHours(1));
    // no retention for the check: the run marks a job INCOMPLETE itself, as the stream reports each lost record
    InMemoryWorld world = InMemoryWorld.factory().create(config, clock, new ModelledCodec(), chunks, target, Optional.ofNullable(stream),
        new StreamRetention(Optional.empty()));
    this.jobs = world.jobs();
    if (direct != null) {
      direct.countInto(world.availability());
    }
    for (int h = 0; h < scenario.producers.hosts; h++) {
      InMemoryProcess host = world.processes().create(new InMemoryProcess.Identity("h" + h, scenario.seed * 31 + h));
      hosts.add(new Host(host.intake(), host.publisher()));
    }
    result.producerBufferBoundBytes = bound;
    if (viaStream) {
      for (int w = 0; w < scenario.consumers.workers; w++) {
        // a worker never backs off a publish: its seed is numbered after the hosts' only to keep them apart
        InMemoryProcess worker = world.processes().create(new InMemoryProcess.Identity("w" + w, scenario.seed * 31 + scenario.producers.hosts + w));
        workers.add(worker.consumer());
        governors.add(worker.governor());
      }
    }
  }

  @Override
  EventLoop.Actor jobActor(JobSchedule.Planned p) {
    return new JobRunner(p, hosts.get((p.index() - 1) % hosts.size()));
  }

  @Override
  void scheduleOwnActors() {
    // each host cuts lingering chunks and retries its buffer once a second
    loop.schedule(start.plus(TICK), now -> {
      for (Host h : hosts) {
        h.intake.flushLingering();
        noteBuffer(h.publisher);
        result.maxProducerBufferBytes = Math.max(result.maxProducerBufferBytes, h.publisher.stats().maxBufferedBytes());
      }
      return now.plus(TICK);
    });
    if (viaStream) {
      List<String> shards = stream.shardIds();
      for (int s = 0; s < shards.size(); s++) {
        InMemoryStreamConsumer worker = workers.get(s % workers.size());
        String shard = shards.get(s);
        loop.schedule(start, now -> {
          if (consumersDown) {
            return now.plus(TICK);
          }
          readCalls++;
          int delivered = worker.pollShard(shard);
          return delivered > 0 ? clock.now() : now.plus(IDLE_BETWEEN_READS);
        });
      }
      loop.schedule(start.plus(SAMPLE), now -> {
        double budget = 0;
        for (WriteRateGovernor g : governors) budget += g.budget();
        long throttledReads = 0;
        for (InMemoryStreamConsumer w : workers) throttledReads += w.throttledReads();
        watch.observe(now, table.consumed(), Math.min(budget, table.writeUnitsPerSecond(now)), table.throttled(), readCalls, throttledReads, result);
        return now.plus(SAMPLE);
      });
    }
  }

  @Override
  void startFault(Scenario.Fault f, Instant until) {
    super.startFault(f, until);
    if (f.type.equals("consumers-down") && viaStream) {
      consumersDown = true;
      // the workers die: what they read but did not checkpoint is read again after they return
      workers.forEach(InMemoryStreamConsumer::crash);
    } else if (f.type.equals("put-latency")) {
      putLatency = Duration.ofMillis(Math.round(f.milliseconds));
    } else if (f.type.equals("shard-readers") && viaStream && otherReaders == null) {
      startOtherReaders(f.readers);
    }
  }

  /**
   * Other applications reading every shard without enhanced fan-out: each polls each shard once a
   * second, at the second's start, from the tip. They share the shard's 5 GetRecords calls and
   * 2 MB a second with Spillway's consumers, which then find their calls throttled.
   */
  private void startOtherReaders(int readers) {
    otherReaders = new HashMap<>();
    for (String shard : stream.shardIds()) {
      long[] positions = new long[readers];
      java.util.Arrays.fill(positions, stream.tip(shard));
      otherReaders.put(shard, positions);
      Instant first = Instant.ofEpochSecond(clock.now().getEpochSecond() + 1);
      loop.schedule(first, now -> {
        if (otherReaders == null) {
          return null;
        }
        for (int r = 0; r < positions.length; r++) {
          // the run's stream keeps only the sizes of what Spillway checkpointed: a reader throttled behind that point skips
          // to it (its reads of those records go uncounted; it contends for the calls and the bytes past the checkpoint)
          positions[r] = Math.max(positions[r], stream.checkpointedPosition(shard));
          InMemoryStream.ReadResult read = stream.read(shard, positions[r], 10_000);
          positions[r] = read.nextPosition();
        }
        return now.plus(TICK);
      });
    }
  }

  @Override
  void endFault(Scenario.Fault f) {
    super.endFault(f);
    if (f.type.equals("consumers-down")) {
      consumersDown = false;
    } else if (f.type.equals("put-latency")) {
      putLatency = Duration.ZERO;
    } else if (f.type.equals("shard-readers")) {
      otherReaders = null;
    }
  }

  /** One job's computation: emits blocks at its class's pace, stalls while its host's buffer refuses them, then seals. */
  private final class JobRunner implements EventLoop.Actor {
    private final JobSchedule.Planned p;
    private final Host host;
    private final JobId id;
    private final byte[] payload;
    private final double blocksPerSecond;
    private Instant last;
    private long appended;
    private double owed;

    JobRunner(JobSchedule.Planned p, Host host) {
      this.p = p;
      this.host = host;
      this.id = new JobId(p.id());
      this.payload = payloads.computeIfAbsent(p.blockPayloadBytes(), byte[]::new);
      this.blocksPerSecond = p.spec().eventsPerSecond / p.eventsPerBlock();
    }

    @Override
    public Instant act(Instant now) {
      if (last == null) {
        host.intake.open(new OpenJob(Optional.of(id), p.spec().name + "-" + p.index(), p.jobClass(), scenario.workload.buckets));
        planned.put(id, p);
        appendedBlocks.put(id, 0L);
        last = now;
        owed = 1; // the first block is ready as the job starts
      }
      boolean stalled = owed >= 1;
      double seconds = Duration.between(last, now).toNanos() / 1e9;
      last = now;
      if (!stalled) {
        owed = Math.min(p.blocks() - appended, owed + seconds * blocksPerSecond);
      } else {
        result.producerStalledSeconds += seconds;
      }
      if (appended + owed >= p.blocks() - 1e-9) {
        owed = p.blocks() - appended;
      }
      if (owed >= 1 - 1e-9 && host.publisher.bufferedBytes() + ChunkPublisher.RESERVE_PER_APPEND > result.producerBufferBoundBytes) {
        // the buffer is full: the append would be refused (the host's flusher keeps publishing)
        return clock.now().plus(TICK);
      }
      try {
        while (owed >= 1 - 1e-9 && appended < p.blocks()) {
          host.intake.append(id, new Event(id, appended, "b" + appended, clock.now(), p.spec().name, "g" + (appended % scenario.workload.groupsPerJob),
              1, payload));
          appended++;
          owed--;
          appendedBlocks.put(id, appended);
        }
        noteBuffer(host.publisher);
      } catch (BackpressureException full) {
        noteBuffer(host.publisher);
        return clock.now().plus(TICK);
      }
      if (appended < p.blocks()) {
        return clock.now().plus(TICK);
      }
      try {
        host.intake.seal(id);
      } catch (BackpressureException notYet) {
        return clock.now().plus(TICK);
      }
      if (lostJobs.contains(id)) {
        markIncomplete(id);
      }
      return null;
    }
  }

  private void lost(InMemoryStream.LostRecord record) {
    Chunk chunk = ChunkFormat.parse(record.data());
    JobId job = chunk.id().jobId();
    lostChunks.add(chunk.id());
    result.eventsLost += (long) chunk.eventCount() * planned.get(job).eventsPerBlock();
    if (result.firstLossAt == null) {
      result.firstLossAt = clock.now();
      Map<String, Object> alarm = new LinkedHashMap<>();
      alarm.put("level", "LOSS");
      alarm.put("atSeconds", Duration.between(start, clock.now()).toSeconds());
      result.alarms.add(alarm);
    }
    if (lostJobs.add(job)) {
      markIncomplete(job);
    }
  }

  private void markIncomplete(JobId job) {
    jobs.find(job).filter(j -> j.status() == JobStatus.SEALED).ifPresent(j -> jobs.replace(j, j.transitionTo(JobStatus.INCOMPLETE, clock.now())));
  }

  @Override
  TimelineRow row(long minute, double writeUnitsPerSecond, double capacity) {
    long buffered = 0;
    long fullest = minutePeakBufferedBytes;
    for (int i = 0; i < hosts.size(); i++) {
      ChunkPublisher p = hosts.get(i).publisher;
      buffered += p.bufferedBytes();
      fullest = Math.max(fullest, p.bufferedBytes());
      long peak = p.stats().maxBufferedBytes();
      if (peak > peakAtLastRow.getOrDefault(i, 0L)) {
        fullest = Math.max(fullest, peak);
        peakAtLastRow.put(i, peak);
      }
    }
    minutePeakBufferedBytes = 0;
    double age = 0;
    long backlog = 0;
    if (viaStream) {
      age = stream.oldestUncheckpointedAge().toMillis() / 1000.0;
      backlog = stream.backlogBytes();
      result.maxIteratorAgeSeconds = Math.max(result.maxIteratorAgeSeconds == null ? 0 : result.maxIteratorAgeSeconds, age);
    }
    return new TimelineRow(minute, age, writeUnitsPerSecond, capacity, buffered, fullest, backlog, countAvailable(),
        watch == null ? "OK" : watch.level().name());
  }

  /** Jobs mark themselves AVAILABLE in the job records during the run; {@link #finish} reads them only at the end. */
  @Override
  List<Double> availabilitySoFar() {
    List<Double> seconds = new ArrayList<>();
    for (JobId id : appendedBlocks.keySet()) {
      Job job = jobs.find(id).orElse(null);
      if (job != null && job.status() == JobStatus.AVAILABLE) {
        seconds.add(Math.max(0, Duration.between(planned.get(id).naturalEnd(), job.updatedAt()).toMillis() / 1000.0));
      }
    }
    return seconds;
  }

  private int countAvailable() {
    int n = 0;
    for (JobId id : appendedBlocks.keySet()) {
      if (jobs.find(id).map(Job::status).orElse(null) == JobStatus.AVAILABLE) n++;
    }
    return n;
  }

  @Override
  void finish() {
    for (Map.Entry<JobId, Long> e : appendedBlocks.entrySet()) {
      JobSchedule.Planned p = planned.get(e.getKey());
      result.eventsProduced += e.getValue() * p.eventsPerBlock();
      Job job = jobs.find(e.getKey()).orElseThrow();
      if (job.status() == JobStatus.AVAILABLE) {
        result.jobsCompleted++;
        result.availabilitySeconds.add(Math.max(0, Duration.between(p.naturalEnd(), job.updatedAt()).toMillis() / 1000.0));
      } else if (job.status() == JobStatus.INCOMPLETE) {
        result.jobsIncomplete++;
      }
      long pending = 0;
      for (Host h : hosts) pending += h.intake.pendingEvents(e.getKey());
      result.eventsInFlight += pending * p.eventsPerBlock();
    }
    for (Host h : hosts) {
      for (Chunk c : h.publisher.buffered()) result.eventsInFlight += events(c);
    }
    if (viaStream) {
      for (byte[] data : stream.backlogRecords()) result.eventsInFlight += events(ChunkFormat.parse(data));
    }
    result.eventsStored = chunks.storedEvents;
    result.chunksStored = chunks.stored.size();
    result.storedBytes = chunks.delegate.storedBytes();
    for (ChunkId id : lostChunks) {
      if (chunks.stored.contains(id)) result.eventsBothStoredAndLost++;
    }
    result.wcuConsumed = table.consumed();
    result.throttledRequests = table.throttled() + (stream == null ? 0 : stream.throttledRecords());
  }

  private long events(Chunk c) {
    return (long) c.eventCount() * planned.get(c.id().jobId()).eventsPerBlock();
  }

  @Override
  void streamCosts(Scenario.Prices p, double toMonth) {
    if (!viaStream) {
      return;
    }
    if (stream.limits().isOnDemand()) {
      StreamCosts.onDemand(result.cost, scenario, stream.billedIngestBytes(), stream.readBytes(), toMonth);
    } else {
      StreamCosts.provisioned(result.cost, scenario, result.putPayloadUnits, toMonth);
    }
  }

  /** The table port, counting what it stores (events by the blocks they stand for) for the conservation checks. */
  private final class CountingChunks implements Chunks {
    final InMemoryChunks delegate;
    final Set<ChunkId> stored = new HashSet<>();
    long storedEvents;

    CountingChunks(InMemoryChunks delegate) {
      this.delegate = delegate;
    }

    @Override
    public PutOutcome putIfAbsent(Chunk chunk) {
      PutOutcome o = delegate.putIfAbsent(chunk);
      if (o instanceof PutOutcome.Written) {
        stored.add(chunk.id());
        storedEvents += events(chunk);
      }
      return o;
    }

    @Override
    public Stream<Chunk> read(JobId job, int bucket, Optional<String> group) {
      return delegate.read(job, bucket, group);
    }

    @Override
    public Stream<Chunk> readAfter(JobId job, int bucket, Optional<String> group, ChunkId after) {
      // the table starts the Query at the key, and charges only what it reads from there
      return delegate.readAfter(job, bucket, group, after);
    }

    @Override
    public long count(JobId job, int bucket) {
      return delegate.count(job, bucket);
    }

    @Override
    public long deleteAll(JobId job, int bucket) {
      return delegate.deleteAll(job, bucket);
    }

    @Override
    public java.util.stream.Stream<io.spillway.domain.chunk.ChunkId> storedIds(JobId job, int bucket) {
      return delegate.storedIds(job, bucket);
    }

    @Override
    public Stream<io.spillway.application.port.out.StoredItem> items(JobId job, int bucket) {
      return delegate.items(job, bucket);
    }
  }

  /** PutRecords with the latency fault and the PUT payload units Kinesis bills (25 KB each, per record). */
  private final class MeteredStream implements ChunkStream {
    private final InMemoryStream target;

    MeteredStream(InMemoryStream target) {
      this.target = target;
    }

    @Override
    public List<PublishOutcome> publish(List<Chunk> batch) {
      if (!putLatency.isZero()) {
        clock.sleep(putLatency);
      }
      List<PublishOutcome> out = target.publish(batch);
      for (int i = 0; i < batch.size(); i++) {
        if (out.get(i) instanceof PublishOutcome.Accepted) {
          result.putPayloadUnits += (batch.get(i).record().length + 25 * 1024 - 1) / (25 * 1024);
        }
      }
      return out;
    }
  }

  /** The direct architecture: a "stream" that is the table itself, so a throttled put is a refused record. */
  private static final class DirectToTable implements ChunkStream {
    private final Chunks table;
    private AvailabilityCheck availability;

    DirectToTable(Chunks table) {
      this.table = table;
    }

    /** The writer counts what it stores first toward its job, as a consumer does: without it no job ever completes. */
    void countInto(AvailabilityCheck check) {
      this.availability = check;
    }

    @Override
    public List<PublishOutcome> publish(List<Chunk> batch) {
      List<PublishOutcome> out = new ArrayList<>(batch.size());
      boolean throttled = false;
      for (Chunk c : batch) {
        // a writer that meets throttling backs off with the rest of its batch rather than hammering on
        PutOutcome o = throttled ? null : table.putIfAbsent(c);
        if (o instanceof PutOutcome.Written) {
          availability.stored(c.id().jobId(), 1);
        }
        if (o != null && o.isDurable()) {
          out.add(new PublishOutcome.Accepted("table", c.id().toString()));
        } else {
          throttled = true;
          out.add(new PublishOutcome.Throttled("table throttled"));
        }
      }
      return out;
    }
  }
}
