package io.spillway.bootstrap.local;

import io.spillway.bootstrap.aws.AwsClients;
import io.spillway.adapters.aws.dynamodb.SpillwayTable;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import software.amazon.awssdk.services.kinesis.model.ResourceNotFoundException;

/**
 * The same events, side by side in one run on the local stand-ins: through Spillway's chunked
 * pipeline (SDK producer → kinesis-mock → KCL → DynamoDB Local) and through a plain item-per-event
 * loader (BatchWriteItem, 25 items a call). KCL starts and takes its leases before the clock runs.
 */
public final class LocalBench {

  /** What one side did. */
  public record Side(long events, double seconds, double writeUnits, long requests) {
    public double eventsPerSecond() {
      return events / seconds;
    }
  }

  private LocalBench() {}

  /**
   * Measures both sides on a stream and tables of this run's own, and deletes them afterwards:
   * kinesis-mock refuses streams past 50 shards in all, and DynamoDB Local keeps every table in
   * the stand-ins' memory.
   */
  public static Map<String, Object> run(LocalStandIns.State state, List<List<Event>> perJob, int buckets, int threads,
      KclConsumer.Retrieval retrieval) throws Exception {
    String suffix = Long.toString(System.currentTimeMillis(), 36);
    try {
      return measure(state, suffix, perJob, buckets, threads, retrieval);
    } finally {
      discard(state, suffix);
    }
  }

  private static Map<String, Object> measure(LocalStandIns.State state, String suffix, List<List<Event>> perJob, int buckets, int threads,
      KclConsumer.Retrieval retrieval) throws Exception {
    long total = perJob.stream().mapToLong(List::size).sum();
    Side spillway;
    boolean verified = true;
    try (AwsPipeline pipeline = new AwsPipeline(AwsClients.local(state.dynamoDb(), state.kinesis()), new AwsPipeline.Settings("bench-" + suffix, "bench-" + suffix, 4, 1, 1e9)
        .withRetrieval(retrieval))) {
      try (AutoCloseable consumers = pipeline.startConsumers()) {
        JobId warm = new JobId("warm-" + suffix);
        pipeline.intake().open(new OpenJob(Optional.of(warm), "warm-up", JobClass.STANDARD, 1));
        pipeline.intake().appendAll(warm, perJob.get(0).subList(0, 10).stream()
            .map(e -> new Event(warm, e.sequence(), e.eventId(), e.eventTime(), e.type(), e.groupKey(), e.schemaVersion(), e.payload())).toList());
        pipeline.intake().seal(warm);
        awaitAvailable(pipeline, List.of(warm), Duration.ofMinutes(5));

        ChunkPublisher.Stats publishedBefore = pipeline.publisher().stats();
        IngestService.Stats ingestedBefore = pipeline.ingest().stats();
        long t0 = System.nanoTime();
        parallel(threads, perJob, events -> {
          JobId id = events.get(0).jobId();
          pipeline.intake().open(new OpenJob(Optional.of(id), "bench " + id, JobClass.STANDARD, buckets));
          for (int from = 0; from < events.size(); from += 10_000) {
            pipeline.intake().appendAll(id, events.subList(from, Math.min(events.size(), from + 10_000)));
          }
          pipeline.intake().seal(id);
        });
        awaitAvailable(pipeline, perJob.stream().map(l -> l.get(0).jobId()).toList(), Duration.ofMinutes(10));
        double seconds = (System.nanoTime() - t0) / 1e9;
        ChunkPublisher.Stats published = pipeline.publisher().stats();
        IngestService.Stats ingested = pipeline.ingest().stats();
        long requests = (published.publishCalls() - publishedBefore.publishCalls())
            + (ingested.chunksWritten() - ingestedBefore.chunksWritten())
            + (ingested.duplicates() - ingestedBefore.duplicates())
            + (ingested.throttledAttempts() - ingestedBefore.throttledAttempts());
        spillway = new Side(total, seconds, ingested.writeUnits() - ingestedBefore.writeUnits(), requests);
      }
      for (List<Event> events : perJob) {
        EventDigest expected = new EventDigest();
        events.forEach(expected::add);
        EventDigest read = new EventDigest();
        pipeline.datasets().read(events.get(0).jobId(), Optional.empty(), read::add);
        verified &= read.count() == expected.count() && read.value() == expected.value();
      }
    }

    Side baseline;
    try (AwsClients clients = AwsClients.local(state.dynamoDb(), state.kinesis())) {
      String table = "bench-item-per-event-" + suffix;
      // one item per event, as a team would store it: a plain table, without the index Spillway's availability uses
      new SpillwayTable(clients.dynamo(), table).createWithoutKeysIndexIfAbsent(new SpillwayTable.Billing.OnDemand());
      List<ItemPerEventLoader> loaders = new ArrayList<>();
      long t0 = System.nanoTime();
      parallel(threads, perJob, events -> {
        ItemPerEventLoader loader = new ItemPerEventLoader(clients.dynamo(), table);
        synchronized (loaders) {
          loaders.add(loader);
        }
        loader.load(events);
      });
      double seconds = (System.nanoTime() - t0) / 1e9;
      baseline = new Side(total, seconds, loaders.stream().mapToDouble(ItemPerEventLoader::writeUnits).sum(),
          loaders.stream().mapToLong(ItemPerEventLoader::requests).sum());
    }
    long modelledItemPerEvent = perJob.stream().flatMap(List::stream).mapToLong(ItemPerEvent::writeUnits).sum();

    Map<String, Object> out = new LinkedHashMap<>();
    out.put("backend", "local");
    out.put("events", total);
    out.put("jobs", perJob.size());
    out.put("retrieval", retrieval == KclConsumer.Retrieval.POLLING ? "polling" : "efo");
    out.put("eventsPerSecond", Math.round(spillway.eventsPerSecond()));
    out.put("eventsPerSecondItemPerEvent", Math.round(baseline.eventsPerSecond()));
    out.put("speedup", round(spillway.eventsPerSecond() / baseline.eventsPerSecond(), 1));
    out.put("seconds", round(spillway.seconds(), 2));
    out.put("secondsItemPerEvent", round(baseline.seconds(), 2));
    out.put("wcu", round(spillway.writeUnits(), 1));
    out.put("wcuItemPerEvent", round(baseline.writeUnits(), 1));
    out.put("wcuItemPerEventModelled", modelledItemPerEvent);
    out.put("wcuRatio", round(baseline.writeUnits() / spillway.writeUnits(), 1));
    out.put("requests", spillway.requests());
    out.put("requestsItemPerEvent", baseline.requests());
    out.put("requestRatio", round((double) baseline.requests() / spillway.requests(), 1));
    out.put("readBackVerified", verified);
    return out;
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
