package io.spillway.bootstrap.local;

import io.spillway.adapters.aws.dynamodb.DynamoDbChunks;
import io.spillway.adapters.aws.dynamodb.SpillwayTable;
import io.spillway.application.codec.Codecs;
import io.spillway.application.service.DatasetService;
import io.spillway.bootstrap.SpillwayConfig;
import io.spillway.bootstrap.SystemClock;
import io.spillway.bootstrap.aws.AwsClients;
import io.spillway.adapters.aws.kcl.KclConsumer;
import io.spillway.application.port.in.OpenJob;
import io.spillway.application.service.ChunkPublisher;
import io.spillway.application.service.IngestService;
import io.spillway.bootstrap.pipeline.EventDigest;
import io.spillway.domain.capacity.ItemPerEvent;
import io.spillway.domain.event.Event;
import io.spillway.domain.job.JobClass;
import io.spillway.domain.job.JobId;
import io.spillway.domain.job.JobStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import software.amazon.awssdk.services.kinesis.model.ResourceNotFoundException;

/**
 * The same events, side by side on the local stand-ins: through Spillway's chunked pipeline (SDK
 * producer → kinesis-mock → KCL → DynamoDB Local) and through a plain item-per-event loader
 * (BatchWriteItem, 25 items a call); then each read back — Spillway's chunks by a Query per bucket
 * through the dataset service, the items by a Query of the job's partition. KCL starts and takes its
 * leases before the clock runs; one unmeasured warm-up round (kinesis-mock's JIT, DynamoDB Local's
 * and this JVM's need it: fresh stand-ins measured 5.8× where warm ones gave 6.8–10.8×) precedes
 * the measured rounds, whose medians are reported.
 */
public final class LocalBench {

  /** What one side did. */
  public record Side(long events, double seconds, double writeUnits, long requests) {
    public double eventsPerSecond() {
      return events / seconds;
    }
  }

  /** What one side's read-back did: read units as DynamoDB Local reported them, Query pages, and whether every job came back whole. */
  public record ReadSide(long events, double seconds, double readUnits, long requests, boolean verified) {
    public double eventsPerSecond() {
      return events / seconds;
    }
  }

  /** One round: both sides written, then both read back. */
  private record Round(Side spillway, Side baseline, ReadSide spillwayRead, ReadSide baselineRead) {}

  private LocalBench() {}

  /**
   * Measures both sides on a stream and tables of this run's own, and deletes them afterwards:
   * kinesis-mock refuses streams past 50 shards in all, and DynamoDB Local keeps every table in
   * the stand-ins' memory. Each round stores the events under job ids of its own.
   *
   * @param rounds measured rounds, after one warm-up round
   */
  public static Map<String, Object> run(LocalStandIns.State state, List<List<Event>> perJob, int buckets, int threads,
      KclConsumer.Retrieval retrieval, int rounds, java.io.PrintWriter progress) throws Exception {
    String suffix = Long.toString(System.currentTimeMillis(), 36);
    try {
      return measure(state, suffix, perJob, buckets, threads, retrieval, rounds, progress);
    } finally {
      discard(state, suffix);
    }
  }

  private static Map<String, Object> measure(LocalStandIns.State state, String suffix, List<List<Event>> perJob, int buckets, int threads,
      KclConsumer.Retrieval retrieval, int rounds, java.io.PrintWriter progress) throws Exception {
    long total = perJob.stream().mapToLong(List::size).sum();
    // EventDigest leaves the job id out, so a round's re-keyed events digest as the template's
    Map<Integer, EventDigest> expected = new HashMap<>();
    for (int j = 0; j < perJob.size(); j++) {
      EventDigest d = new EventDigest();
      perJob.get(j).forEach(d::add);
      expected.put(j, d);
    }
    List<Round> measured = new ArrayList<>();
    String tableName = "bench-" + suffix;
    try (AwsPipeline pipeline = new AwsPipeline(AwsClients.local(state.dynamoDb(), state.kinesis()), new AwsPipeline.Settings(tableName, tableName, 4, 1, 1e9)
        .withRetrieval(retrieval));
        AwsClients clients = AwsClients.local(state.dynamoDb(), state.kinesis())) {
      String itemTable = "bench-item-per-event-" + suffix;
      // one item per event, as a team would store it: a plain table, without the index Spillway's availability uses
      new SpillwayTable(clients.dynamo(), itemTable).createWithoutKeysIndexIfAbsent(new SpillwayTable.Billing.OnDemand());
      // the runtime's reader over a store of its own, so that its read units are this bench's alone
      DynamoDbChunks chunks = new DynamoDbChunks(new SpillwayTable(clients.dynamo(), tableName), new SystemClock(), Optional.empty());
      try (AutoCloseable consumers = pipeline.startConsumers();
          DatasetService reader = new DatasetService(pipeline.jobs(), chunks, Codecs.standard(), SpillwayConfig.defaults().readParallelism())) {
        JobId warm = new JobId("warm-" + suffix);
        pipeline.intake().open(new OpenJob(Optional.of(warm), "warm-up", JobClass.STANDARD, 1));
        pipeline.intake().appendAll(warm, rekey(perJob.get(0).subList(0, 10), warm));
        pipeline.intake().seal(warm);
        awaitAvailable(pipeline, List.of(warm), Duration.ofMinutes(5));

        for (int r = 0; r <= rounds; r++) {
          List<List<Event>> jobs = new ArrayList<>();
          Map<JobId, EventDigest> expectedOfRound = new HashMap<>();
          for (int j = 0; j < perJob.size(); j++) {
            JobId id = new JobId(perJob.get(j).get(0).jobId().value() + "-r" + r);
            jobs.add(rekey(perJob.get(j), id));
            expectedOfRound.put(id, expected.get(j));
          }
          Side spillway = write(pipeline, jobs, buckets, threads, total);
          Side baseline = writeItems(clients, itemTable, jobs, threads, total);
          ReadSide spillwayRead = readChunks(reader, chunks, jobs, expectedOfRound, threads);
          ReadSide baselineRead = readItems(clients, itemTable, jobs, expectedOfRound, threads);
          Round round = new Round(spillway, baseline, spillwayRead, baselineRead);
          progress.printf(java.util.Locale.ROOT, "[bench] %s: write %,d vs %,d events/s (%.1fx); read %,d vs %,d events/s (%.1fx), %.0f vs %.0f read units%n",
              r == 0 ? "warm-up round" : "round " + r + " of " + rounds,
              Math.round(spillway.eventsPerSecond()), Math.round(baseline.eventsPerSecond()), spillway.eventsPerSecond() / baseline.eventsPerSecond(),
              Math.round(spillwayRead.eventsPerSecond()), Math.round(baselineRead.eventsPerSecond()),
              spillwayRead.eventsPerSecond() / baselineRead.eventsPerSecond(), spillwayRead.readUnits(), baselineRead.readUnits());
          progress.flush();
          if (r > 0) {
            measured.add(round);
          }
        }
      }
    }
    long modelledItemPerEvent = perJob.stream().flatMap(List::stream).mapToLong(ItemPerEvent::writeUnits).sum();

    double eventsPerSecond = median(measured, r -> r.spillway().eventsPerSecond());
    double eventsPerSecondItemPerEvent = median(measured, r -> r.baseline().eventsPerSecond());
    double wcu = median(measured, r -> r.spillway().writeUnits());
    double wcuItemPerEvent = median(measured, r -> r.baseline().writeUnits());
    double requests = median(measured, r -> r.spillway().requests());
    double requestsItemPerEvent = median(measured, r -> r.baseline().requests());
    double read = median(measured, r -> r.spillwayRead().eventsPerSecond());
    double readItemPerEvent = median(measured, r -> r.baselineRead().eventsPerSecond());
    double readUnits = median(measured, r -> r.spillwayRead().readUnits());
    double readUnitsItemPerEvent = median(measured, r -> r.baselineRead().readUnits());
    boolean verified = measured.stream().allMatch(r -> r.spillwayRead().verified() && r.baselineRead().verified());

    Map<String, Object> out = new LinkedHashMap<>();
    out.put("backend", "local");
    out.put("events", total);
    out.put("jobs", perJob.size());
    out.put("retrieval", retrieval == KclConsumer.Retrieval.POLLING ? "polling" : "efo");
    out.put("rounds", rounds);
    out.put("eventsPerSecond", Math.round(eventsPerSecond));
    out.put("eventsPerSecondItemPerEvent", Math.round(eventsPerSecondItemPerEvent));
    out.put("speedup", round(eventsPerSecond / eventsPerSecondItemPerEvent, 1));
    out.put("seconds", round(median(measured, r -> r.spillway().seconds()), 2));
    out.put("secondsItemPerEvent", round(median(measured, r -> r.baseline().seconds()), 2));
    out.put("wcu", round(wcu, 1));
    out.put("wcuItemPerEvent", round(wcuItemPerEvent, 1));
    out.put("wcuItemPerEventModelled", modelledItemPerEvent);
    out.put("wcuRatio", round(wcuItemPerEvent / wcu, 1));
    out.put("requests", Math.round(requests));
    out.put("requestsItemPerEvent", Math.round(requestsItemPerEvent));
    out.put("requestRatio", round(requestsItemPerEvent / requests, 1));
    out.put("readEventsPerSecond", Math.round(read));
    out.put("readEventsPerSecondItemPerEvent", Math.round(readItemPerEvent));
    out.put("readSpeedup", round(read / readItemPerEvent, 1));
    out.put("readUnits", round(readUnits, 1));
    out.put("readUnitsItemPerEvent", round(readUnitsItemPerEvent, 1));
    out.put("readUnitRatio", round(readUnitsItemPerEvent / readUnits, 1));
    out.put("readRequests", Math.round(median(measured, r -> r.spillwayRead().requests())));
    out.put("readRequestsItemPerEvent", Math.round(median(measured, r -> r.baselineRead().requests())));
    out.put("readBackVerified", verified);
    out.put("speedupRounds", measured.stream().mapToDouble(r -> round(r.spillway().eventsPerSecond() / r.baseline().eventsPerSecond(), 1)).toArray());
    out.put("readSpeedupRounds", measured.stream()
        .mapToDouble(r -> round(r.spillwayRead().eventsPerSecond() / r.baselineRead().eventsPerSecond(), 1)).toArray());
    return out;
  }

  /** Spillway's side: every job opened, appended in batches of 10,000 and sealed on the producer threads, until all are AVAILABLE. */
  private static Side write(AwsPipeline pipeline, List<List<Event>> jobs, int buckets, int threads, long total) throws Exception {
    ChunkPublisher.Stats publishedBefore = pipeline.publisher().stats();
    IngestService.Stats ingestedBefore = pipeline.ingest().stats();
    long t0 = System.nanoTime();
    parallel(threads, jobs, events -> {
      JobId id = events.get(0).jobId();
      pipeline.intake().open(new OpenJob(Optional.of(id), "bench " + id, JobClass.STANDARD, buckets));
      for (int from = 0; from < events.size(); from += 10_000) {
        pipeline.intake().appendAll(id, events.subList(from, Math.min(events.size(), from + 10_000)));
      }
      pipeline.intake().seal(id);
    });
    awaitAvailable(pipeline, jobs.stream().map(l -> l.get(0).jobId()).toList(), Duration.ofMinutes(10));
    double seconds = (System.nanoTime() - t0) / 1e9;
    ChunkPublisher.Stats published = pipeline.publisher().stats();
    IngestService.Stats ingested = pipeline.ingest().stats();
    long requests = (published.publishCalls() - publishedBefore.publishCalls())
        + (ingested.chunksWritten() - ingestedBefore.chunksWritten())
        + (ingested.duplicates() - ingestedBefore.duplicates())
        + (ingested.throttledAttempts() - ingestedBefore.throttledAttempts());
    return new Side(total, seconds, ingested.writeUnits() - ingestedBefore.writeUnits(), requests);
  }

  /** The baseline's side: every event its own item, BatchWriteItem on the same number of threads. */
  private static Side writeItems(AwsClients clients, String table, List<List<Event>> jobs, int threads, long total) throws Exception {
    List<ItemPerEventLoader> loaders = new ArrayList<>();
    long t0 = System.nanoTime();
    parallel(threads, jobs, events -> {
      ItemPerEventLoader loader = new ItemPerEventLoader(clients.dynamo(), table);
      synchronized (loaders) {
        loaders.add(loader);
      }
      loader.load(events);
    });
    double seconds = (System.nanoTime() - t0) / 1e9;
    return new Side(total, seconds, loaders.stream().mapToDouble(ItemPerEventLoader::writeUnits).sum(),
        loaders.stream().mapToLong(ItemPerEventLoader::requests).sum());
  }

  /**
   * Spillway's read-back: each job through the dataset service (a strongly consistent Query per
   * bucket, chunks decoded in parallel, checked against the manifest), jobs on the same threads as
   * the baseline's, every event into a digest compared with what was produced.
   */
  private static ReadSide readChunks(DatasetService reader, DynamoDbChunks chunks, List<List<Event>> jobs, Map<JobId, EventDigest> expected,
      int threads) throws Exception {
    DynamoDbChunks.Consumed before = chunks.consumed();
    Map<JobId, Boolean> ok = new ConcurrentHashMap<>();
    long t0 = System.nanoTime();
    parallel(threads, jobs, events -> {
      EventDigest read = new EventDigest();
      JobId id = events.get(0).jobId();
      boolean manifest = reader.read(id, Optional.empty(), read::add).verifiedAgainstManifest();
      ok.put(id, manifest && matches(read, expected.get(id)));
    });
    double seconds = (System.nanoTime() - t0) / 1e9;
    DynamoDbChunks.Consumed after = chunks.consumed();
    return new ReadSide(events(jobs), seconds, after.chunkReadUnits() - before.chunkReadUnits(), after.readQueries() - before.readQueries(),
        ok.size() == jobs.size() && !ok.containsValue(false));
  }

  /** The baseline's read-back: each job's partition queried page by page (strongly consistent, as Spillway's), each item made an event again. */
  private static ReadSide readItems(AwsClients clients, String table, List<List<Event>> jobs, Map<JobId, EventDigest> expected, int threads)
      throws Exception {
    List<ItemPerEventLoader> readers = new ArrayList<>();
    Map<JobId, Boolean> ok = new ConcurrentHashMap<>();
    long t0 = System.nanoTime();
    parallel(threads, jobs, events -> {
      ItemPerEventLoader items = new ItemPerEventLoader(clients.dynamo(), table);
      synchronized (readers) {
        readers.add(items);
      }
      EventDigest read = new EventDigest();
      JobId id = events.get(0).jobId();
      items.read(id, read::add);
      ok.put(id, matches(read, expected.get(id)));
    });
    double seconds = (System.nanoTime() - t0) / 1e9;
    return new ReadSide(events(jobs), seconds, readers.stream().mapToDouble(ItemPerEventLoader::readUnits).sum(),
        readers.stream().mapToLong(ItemPerEventLoader::readRequests).sum(), ok.size() == jobs.size() && !ok.containsValue(false));
  }

  private static boolean matches(EventDigest read, EventDigest expected) {
    return read.count() == expected.count() && read.value() == expected.value();
  }

  private static long events(List<List<Event>> jobs) {
    return jobs.stream().mapToLong(List::size).sum();
  }

  /** The events under another job id (payloads shared: events are immutable). */
  private static List<Event> rekey(List<Event> events, JobId job) {
    List<Event> out = new ArrayList<>(events.size());
    for (Event e : events) {
      out.add(new Event(job, e.sequence(), e.eventId(), e.eventTime(), e.type(), e.groupKey(), e.schemaVersion(), e.payload()));
    }
    return out;
  }

  private static double median(List<Round> rounds, java.util.function.ToDoubleFunction<Round> figure) {
    double[] v = rounds.stream().mapToDouble(figure).sorted().toArray();
    return v[v.length / 2];
  }

  private interface JobWork {
    void run(List<Event> events) throws Exception;
  }

  private static void parallel(int threads, List<List<Event>> perJob, JobWork work) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (List<Event> events : perJob) {
        done.add(pool.submit(() -> {
          work.run(events);
          return null;
        }));
      }
      for (Future<?> f : done) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
  }

  private static void awaitAvailable(AwsPipeline pipeline, List<JobId> jobs, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!jobs.stream().allMatch(id -> pipeline.jobs().find(id).map(j -> j.status() == JobStatus.AVAILABLE).orElse(false))) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("jobs not AVAILABLE within " + timeout);
      }
      pipeline.intake().flushLingering();
      Thread.sleep(20);
    }
  }

  /** Deletes the run's stream (with its fan-out consumer), its two tables and KCL's three; what is already gone is skipped. */
  private static void discard(LocalStandIns.State state, String suffix) {
    String stream = "bench-" + suffix;
    try (AwsClients clients = AwsClients.local(state.dynamoDb(), state.kinesis())) {
      try {
        clients.kinesis().deleteStream(r -> r.streamName(stream).enforceConsumerDeletion(true)).join();
      } catch (java.util.concurrent.CompletionException e) {
        if (!(e.getCause() instanceof ResourceNotFoundException)) {
          System.err.println("spillway bench: could not delete stream " + stream + ": " + e.getCause());
        }
      }
      List<String> tables = new ArrayList<>(List.of(stream, "bench-item-per-event-" + suffix));
      tables.addAll(KclConsumer.tablesOf(AwsPipeline.consumerApplication(stream)));
      for (String table : tables) {
        try {
          clients.dynamo().deleteTable(r -> r.tableName(table));
        } catch (software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException e) {
          // never created (the run stopped before it)
        } catch (RuntimeException e) {
          System.err.println("spillway bench: could not delete table " + table + ": " + e);
        }
      }
    }
  }

  private static double round(double v, int decimals) {
    double scale = Math.pow(10, decimals);
    return Math.round(v * scale) / scale;
  }

  static Instant start() {
    return Instant.parse("2026-01-01T00:00:00Z");
  }
}
