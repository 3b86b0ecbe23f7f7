package io.spillway.bootstrap.pipeline;

import io.spillway.bootstrap.workload.AnalyticsEvents;
import io.spillway.application.port.in.IncompleteDatasetException;
import io.spillway.application.port.in.OpenJob;
import io.spillway.application.service.IntakeService;
import io.spillway.bootstrap.wiring.InMemorySpillway;
import io.spillway.domain.capacity.ItemPerEvent;
import io.spillway.domain.event.Event;
import io.spillway.domain.job.Job;
import io.spillway.domain.job.JobClass;
import io.spillway.domain.job.JobId;
import io.spillway.domain.job.JobStatus;
import io.spillway.domain.manifest.Manifest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Runs jobs end to end on one in-memory Spillway: producers append and seal on a thread pool while
 * a consumer thread polls the stream and ingests, until every job is AVAILABLE; then each dataset
 * is read back and checked, event by event, against what was produced.
 */
public final class PipelineRun {

  /**
   * One job to run: its id, class, buckets and its events in append batches. When {@code expected}
   * (the digest of the events and their item-per-event write units) is known beforehand, producers
   * skip computing it, keeping that work off a measured path.
   */
  public record JobSpec(JobId id, JobClass jobClass, int buckets, Supplier<Iterator<List<Event>>> batches, Optional<Expected> expected,
      int partitions, java.util.function.IntFunction<Iterator<List<Event>>> partitionBatches) {
    public JobSpec(JobId id, JobClass jobClass, int buckets, Supplier<Iterator<List<Event>>> batches, Optional<Expected> expected) {
      this(id, jobClass, buckets, batches, expected, 1, null);
    }

    public JobSpec(JobId id, JobClass jobClass, int buckets, Supplier<Iterator<List<Event>>> batches) {
      this(id, jobClass, buckets, batches, Optional.empty());
    }

    /** A job of {@code partitions} partitions, each appended and sealed by its own producer task; its digest is known beforehand. */
    public static JobSpec partitioned(JobId id, JobClass jobClass, int buckets, int partitions,
        java.util.function.IntFunction<Iterator<List<Event>>> batchesOf, Expected expected) {
      return new JobSpec(id, jobClass, buckets, null, Optional.of(expected), partitions, batchesOf);
    }
  }

  /** What a job's events add up to. */
  public record Expected(EventDigest digest, long itemPerEventWriteUnits) {
    public static Expected of(List<Event> events) {
      EventDigest d = new EventDigest();
      long units = 0;
      for (Event e : events) {
        d.add(e);
        units += ItemPerEvent.writeUnits(e);
      }
      return new Expected(d, units);
    }
  }

  /**
   * What the run did. {@code eventsLost} counts produced events that were not read back (a job that
   * never became AVAILABLE counts whole); {@code duplicatesStored} counts events served more than once.
   */
  public record Report(
      int jobs,
      int jobsAvailable,
      long eventsProduced,
      long eventsReadBack,
      long eventsLost,
      long duplicatesStored,
      long duplicateDeliveries,
      long deadLettered,
      long chunks,
      double fillRatio,
      double wcuConsumed,
      long wcuItemPerEvent,
      double availabilityP50Millis,
      double availabilityP99Millis,
      long millisToAvailable,
      long millisToReadBack,
      boolean readBackVerified,
      long streamRecordsThrottled,
      long maxBufferedBytes) {}

  private PipelineRun() {}

  public static Report run(InMemorySpillway spillway, List<JobSpec> jobs, int producerThreads, Duration timeout)
      throws Exception {
    return run(new InMemoryPipeline(spillway), jobs, producerThreads, timeout);
  }

  public static Report run(Pipeline pipeline, List<JobSpec> jobs, int producerThreads, Duration timeout) throws Exception {
    IntakeService intake = pipeline.intake();
    EventDigest[] produced = new EventDigest[jobs.size()];
    long[] itemPerEventUnits = new long[jobs.size()];

    long started = System.nanoTime();
    AutoCloseable consumers = pipeline.startConsumers();
    ExecutorService producers = Executors.newFixedThreadPool(Math.max(1, producerThreads));
    List<Future<?>> done = new ArrayList<>();
    for (int i = 0; i < jobs.size(); i++) {
      int index = i;
      JobSpec spec = jobs.get(i);
      produced[i] = new EventDigest();
      if (spec.partitionBatches() != null) {
        // one task per partition, as a job computed by many tasks is written
        intake.create(new OpenJob(Optional.of(spec.id()), "job " + spec.id(), spec.jobClass(), spec.buckets()).withPartitions(spec.partitions()));
        produced[i] = spec.expected().orElseThrow().digest();
        itemPerEventUnits[i] = spec.expected().orElseThrow().itemPerEventWriteUnits();
        for (int p = 0; p < spec.partitions(); p++) {
          int partition = p;
          done.add(producers.submit(() -> {
            intake.openPartition(spec.id(), partition);
            Iterator<List<Event>> it = spec.partitionBatches().apply(partition);
            while (it.hasNext()) {
              intake.appendAll(spec.id(), it.next());
            }
            intake.sealPartition(spec.id(), partition);
            return null;
          }));
        }
        continue;
      }
      done.add(producers.submit(() -> {
        intake.open(new OpenJob(Optional.of(spec.id()), "job " + spec.id(), spec.jobClass(), spec.buckets()));
        Iterator<List<Event>> it = spec.batches().get();
        long units = 0;
        boolean known = spec.expected().isPresent();
        while (it.hasNext()) {
          List<Event> batch = it.next();
          intake.appendAll(spec.id(), batch);
          if (!known) {
            for (Event e : batch) {
              produced[index].add(e);
              units += ItemPerEvent.writeUnits(e);
            }
          }
        }
        if (known) {
          produced[index] = spec.expected().get().digest();
          units = spec.expected().get().itemPerEventWriteUnits();
        }
        itemPerEventUnits[index] = units;
        intake.seal(spec.id());
        return null;
      }));
    }
    try {
      for (Future<?> f : done) {
        f.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      }
      // producers are done: wait for the consumers to persist everything (or for the timeout)
      long deadline = System.nanoTime() + timeout.toNanos();
      while (!allSettled(pipeline, jobs) && System.nanoTime() < deadline) {
        intake.flushLingering();
        Thread.sleep(1);
      }
    } catch (java.util.concurrent.ExecutionException e) {
      consumers.close();
      throw new IllegalStateException("a producer failed: " + e.getCause(), e.getCause());
    } catch (java.util.concurrent.TimeoutException e) {
      consumers.close();
      throw new IllegalStateException("producers did not finish within " + timeout);
    } finally {
      producers.shutdownNow();
    }
    long millisToAvailable = (System.nanoTime() - started) / 1_000_000;
    consumers.close();

    long readStarted = System.nanoTime();
    long eventsProduced = 0;
    long eventsRead = 0;
    long eventsMissing = 0;
    long eventsServedTwice = 0;
    long chunks = 0;
    int available = 0;
    boolean verified = true;
    long[] availability = new long[jobs.size()];
    long wcuItemPerEvent = 0;
    for (int i = 0; i < jobs.size(); i++) {
      JobSpec spec = jobs.get(i);
      Job job = pipeline.jobs().find(spec.id()).orElseThrow();
      eventsProduced += produced[i].count();
      wcuItemPerEvent += itemPerEventUnits[i];
      Optional<Manifest> manifest = pipeline.jobs().manifest(spec.id());
      chunks += manifest.map(Manifest::chunkCount).orElse(0L);
      if (job.status() != JobStatus.AVAILABLE || manifest.isEmpty()) {
        availability[i] = Long.MAX_VALUE;
        eventsMissing += produced[i].count();
        verified = false;
        continue;
      }
      available++;
      availability[i] = Duration.between(manifest.get().sealedAt(), job.updatedAt()).toMillis();
      EventDigest read = new EventDigest();
      try {
        pipeline.datasets().read(spec.id(), Optional.empty(), read::add);
      } catch (IncompleteDatasetException e) {
        verified = false;
      }
      eventsRead += read.count();
      eventsMissing += Math.max(0, produced[i].count() - read.count());
      eventsServedTwice += Math.max(0, read.count() - produced[i].count());
      verified &= read.count() == produced[i].count() && read.value() == produced[i].value();
    }
    long millisToReadBack = (System.nanoTime() - readStarted) / 1_000_000;
    Arrays.sort(availability);
    IntakeService.Stats intakeStats = intake.stats();
    return new Report(
        jobs.size(),
        available,
        eventsProduced,
        eventsRead,
        eventsMissing,
        eventsServedTwice,
        pipeline.ingest().stats().duplicates(),
        pipeline.ingest().stats().deadLettered(),
        chunks,
        intakeStats.fillRatio(),
        pipeline.ingest().stats().writeUnits(),
        wcuItemPerEvent,
        percentile(availability, 0.50),
        percentile(availability, 0.99),
        millisToAvailable,
        millisToReadBack,
        verified,
        pipeline.publisher().stats().chunksThrottled(),
        pipeline.publisher().stats().maxBufferedBytes());
  }

  private static boolean allSettled(Pipeline pipeline, List<JobSpec> jobs) {
    for (JobSpec spec : jobs) {
      Optional<Job> job = pipeline.jobs().find(spec.id());
      if (job.isEmpty() || !job.get().status().isTerminal()) {
        return false;
      }
    }
    return true;
  }

  /** Nearest-rank percentile; MAX_VALUE entries (never available) make it infinite. */
  static double percentile(long[] sorted, double p) {
    if (sorted.length == 0) {
      return 0;
    }
    int rank = (int) Math.ceil(p * sorted.length) - 1;
    long v = sorted[Math.max(0, Math.min(sorted.length - 1, rank))];
    return v == Long.MAX_VALUE ? Double.POSITIVE_INFINITY : v;
  }

  /** Batches of generated events for a job. */
  public static Supplier<Iterator<List<Event>>> generated(JobId id, long seed, Instant start, long events, int batchSize) {
    return () -> new Iterator<>() {
      private final AnalyticsEvents source = new AnalyticsEvents(id, seed, start);
      private long left = events;

      @Override
      public boolean hasNext() {
        return left > 0;
      }

      @Override
      public List<Event> next() {
        int n = (int) Math.min(batchSize, left);
        left -= n;
        return source.next(n);
      }
    };
  }
}
