package io.spillway.bootstrap.simulation;

import io.spillway.adapters.inmemory.OnDemandStreamCapacity;
import io.spillway.adapters.inmemory.StreamLimits;
import io.spillway.application.service.WriteRateGovernor;
import io.spillway.domain.chunk.StoredItemLayout;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The chunked architectures at seed scale, where a job is hundreds of GB and a day holds some
 * hundred million chunks: too many to pass one by one through the services in a minute. Chunks
 * move here in <em>cohorts</em> — the chunks one job had cut, published or stored in one second —
 * that carry the job, the index of their first chunk, their count and their size, never bytes.
 * Each simulated second:
 *
 * <ol>
 *   <li>each running job's computation emits at its class's rate; whole chunks (filled to
 *       {@value #CHUNK_FILL} of the 400 KB item, as the assembler cuts them) go to its producer
 *       host's bounded buffer, and a computation whose next chunk finds no room stalls;
 *   <li>{@code spillway}: the hosts publish to the stream, which takes at most its shards' 1 MB
 *       and 1,000 records a second (shared fairly between the hosts; a put-latency fault bounds a
 *       host to one PutRecords of 500 records / 5 MiB per latency); what is accepted joins the
 *       backlog as a cohort stamped with the second. {@code direct-chunked}: each host writes its
 *       buffer to the table and keeps what is throttled;
 *   <li>the consumers take cohorts from the backlog's head, as far as the shards' 2 MB and 5
 *       GetRecords calls a second (of {@code consumers.maxRecords} records), the {@link
 *       WriteRateGovernor}s' current rates and the table allow — the governors are Spillway's own,
 *       halving on a throttle and climbing back on success;
 *   <li>a cohort older than the retention is lost; a sealed job all of whose chunks are stored is
 *       available, one with a lost chunk incomplete.
 * </ol>
 *
 * <p>Every write is charged to the same {@link io.spillway.adapters.inmemory.TableCapacity} model
 * as the services engine — as a second's writes spread over its physical partitions ({@code
 * tryConsumeSpread}: the partitions' 1,000 WCU/s each bound them together) — with a job's writes
 * bounded by its partition keys ({@code buckets} keys at 1,000 WCU/s each). The stream is taken as a whole, its shards loaded evenly (chunks are keyed
 * by their id, so a job's chunks spread over every shard); a shard's own limits scale with the
 * shard count. The live forecast is the services engine's {@link RetentionWatch}, fed the same
 * figures an operator sees.
 */
final class CohortRun extends ArchitectureRun {
  /** The share of the item limit the assembler fills before it cuts a chunk (its {@code targetFill}). */
  static final double CHUNK_FILL = 0.96;
  private static final int PUT_RECORDS_MAX_RECORDS = 500;
  private static final long PUT_RECORDS_MAX_BYTES = 5L * 1024 * 1024;
  private static final int PUT_PAYLOAD_UNIT_BYTES = 25 * 1024;
  /** A chunk's partition key on the stream (its id), billed with its data by an on-demand stream. */
  private static final int PARTITION_KEY_BYTES = 48;
  /** How far past cohorts whose job's keys are full the consumers look in one second (a bound on the walk, not a limit AWS sets). */
  private static final int MAX_SKIPPED_COHORTS = 10_000;

  private final boolean viaStream;
  private final StreamLimits limits;
  /** The stream-level allowance of an on-demand stream (its shards follow it); null for a provisioned one. */
  private final OnDemandStreamCapacity onDemand;
  private final int shards;
  private final Host[] hosts;
  private final List<Flow> emitting = new ArrayList<>();
  private final List<Flow> open = new ArrayList<>();
  private final List<Flow> all = new ArrayList<>();
  private final ArrayDeque<Cohort> backlog = new ArrayDeque<>();
  private final WriteRateGovernor[] governors;
  private final RetentionWatch watch;
  private final long bufferBound;
  private final double partitionUnits;
  private boolean consumersDown;
  private int otherReaders;
  private Duration putLatency = Duration.ZERO;
  private long acceptedBytes;
  private long checkpointedBytes;
  private long backlogBytes;
  private long readCalls;
  private long readThrottles;
  private long streamThrottles;
  /** What an on-demand stream bills as written: each record (chunk and partition key) rounded up to 1 KB. */
  private long billedIngestBytes;
  private long minutePeakBufferedBytes;
  private long second;

  /** One job: its size in chunks and events, how far its computation got, where its chunks are. */
  private static final class Flow {
    final JobSchedule.Planned plan;
    final Host host;
    final long chunks;
    final long events;
    final long chunkBytes;
    final int unitsPerChunk;
    final double chunksPerSecond;
    /** Chunks' worth of events the computation has emitted; the part past {@link #cut} is in the assembler. */
    double progress;
    long cut;
    long stored;
    long lost;
    /** Write units this job's partition keys took in {@link #keySecond}. */
    double keyUnits;
    long keySecond = Long.MIN_VALUE;

    Flow(JobSchedule.Planned plan, Host host) {
      this.plan = plan;
      this.host = host;
      this.events = plan.events();
      long most = (long) Math.floor(StoredItemLayout.ITEM_LIMIT_BYTES * CHUNK_FILL);
      this.chunks = Math.max(1, (long) Math.ceil(plan.storedBytes() / most));
      this.chunkBytes = Math.max(1, (long) Math.ceil(plan.storedBytes() / chunks));
      this.unitsPerChunk = StoredItemLayout.writeUnits((int) chunkBytes);
      this.chunksPerSecond = plan.spec().eventsPerSecond * chunks / (double) events;
    }

    /** Events in the chunks {@code [from, from + count)}: the job's events spread over its chunks in order. */
    long eventsOf(long from, long count) {
      return eventsBefore(from + count) - eventsBefore(from);
    }

    long eventsBefore(long chunk) {
      return Math.multiplyExact(chunk, events) / chunks;
    }

    /** Events the computation has emitted so far (the whole job once it has cut its last chunk). */
    long produced() {
      return cut >= chunks ? events : Math.min(events, (long) Math.floor(progress * events / chunks));
    }
  }

  /** The PUT payload units (25 KB each, per record) a provisioned stream bills for all of a job's chunks. */
  static long putPayloadUnits(JobSchedule.Planned plan) {
    Flow f = new Flow(plan, null);
    return f.chunks * ((f.chunkBytes + PUT_PAYLOAD_UNIT_BYTES - 1) / PUT_PAYLOAD_UNIT_BYTES);
  }

  /** A producer host: its bounded buffer of cut chunks, oldest first. */
  private static final class Host {
    final ArrayDeque<Cohort> buffer = new ArrayDeque<>();
    long bytes;
    long publishedThisSecond;
    long recordsThisSecond;
  }

  /** Consecutive chunks of one job, from {@code first}, stamped with the second they reached where they are. */
  private static final class Cohort {
    final Flow job;
    final long at;
    long first;
    long count;

    Cohort(Flow job, long first, long count, long at) {
      this.job = job;
      this.first = first;
      this.count = count;
      this.at = at;
    }

    long bytes() {
      return count * job.chunkBytes;
    }

    /** Takes {@code n} chunks off the front; returns the index of the first taken. */
    long take(long n) {
      long from = first;
      first += n;
      count -= n;
      return from;
    }
  }

  CohortRun(boolean viaStream, Scenario scenario, List<JobSchedule.Planned> schedule, Instant start) {
    super(viaStream ? "spillway" : "direct-chunked", scenario, schedule, start);
    this.viaStream = viaStream;
    this.limits = StreamLimits.kinesis(scenario.stream.shards).withRetention(hours(scenario.stream.retentionHours));
    this.onDemand = viaStream && scenario.stream.onDemandMode()
        ? new OnDemandStreamCapacity(start, OnDemandStreamCapacity.Settings.standard()
            .withMaxMegabytesPerSecond(scenario.stream.onDemandMaxWriteMegabytesPerSecond))
        : null;
    this.shards = scenario.stream.shards;
    this.hosts = new Host[scenario.producers.hosts];
    for (int h = 0; h < hosts.length; h++) hosts[h] = new Host();
    this.bufferBound = (long) (scenario.producers.bufferMegabytes * 1024 * 1024);
    this.partitionUnits = table.settings().partitionWriteUnitsPerSecond();
    result.producerBufferBoundBytes = bufferBound;
    if (viaStream) {
      governors = new WriteRateGovernor[scenario.consumers.workers];
      for (int w = 0; w < governors.length; w++) {
        governors[w] = new WriteRateGovernor(clock, scenario.consumers.writeUnitsPerSecondPerWorker);
      }
      watch = new RetentionWatch(new RetentionWatch.Backlog() {
        @Override
        public Duration oldestAge() {
          return backlogAge(clock.now());
        }

        @Override
        public long acceptedBytes() {
          return acceptedBytes;
        }

        @Override
        public long checkpointedBytes() {
          return checkpointedBytes;
        }
      }, limits.retention(), start);
    } else {
      governors = new WriteRateGovernor[0];
      watch = null;
    }
  }

  @Override
  EventLoop.Actor jobActor(JobSchedule.Planned p) {
    return now -> {
      Flow f = new Flow(p, hosts[(p.index() - 1) % hosts.length]);
      emitting.add(f);
      open.add(f);
      all.add(f);
      return null;
    };
  }

  @Override
  void scheduleOwnActors() {
    loop.schedule(start.plus(TICK), this::tick);
    if (viaStream) {
      loop.schedule(start.plus(SAMPLE), now -> {
        double budget = 0;
        for (WriteRateGovernor g : governors) budget += g.budget();
        watch.observe(now, table.consumed(), Math.min(budget, table.writeUnitsPerSecond(now)), table.throttled(), readCalls,
            readThrottles, result);
        return now.plus(SAMPLE);
      });
    }
  }

  @Override
  void startFault(Scenario.Fault f, Instant until) {
    super.startFault(f, until);
    switch (f.type) {
      case "consumers-down" -> consumersDown = true;
      case "put-latency" -> putLatency = Duration.ofMillis(Math.round(f.milliseconds));
      case "shard-readers" -> otherReaders = f.readers;
      default -> { }
    }
  }

  @Override
  void endFault(Scenario.Fault f) {
    super.endFault(f);
    switch (f.type) {
      case "consumers-down" -> consumersDown = false;
      case "put-latency" -> putLatency = Duration.ZERO;
      case "shard-readers" -> otherReaders = 0;
      default -> { }
    }
  }

  /** One simulated second of every job, host, shard and consumer. */
  private Instant tick(Instant now) {
    second = now.getEpochSecond();
    emit(now);
    long arrived = viaStream ? publish(now) : writeDirect(now);
    if (viaStream) {
      consume(now, arrived);
      expire(now);
    }
    settle(now);
    for (Host h : hosts) {
      minutePeakBufferedBytes = Math.max(minutePeakBufferedBytes, h.bytes);
      h.recordsThisSecond = 0;
    }
    return now.plus(TICK);
  }

  /** The computations: whole chunks into the hosts' buffers while they have room. */
  private void emit(Instant now) {
    for (Iterator<Flow> it = emitting.iterator(); it.hasNext(); ) {
      Flow f = it.next();
      double want = f.chunksPerSecond * TICK.toSeconds();
      double target = Math.min(f.chunks, f.progress + want);
      long room = Math.max(0, (bufferBound - f.host.bytes) / f.chunkBytes);
      // the assembler may fill the chunk after the last one that fits; the computation waits on the one after that
      double allowed = f.cut + room >= f.chunks ? target : Math.min(target, f.cut + room + 0.999_999);
      if (allowed < target && want > 0) {
        result.producerStalledSeconds += TICK.toSeconds() * (target - allowed) / want;
      }
      f.progress = Math.max(f.progress, allowed);
      long whole = f.progress >= f.chunks - 1e-9 ? f.chunks : (long) Math.floor(f.progress);
      long cut = Math.min(whole, f.cut + room);
      if (cut > f.cut) {
        Cohort c = new Cohort(f, f.cut, cut - f.cut, second);
        f.host.buffer.addLast(c);
        f.host.bytes += c.bytes();
        f.cut = cut;
      }
      if (f.cut >= f.chunks) {
        it.remove(); // sealed: the manifest is written as the last chunk is cut
      }
    }
    for (Host h : hosts) result.maxProducerBufferBytes = Math.max(result.maxProducerBufferBytes, h.bytes);
  }

  /** PutRecords from every host, within the stream's write limits; returns the bytes the stream accepted. */
  private long publish(Instant now) {
    long byteCap = onDemand != null ? (long) onDemand.writeBytesPerSecond(now) : limits.writeBytesPerSecond() * shards;
    long recordCap = onDemand != null ? (long) onDemand.writeRecordsPerSecond(now) : (long) limits.writeRecordsPerSecond() * shards;
    // a put-latency fault: one PutRecords (500 records, 5 MiB) in flight per host, so as many calls a second as fit
    double calls = putLatency.isZero() ? Double.POSITIVE_INFINITY : Math.max(1, 1_000.0 / Math.max(1, putLatency.toMillis()));
    double[] wanted = new double[hosts.length];
    for (int h = 0; h < hosts.length; h++) {
      wanted[h] = Math.min(hosts[h].bytes, calls * PUT_RECORDS_MAX_BYTES);
    }
    long[] shares = LegacyRdbmsRun.share(wanted, byteCap);
    long[] left = {byteCap, recordCap};
    long hostRecords = (long) Math.min(Long.MAX_VALUE / 4, calls * PUT_RECORDS_MAX_RECORDS);
    long accepted = 0;
    for (int i = 0; i < hosts.length; i++) {
      int h = (int) ((i + second) % hosts.length);
      accepted += publish(hosts[h], Math.min(shares[h], left[0]), hostRecords, left, now);
    }
    // a share a host could not use whole (its chunks do not divide it) goes to the others, in the same rotation
    for (int i = 0; i < hosts.length && left[0] > 0 && left[1] > 0; i++) {
      int h = (int) ((i + second) % hosts.length);
      accepted += publish(hosts[h], left[0], hostRecords, left, now);
    }
    for (int h = 0; h < hosts.length; h++) {
      Host host = hosts[h];
      Cohort next = host.buffer.peekFirst();
      if (next != null && host.publishedThisSecond + next.job.chunkBytes <= wanted[h]) {
        // the host wanted to send more than the stream took: its next PutRecords' records come back throttled
        streamThrottles += Math.min(next.count, Math.max(1, PUT_RECORDS_MAX_BYTES / next.job.chunkBytes));
      }
      host.publishedThisSecond = 0;
    }
    acceptedBytes += accepted;
    backlogBytes += accepted;
    return accepted;
  }

  /** Publishes up to {@code bytes} of the host's oldest chunks (whole chunks, at most {@code records} of them this second). */
  private long publish(Host host, long bytes, long records, long[] left, Instant now) {
    long taken = 0;
    while (!host.buffer.isEmpty()) {
      Cohort c = host.buffer.peekFirst();
      long n = Math.min(c.count, Math.min((bytes - taken) / c.job.chunkBytes, Math.min(left[1], records - host.recordsThisSecond)));
      n = Math.min(n, left[0] / c.job.chunkBytes);
      if (n > 0 && onDemand != null) {
        // within the caps read above; the charge is what lets the allowance grow with the peak
        n = onDemand.grantRecords((int) Math.min(n, Integer.MAX_VALUE), c.job.chunkBytes, now);
        billedIngestBytes += n * ((c.job.chunkBytes + PARTITION_KEY_BYTES + 1023) / 1024 * 1024);
      }
      if (n <= 0) {
        break;
      }
      long from = c.take(n);
      Cohort landed = new Cohort(c.job, from, n, second);
      long b = landed.bytes();
      taken += b;
      host.bytes -= b;
      host.publishedThisSecond += b;
      host.recordsThisSecond += n;
      left[0] -= b;
      left[1] -= n;
      result.putPayloadUnits += n * ((c.job.chunkBytes + PUT_PAYLOAD_UNIT_BYTES - 1) / PUT_PAYLOAD_UNIT_BYTES);
      append(landed);
      if (c.count == 0) {
        host.buffer.pollFirst();
      }
    }
    return taken;
  }

  private void append(Cohort c) {
    Cohort last = backlog.peekLast();
    if (last != null && last.job == c.job && last.at == c.at && last.first + last.count == c.first) {
      last.count += c.count;
    } else {
      backlog.addLast(c);
    }
  }

  /** The direct design: each host writes its buffer to the table, keeping what the table throttles. */
  private long writeDirect(Instant now) {
    for (int i = 0; i < hosts.length; i++) {
      Host host = hosts[(int) ((i + second) % hosts.length)];
      while (!host.buffer.isEmpty()) {
        Cohort c = host.buffer.peekFirst();
        long n = Math.min(c.count, keyRoom(c.job));
        int granted = n <= 0 ? 0 : table.tryConsumeSpread((int) Math.min(n, Integer.MAX_VALUE), c.job.unitsPerChunk, now);
        store(c, granted);
        host.bytes -= granted * c.job.chunkBytes;
        if (c.count == 0) {
          host.buffer.pollFirst();
        }
        if (granted < n || n <= 0) {
          break; // throttled (by the table or the job's keys): the writer backs off until the next second
        }
      }
    }
    return 0;
  }

  /** How many more chunks the job's partition keys take this second: {@code buckets} keys of 1,000 WCU/s, chunks spread evenly. */
  private long keyRoom(Flow f) {
    if (f.keySecond != second) {
      f.keySecond = second;
      f.keyUnits = 0;
    }
    double cap = partitionUnits * scenario.workload.buckets;
    return (long) Math.floor((cap - f.keyUnits) / f.unitsPerChunk + 1e-9);
  }

  private void store(Cohort c, long n) {
    if (n <= 0) {
      return;
    }
    long from = c.take(n);
    Flow f = c.job;
    f.keyUnits += (double) n * f.unitsPerChunk;
    f.stored += n;
    result.chunksStored += n;
    result.eventsStored += f.eventsOf(from, n);
    result.storedBytes += n * f.chunkBytes;
  }

  /** The consumers: the backlog's head, within the shards' read limits, the governors' rates and the table. */
  private void consume(Instant now, long arrivedBytes) {
    if (consumersDown || backlog.isEmpty()) {
      return;
    }
    // other applications read each shard from its tip once a second: one call and the second's new bytes each
    int shards = onDemand != null ? onDemand.shards(now) : this.shards;
    long readableBytes = Math.max(0, limits.readBytesPerSecond() * shards - (long) otherReaders * arrivedBytes);
    long calls = (long) Math.max(0, limits.readCallsPerSecond() - otherReaders) * shards;
    long readableRecords = calls * scenario.consumers.maxRecords;
    // the consumers poll each shard up to its 5 calls a second; the calls the other readers took come back throttled
    readCalls += (long) limits.readCallsPerSecond() * shards;
    readThrottles += (long) Math.min(otherReaders, limits.readCallsPerSecond()) * shards;
    double units = 0;
    for (WriteRateGovernor g : governors) units += g.currentRate() * TICK.toSeconds();
    boolean throttled = false;
    boolean wrote = false;
    int skipped = 0;
    for (Cohort c : backlog) {
      if (c.count == 0) {
        continue;
      }
      long n = Math.min(c.count, Math.min(readableRecords, readableBytes / c.job.chunkBytes));
      n = Math.min(n, (long) Math.floor(units / c.job.unitsPerChunk + 1e-9));
      if (n <= 0) {
        break; // the shards' reads or the consumers' budget are spent for this second
      }
      n = Math.min(n, keyRoom(c.job));
      if (n <= 0) {
        if (++skipped > MAX_SKIPPED_COHORTS) {
          break;
        }
        continue; // this job's keys are full this second; other jobs' chunks sit on other keys
      }
      long bytes = n * c.job.chunkBytes;
      int granted = table.tryConsumeSpread((int) Math.min(n, Integer.MAX_VALUE), c.job.unitsPerChunk, now);
      store(c, granted);
      long took = granted * c.job.chunkBytes;
      readableRecords -= granted;
      readableBytes -= bytes;
      units -= (double) granted * c.job.unitsPerChunk;
      backlogBytes -= took;
      checkpointedBytes += took;
      wrote |= granted > 0;
      if (granted < n) {
        throttled = true;
        break;
      }
    }
    for (WriteRateGovernor g : governors) {
      if (throttled) {
        g.onThrottled();
      } else if (wrote) {
        g.onSuccess();
      }
    }
    while (!backlog.isEmpty() && backlog.peekFirst().count == 0) backlog.pollFirst();
  }

  /** Records past the retention expire: their chunks are lost and their jobs incomplete. */
  private void expire(Instant now) {
    long retention = limits.retention().toSeconds();
    while (!backlog.isEmpty() && backlog.peekFirst().at + retention <= second) {
      Cohort c = backlog.pollFirst();
      if (c.count == 0) {
        continue;
      }
      Flow f = c.job;
      result.eventsLost += f.eventsOf(c.first, c.count);
      f.lost += c.count;
      backlogBytes -= c.bytes();
      c.take(c.count);
      if (result.firstLossAt == null) {
        result.firstLossAt = now;
        Map<String, Object> alarm = new LinkedHashMap<>();
        alarm.put("level", "LOSS");
        alarm.put("atSeconds", Duration.between(start, now).toSeconds());
        result.alarms.add(alarm);
      }
    }
  }

  /** Jobs whose chunks are all accounted for: available if all are stored, incomplete if any was lost. */
  private void settle(Instant now) {
    for (Iterator<Flow> it = open.iterator(); it.hasNext(); ) {
      Flow f = it.next();
      boolean sealed = f.cut >= f.chunks;
      if (sealed && f.lost > 0) {
        // sealed with a chunk lost: INCOMPLETE at once, as the stream reports the loss
        result.jobsIncomplete++;
        it.remove();
      } else if (sealed && f.stored >= f.chunks) {
        it.remove();
        result.jobsCompleted++;
        result.availabilitySeconds.add(Math.max(0, Duration.between(f.plan.naturalEnd(), now).toMillis() / 1000.0));
      }
    }
  }

  private Duration backlogAge(Instant now) {
    for (Cohort c : backlog) {
      if (c.count > 0) {
        return Duration.ofSeconds(Math.max(0, now.getEpochSecond() - c.at));
      }
    }
    return Duration.ZERO;
  }

  @Override
  TimelineRow row(long minute, double writeUnitsPerSecond, double capacity) {
    long buffered = 0;
    long fullest = minutePeakBufferedBytes;
    for (Host h : hosts) {
      buffered += h.bytes;
      fullest = Math.max(fullest, h.bytes);
    }
    minutePeakBufferedBytes = 0;
    double age = 0;
    if (viaStream) {
      age = backlogAge(clock.now()).toSeconds();
      result.maxIteratorAgeSeconds = Math.max(result.maxIteratorAgeSeconds == null ? 0 : result.maxIteratorAgeSeconds, age);
    }
    return new TimelineRow(minute, age, writeUnitsPerSecond, capacity, buffered, fullest, viaStream ? backlogBytes : 0, result.jobsCompleted,
        watch == null ? "OK" : watch.level().name());
  }

  @Override
  void finish() {
    for (Flow f : all) {
      result.eventsProduced += f.produced();
      // what the computation emitted that the assembler holds (not yet a whole chunk)
      result.eventsInFlight += f.produced() - f.eventsBefore(f.cut);
    }
    for (Host h : hosts) {
      for (Cohort c : h.buffer) result.eventsInFlight += c.job.eventsOf(c.first, c.count);
    }
    for (Cohort c : backlog) result.eventsInFlight += c.job.eventsOf(c.first, c.count);
    result.wcuConsumed = table.consumed();
    result.throttledRequests = table.throttled() + streamThrottles;
  }

  @Override
  void streamCosts(Scenario.Prices p, double toMonth) {
    if (!viaStream) {
      return;
    }
    if (onDemand != null) {
      StreamCosts.onDemand(result.cost, scenario, billedIngestBytes, checkpointedBytes, toMonth);
    } else {
      StreamCosts.provisioned(result.cost, scenario, result.putPayloadUnits, toMonth);
    }
  }
}
