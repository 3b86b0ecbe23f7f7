package io.spillway.bootstrap.cli;

import io.spillway.adapters.inmemory.StreamLimits;
import io.spillway.adapters.inmemory.TableCapacity;
import io.spillway.application.codec.Codecs;
import io.spillway.bootstrap.SpillwayConfig;
import io.spillway.bootstrap.SystemClock;
import io.spillway.bootstrap.workload.AnalyticsEvents;
import io.spillway.bootstrap.pipeline.PipelineRun;
import io.spillway.bootstrap.pipeline.ScaleRun;
import io.spillway.bootstrap.pipeline.PipelineRun.Expected;
import io.spillway.bootstrap.pipeline.PipelineRun.JobSpec;
import io.spillway.bootstrap.wiring.InMemorySpillway;
import io.spillway.domain.chunk.Chunk;
import io.spillway.application.port.in.Datasets.DatasetSummary;
import io.spillway.domain.chunk.ChunkAssembler;
import io.spillway.domain.chunk.ChunkFormat;
import io.spillway.domain.event.Event;
import io.spillway.domain.job.JobClass;
import io.spillway.domain.job.JobId;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Measures, side by side in one run, the in-memory pipeline end to end and its compress-only limit
 * (the same events through the chunk assembler and codec alone), plus write units per million
 * events for Spillway and for one item per event; then the jobs read back through the dataset
 * service against decoding the same stored chunks alone. Stream and table limits are lifted so that
 * the figures are Spillway's own code path.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
    description = "Benchmark the in-memory pipeline against its compress-only limit and against one item per event.")
public final class BenchCommand implements Callable<Integer> {
  /** Where the bench runs. */
  enum Backend {
    memory,
    local
  }

  @Spec CommandSpec spec;

  @Option(names = "--events", description = "events per measured run (default 1000000 in memory, 200000 on local)")
  Integer events;

  @Option(names = "--jobs", defaultValue = "4", description = "jobs the events are split over (default ${DEFAULT-VALUE})")
  int jobs;

  @Option(names = "--threads", defaultValue = "2", description = "producer threads, also used for compress-only (default ${DEFAULT-VALUE})")
  int threads;

  @Option(names = "--rounds", defaultValue = "3", description = "measured rounds after a warm-up round; the median is reported (default ${DEFAULT-VALUE})")
  int rounds;

  @Option(names = "--json", description = "print one JSON object")
  boolean json;

  @Option(names = "--scale",
      description = "a scale run instead: --events (default 100000000) streamed as one job of --threads partitions, persisted and read back once, never held in memory")
  boolean scale;

  @Option(names = "--backend", defaultValue = "memory",
      description = "memory (limits lifted, against the compress-only limit) | local (SDK + KCL on the stand-ins, against BatchWriteItem item-per-event)")
  Backend backend;

  @picocli.CommandLine.Mixin LocalCommand.Home home;

  @picocli.CommandLine.Mixin RetrievalOption retrieval;

  private static final int BUCKETS = 4;
  /** Read-back and decode-only passes per round, alternated. */
  private static final int READ_PASSES = 3;

  @Override
  public Integer call() throws Exception {
    Options.atLeast(spec, "--jobs", jobs, 1);
    Options.atLeast(spec, "--threads", threads, 1);
    if (scale) {
      return benchScale();
    }
    if (backend == Backend.local) {
      return benchLocal();
    }
    Options.atLeast(spec, "--rounds", rounds, 1);
    int events = this.events == null ? 1_000_000 : this.events;
    Options.atLeast(spec, "--events", events, jobs * 1_000L);
    // the bench holds its events as objects, and each round's pipeline keeps them stored
    HeapBudget.require(spec, "--events " + events, events, HeapBudget.EVENT_OBJECT_BYTES + HeapBudget.STORED_BYTES_PER_EVENT, jobs,
        HeapBudget.EVENT_OBJECT_BYTES + " B per event held as an object, " + HeapBudget.STORED_BYTES_PER_EVENT + " B stored in memory");
    Instant start = Instant.parse("2026-01-01T00:00:00Z");
    List<List<Event>> perJob = new ArrayList<>();
    List<Expected> expected = new ArrayList<>();
    long rawJsonBytes = 0;
    for (int j = 0; j < jobs; j++) {
      JobId id = new JobId(String.format("bench-%04d", j + 1));
      List<Event> list = new AnalyticsEvents(id, 7 + j, start).next(events / jobs);
      for (Event e : list) rawJsonBytes += AnalyticsEvents.jsonSize(e);
      perJob.add(list);
      expected.add(Expected.of(list));
    }
    long total = (long) (events / jobs) * jobs;

    // warm-up: one unmeasured pass of each path, so the JIT has compiled both before timing
    compressOnly(slice(perJob, 200_000));
    pipeline(slice(perJob, 200_000), null);

    // the same events as one job of one partition per --jobs slice, appended by the same producer threads
    JobId oneId = new JobId("bench-one");
    List<List<Event>> perPartition = new ArrayList<>();
    for (int p = 0; p < perJob.size(); p++) {
      List<Event> relabelled = new ArrayList<>(perJob.get(p).size());
      for (Event e : perJob.get(p)) {
        relabelled.add(new Event(oneId, p, e.sequence(), e.eventId(), e.eventTime(), e.type(), e.groupKey(), e.schemaVersion(), e.payload()));
      }
      perPartition.add(relabelled);
    }
    List<Event> allOfOne = new ArrayList<>();
    perPartition.forEach(allOfOne::addAll);
    Expected oneExpected = Expected.of(allOfOne);
    allOfOne = null;
    oneJob(slice(perPartition, 200_000), null);

    double[] compressRates = new double[rounds];
    double[] oneJobRates = new double[rounds];
    double[] pipelineRates = new double[rounds];
    double[] readRates = new double[rounds];
    double[] decodeRates = new double[rounds];
    PipelineRun.Report last = null;
    for (int r = 0; r < rounds; r++) {
      System.gc(); // each measured phase starts from a collected heap
      long t0 = System.nanoTime();
      compressOnly(perJob);
      compressRates[r] = total / ((System.nanoTime() - t0) / 1e9);
      System.gc();
      Round round = pipeline(perJob, expected);
      PipelineRun.Report report = round.report();
      pipelineRates[r] = total / (report.millisToAvailable() / 1e3);
      if (!report.readBackVerified() || report.eventsLost() != 0 || report.jobsAvailable() != jobs) {
        throw new IllegalStateException("round " + r + " did not read back what it produced: " + report);
      }
      System.gc();
      PipelineRun.Report one = oneJob(perPartition, oneExpected);
      if (!one.readBackVerified() || one.eventsLost() != 0 || one.jobsAvailable() != 1) {
        throw new IllegalStateException("round " + r + ": the one-job run did not read back what it produced: " + one);
      }
      oneJobRates[r] = total / (one.millisToAvailable() / 1e3);
      readRates[r] = round.readEventsPerSecond();
      decodeRates[r] = round.decodeOnlyEventsPerSecond();
      last = report;
      // progress on stderr: stdout carries the result
      spec.commandLine().getErr().printf(java.util.Locale.ROOT,
          "[bench] round %d of %d: %,d events/s end to end, %,d as one job of %d partitions, %,d compress-only; read back %,d events/s, %,d decode-only%n",
          r + 1, rounds, Math.round(pipelineRates[r]), Math.round(oneJobRates[r]), jobs, Math.round(compressRates[r]), Math.round(readRates[r]),
          Math.round(decodeRates[r]));
    }
    double compressOnly = median(compressRates);
    double eventsPerSecond = median(pipelineRates);
    double oneJobEventsPerSecond = median(oneJobRates);
    double readEventsPerSecond = median(readRates);
    double decodeOnlyEventsPerSecond = median(decodeRates);
    double wcuPerMillion = last.wcuConsumed() / total * 1e6;
    double wcuPerMillionItemPerEvent = (double) last.wcuItemPerEvent() / total * 1e6;

    Map<String, Object> out = new LinkedHashMap<>();
    out.put("events", total);
    out.put("jobs", jobs);
    out.put("producerThreads", threads);
    out.put("cores", Runtime.getRuntime().availableProcessors());
    out.put("eventsPerSecond", Math.round(eventsPerSecond));
    out.put("compressOnlyEventsPerSecond", Math.round(compressOnly));
    out.put("ratioToLimit", Json.num(eventsPerSecond / compressOnly, 3));
    out.put("wcuPerMillionEvents", Json.num(wcuPerMillion, 0));
    out.put("wcuPerMillionEventsItemPerEvent", Json.num(wcuPerMillionItemPerEvent, 0));
    out.put("wcuReduction", Json.num(wcuPerMillionItemPerEvent / wcuPerMillion, 1));
    out.put("jsonBytesPerEvent", Json.num((double) rawJsonBytes / total, 1));
    out.put("storedBytesPerEvent", Json.num(last.wcuConsumed() * 1024 / total, 1));
    out.put("chunks", last.chunks());
    out.put("fillRatio", Json.num(last.fillRatio(), 4));
    out.put("readBackVerified", last.readBackVerified());
    out.put("eventsPerSecondRounds", Arrays.stream(pipelineRates).mapToLong(Math::round).toArray());
    out.put("compressOnlyEventsPerSecondRounds", Arrays.stream(compressRates).mapToLong(Math::round).toArray());
    out.put("oneJobPartitions", jobs);
    out.put("oneJobEventsPerSecond", Math.round(oneJobEventsPerSecond));
    out.put("oneJobRatio", Json.num(oneJobEventsPerSecond / eventsPerSecond, 3));
    out.put("oneJobEventsPerSecondRounds", Arrays.stream(oneJobRates).mapToLong(Math::round).toArray());
    out.put("readEventsPerSecond", Math.round(readEventsPerSecond));
    out.put("decodeOnlyEventsPerSecond", Math.round(decodeOnlyEventsPerSecond));
    out.put("readRatio", Json.num(readEventsPerSecond / decodeOnlyEventsPerSecond, 3));
    out.put("readEventsPerSecondRounds", Arrays.stream(readRates).mapToLong(Math::round).toArray());
    out.put("decodeOnlyEventsPerSecondRounds", Arrays.stream(decodeRates).mapToLong(Math::round).toArray());
    if (json) {
      System.out.println(Json.of(out));
    } else {
      System.out.println("Spillway bench (in-memory, limits lifted; median of " + rounds + " rounds)");
      out.forEach((k, v) -> System.out.printf("  %-34s %s%n", k, v instanceof long[] a ? Arrays.toString(a) : v));
    }
    return 0;
  }

  /** What the scale run keeps per event: the table's copy of its compressed chunk (38.7 B measured), the stream's is released. */
  static final long SCALE_STORED_BYTES_PER_EVENT = 40;
  /** The scale run's room to work in beside the stored chunks: its goal for the produce phase. */
  static final long SCALE_WORKING_SET_BYTES = 1024L * 1024 * 1024;

  /**
   * The scale run: one job of {@code --events} events in {@code --threads} partitions, generated on
   * the fly, persisted, read back and compared by digest; events/s and the heap beyond the stored
   * chunks per phase. Exit 1 when what is read back is not what was produced.
   */
  private Integer benchScale() throws Exception {
    var parsed = spec.commandLine().getParseResult();
    for (String option : List.of("--jobs", "--rounds", "--backend", "--retrieval")) {
      if (parsed.hasMatchedOption(option)) {
        throw new Options.Refused(spec, option + ": not with --scale, which runs one job of --threads partitions once, in memory");
      }
    }
    long n = events == null ? 100_000_000L : events;
    Options.atLeast(spec, "--events", n, threads);
    HeapBudget.require(spec, "--scale --events " + n, n, SCALE_STORED_BYTES_PER_EVENT, 1,
        SCALE_STORED_BYTES_PER_EVENT + " B per event stored in the table, the stream's copy released once consumed",
        Runtime.getRuntime().maxMemory(), SCALE_WORKING_SET_BYTES);
    java.io.PrintWriter err = spec.commandLine().getErr();
    ScaleRun.Report r = ScaleRun.run(new ScaleRun.Settings(n, threads, 10_000, 7, Duration.ofHours(2)), Duration.ofSeconds(5),
        line -> {
          err.println(line);
          err.flush();
        });
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("events", r.events());
    out.put("partitions", r.partitions());
    out.put("producerThreads", threads);
    out.put("cores", Runtime.getRuntime().availableProcessors());
    out.put("maxHeapBytes", Runtime.getRuntime().maxMemory());
    out.put("jsonBytesProduced", r.jsonBytes());
    out.put("chunks", r.chunks());
    out.put("storedChunkBytes", r.storedBytes());
    out.put("storedBytesPerEvent", Json.num((double) r.storedBytes() / r.events(), 1));
    out.put("produceEventsPerSecond", Math.round(r.events() / (Math.max(1, r.produceMillis()) / 1e3)));
    out.put("persistEventsPerSecond", Math.round(r.events() / (Math.max(1, r.persistMillis()) / 1e3)));
    out.put("readEventsPerSecond", Math.round(r.events() / (Math.max(1, r.readMillis()) / 1e3)));
    out.put("produceSeconds", Json.num(r.produceMillis() / 1e3, 1));
    out.put("persistSeconds", Json.num(r.persistMillis() / 1e3, 1));
    out.put("readSeconds", Json.num(r.readMillis() / 1e3, 1));
    out.put("wallSeconds", Json.num(r.wallMillis() / 1e3, 1));
    out.put("maxBacklogBytes", r.maxBacklogBytes());
    out.put("heapMeasure", "heap in use after each collection (an upper bound of the live set) minus the stored chunk bytes at that moment");
    heap(out, "produce", r.produce());
    heap(out, "persist", r.persist());
    heap(out, "read", r.read());
    out.put("eventsReadBack", r.eventsReadBack());
    out.put("producedDigest", Long.toHexString(r.producedDigest()));
    out.put("readDigest", Long.toHexString(r.readDigest()));
    out.put("verifiedAgainstManifest", r.verifiedAgainstManifest());
    out.put("readBackEqual", r.readBackEqual());
    if (json) {
      System.out.println(Json.of(out));
    } else {
      System.out.println("Spillway scale run (in-memory, limits lifted; one job of " + r.partitions() + " partitions, produced, persisted, read back once)");
      out.forEach((k, v) -> System.out.printf("  %-34s %s%n", k, v));
    }
    return r.readBackEqual() && r.verifiedAgainstManifest() ? 0 : 1;
  }

  /** A phase's heap figures; null when no collection ran during it (a phase of a few milliseconds). */
  private static void heap(Map<String, Object> out, String phase, ScaleRun.HeapPeak peak) {
    boolean seen = peak.collections() > 0;
    out.put(phase + "PeakHeapBeyondStoredBytes", seen ? peak.peakBeyondStoredBytes() : null);
    out.put(phase + "PeakHeapAfterGcBytes", seen ? peak.peakHeapAfterGcBytes() : null);
    out.put(phase + "Collections", peak.collections());
  }

  /** Local bench: modest volumes, the stand-ins are slow (default 200,000 events unless --events is given). */
  private Integer benchLocal() throws Exception {
    Options.atLeast(spec, "--rounds", rounds, 1);
    int n = events == null ? 200_000 : events;
    Options.atLeast(spec, "--events", n, jobs * 100L);
    HeapBudget.require(spec, "--events " + n, n, HeapBudget.EVENT_OBJECT_BYTES, jobs,
        HeapBudget.EVENT_OBJECT_BYTES + " B per event held as an object");
    io.spillway.bootstrap.local.LocalStandIns.State standIns = home.running(spec, "local");
    Instant start = Instant.parse("2026-01-01T00:00:00Z");
    String run = Long.toString(System.currentTimeMillis(), 36);
    List<List<Event>> perJob = new ArrayList<>();
    for (int j = 0; j < jobs; j++) {
      perJob.add(new AnalyticsEvents(new JobId("lb-" + run + "-" + j), 11 + j, start).next(n / jobs));
    }
    Map<String, Object> out = io.spillway.bootstrap.local.LocalBench.run(standIns, perJob, BUCKETS, threads,
        retrieval.retrieval(), rounds, spec.commandLine().getErr());
    if (json) {
      System.out.println(Json.of(out));
    } else {
      System.out.println("Spillway bench on the local stand-ins (chunked pipeline vs item-per-event BatchWriteItem; warm-up round, median of "
          + rounds + " rounds)");
      out.forEach((k, v) -> System.out.printf("  %-32s %s%n", k, v instanceof double[] a ? Arrays.toString(a) : v));
    }
    return Boolean.TRUE.equals(out.get("readBackVerified")) ? 0 : 1;
  }

  /** The in-memory pipeline with the stream's, the table's and the consumer's limits lifted: Spillway's own code path. */
  private static SpillwayConfig limitsLifted() {
    return SpillwayConfig.defaults()
        .withStream(StreamLimits.unbounded(4))
        .withTable(TableCapacity.Settings.unlimited())
        .withIngest(SpillwayConfig.defaults().ingest().withWriteUnitsPerSecond(1e12))
        .withPublisher(SpillwayConfig.defaults().publisher().withMaxBufferedBytes(256L * 1024 * 1024));
  }

  /**
   * The same events as one job whose partitions (one per slice) are appended in parallel by the
   * producer threads and sealed one by one: the many-task job's path through the same pipeline.
   */
  private PipelineRun.Report oneJob(List<List<Event>> perPartition, Expected expected) throws Exception {
    InMemorySpillway spillway = InMemorySpillway.create(limitsLifted(), new SystemClock());
    JobId id = perPartition.get(0).get(0).jobId();
    Expected exp = expected;
    if (exp == null) {
      List<Event> all = new ArrayList<>();
      perPartition.forEach(all::addAll);
      exp = Expected.of(all);
    }
    try {
      return PipelineRun.run(spillway, List.of(JobSpec.partitioned(id, JobClass.STANDARD, BUCKETS, perPartition.size(),
          p -> batches(perPartition.get(p), 10_000), exp)), threads, Duration.ofMinutes(10));
    } finally {
      spillway.datasets().close();
    }
  }

  /** One round of the pipeline, with the read-back of its jobs and the decode-only limit over the same stored chunks. */
  private record Round(PipelineRun.Report report, double readEventsPerSecond, double decodeOnlyEventsPerSecond) {}

  private Round pipeline(List<List<Event>> perJob, List<Expected> expected) throws Exception {
    InMemorySpillway spillway = InMemorySpillway.create(limitsLifted(), new SystemClock());
    List<JobSpec> specs = new ArrayList<>();
    for (int j = 0; j < perJob.size(); j++) {
      List<Event> list = perJob.get(j);
      Expected exp = expected == null ? Expected.of(list) : expected.get(j);
      specs.add(new JobSpec(list.get(0).jobId(), JobClass.STANDARD, BUCKETS, () -> batches(list, 10_000), Optional.of(exp)));
    }
    try {
      PipelineRun.Report report = PipelineRun.run(spillway, specs, threads, Duration.ofMinutes(10));
      // PipelineRun has read every job once (digest against what was produced), so these reads are
      // warm; a pass takes a fraction of a second, so a round alternates several and keeps the median
      List<byte[]> stored = storedRecords(spillway, perJob);
      double[] read = new double[READ_PASSES];
      double[] decodeOnly = new double[READ_PASSES];
      for (int p = 0; p < READ_PASSES; p++) {
        System.gc();
        read[p] = readBack(spillway, perJob);
        System.gc();
        decodeOnly[p] = decodeOnly(spillway.config(), stored);
      }
      return new Round(report, median(read), median(decodeOnly));
    } finally {
      spillway.datasets().close();
    }
  }

  /**
   * Reads every job back through {@code DatasetService} (the Chunks port, its bucket tasks, its queue,
   * the check against the manifest), one job after another as a downstream service would, into a sink
   * that only counts. Events per second over all jobs.
   */
  private static double readBack(InMemorySpillway spillway, List<List<Event>> perJob) {
    long[] seen = new long[1];
    long expectedEvents = 0;
    long t0 = System.nanoTime();
    for (List<Event> list : perJob) {
      DatasetSummary summary = spillway.datasets().read(list.get(0).jobId(), Optional.empty(), e -> seen[0]++);
      if (!summary.verifiedAgainstManifest() || summary.events() != list.size()) {
        throw new IllegalStateException("the read of " + list.get(0).jobId() + " was not verified: " + summary);
      }
      expectedEvents += list.size();
    }
    double seconds = (System.nanoTime() - t0) / 1e9;
    if (seen[0] != expectedEvents) {
      throw new IllegalStateException("the sink saw " + seen[0] + " events, the jobs hold " + expectedEvents);
    }
    return seen[0] / seconds;
  }

  /** The stored records of every job's chunks, copied out of the table before the decode-only clock runs. */
  private static List<byte[]> storedRecords(InMemorySpillway spillway, List<List<Event>> perJob) {
    List<byte[]> records = new ArrayList<>();
    for (List<Event> list : perJob) {
      JobId id = list.get(0).jobId();
      for (int b = 0; b < BUCKETS; b++) {
        try (var chunks = spillway.chunks().read(id, b, Optional.empty())) {
          chunks.forEach(c -> records.add(c.record()));
        }
      }
    }
    return records;
  }

  /**
   * The read path's limit: the same stored records parsed (CRC32C, header) and decoded to events
   * ({@link ChunkFormat#events}) on the bench's threads, pulling records from a shared index — no
   * store, no queue, no manifest.
   */
  private double decodeOnly(SpillwayConfig config, List<byte[]> records) throws Exception {
    Codecs codecs = Codecs.writingWith(config.codec(), config.zstdLevel());
    java.util.concurrent.atomic.AtomicInteger next = new java.util.concurrent.atomic.AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      long t0 = System.nanoTime();
      List<Future<Long>> done = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        done.add(pool.submit(() -> {
          long events = 0;
          for (int i = next.getAndIncrement(); i < records.size(); i = next.getAndIncrement()) {
            events += ChunkFormat.events(ChunkFormat.parse(records.get(i)), codecs).size();
          }
          return events;
        }));
      }
      long events = 0;
      for (Future<Long> f : done) events += f.get();
      return events / ((System.nanoTime() - t0) / 1e9);
    } finally {
      pool.shutdownNow();
    }
  }

  private void compressOnly(List<List<Event>> perJob) throws Exception {
    Codecs codecs = Codecs.standard();
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<Long>> done = new ArrayList<>();
      for (List<Event> list : perJob) {
        done.add(pool.submit(() -> {
          ChunkAssembler assembler = new ChunkAssembler(list.get(0).jobId(), BUCKETS, codecs.writer(), ChunkAssembler.Settings.defaults());
          Instant now = Instant.EPOCH;
          long bytes = 0;
          for (Event e : list) {
            for (Chunk c : assembler.add(e, now)) bytes += c.record().length;
          }
          for (Chunk c : assembler.flushAll()) bytes += c.record().length;
          return bytes;
        }));
      }
      for (Future<Long> f : done) f.get();
    } finally {
      pool.shutdownNow();
    }
  }

  private static java.util.Iterator<List<Event>> batches(List<Event> list, int size) {
    return new java.util.Iterator<>() {
      int at;

      @Override
      public boolean hasNext() {
        return at < list.size();
      }

      @Override
      public List<Event> next() {
        int end = Math.min(list.size(), at + size);
        List<Event> b = list.subList(at, end);
        at = end;
        return b;
      }
    };
  }

  private static List<List<Event>> slice(List<List<Event>> perJob, int n) {
    List<List<Event>> out = new ArrayList<>();
    for (List<Event> l : perJob) out.add(l.subList(0, Math.min(n, l.size())));
    return out;
  }

  private static double median(double[] v) {
    double[] s = v.clone();
    Arrays.sort(s);
    return s[s.length / 2];
  }
}
