package io.spillway.bootstrap.pipeline;

import com.sun.management.GarbageCollectionNotificationInfo;
import io.spillway.adapters.inmemory.InMemoryChunks;
import io.spillway.adapters.inmemory.InMemoryStream;
import io.spillway.adapters.inmemory.InMemoryStreamConsumer;
import io.spillway.adapters.inmemory.StreamLimits;
import io.spillway.adapters.inmemory.TableCapacity;
import io.spillway.application.codec.Codecs;
import io.spillway.application.port.in.Datasets.DatasetSummary;
import io.spillway.application.port.in.OpenJob;
import io.spillway.application.service.DatasetService;
import io.spillway.application.service.IntakeService;
import io.spillway.bootstrap.SpillwayConfig;
import io.spillway.bootstrap.SystemClock;
import io.spillway.bootstrap.wiring.InMemoryProcess;
import io.spillway.bootstrap.wiring.InMemoryWorld;
import io.spillway.bootstrap.wiring.StreamRetention;
import io.spillway.bootstrap.workload.AnalyticsEvents;
import io.spillway.domain.event.Event;
import io.spillway.domain.job.Job;
import io.spillway.domain.job.JobClass;
import io.spillway.domain.job.JobId;
import io.spillway.domain.job.JobStatus;
import io.spillway.domain.manifest.Manifest;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Supplier;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;

/**
 * One large job streamed through the in-memory backend and read back, without ever holding its
 * events: each producer task generates its partition's events on the fly, appends them in batches
 * and folds them into its partition's digest; the consumer persists what the stream holds; once
 * the job is AVAILABLE the reader streams it back into per-partition digests, which must equal the
 * produced ones. The stream drops a record's bytes once the consumer has checkpointed past it, so
 * what the run keeps is the table's chunks plus the backlog; the heap beyond the stored chunk bytes
 * is sampled after every garbage collection, per phase.
 */
public final class ScaleRun {

  /**
   * What to run.
   *
   * @param events the job's events, split evenly over its partitions
   * @param partitions the job's partitions, one producer task (and thread) each
   * @param batch events per append
   * @param seed the workload's seed
   * @param timeout the longest any phase may take
   */
  public record Settings(long events, int partitions, int batch, long seed, Duration timeout) {}

  /** The run's phases, in order; heap samples are charged to the phase that is running. */
  public enum Phase {
    produce,
    persist,
    read
  }

  /**
   * The heap of one phase as the collector saw it: the largest heap in use after a collection
   * (summed over the heap pools; an upper bound of the live set, since a young collection leaves
   * the old generation's garbage in place), the stored chunk bytes at that moment, and the largest
   * difference between the two over the phase's collections.
   */
  public record HeapPeak(long collections, long peakHeapAfterGcBytes, long peakBeyondStoredBytes, long storedBytesAtPeak) {}

  /**
   * What the run did.
   *
   * @param produceMillis first append to the last partition's seal
   * @param persistMillis first append to the job AVAILABLE
   * @param readMillis the read-back of the whole dataset through the dataset service
   * @param readBackEqual every partition's events read back equal, by count and digest, to the produced ones
   * @param producedDigest the produced events' digest (the sum of the partitions')
   */
  public record Report(
      long events,
      int partitions,
      long jsonBytes,
      long chunks,
      long storedBytes,
      long produceMillis,
      long persistMillis,
      long readMillis,
      long wallMillis,
      long eventsReadBack,
      long producedDigest,
      long readDigest,
      boolean verifiedAgainstManifest,
      boolean readBackEqual,
      long maxBacklogBytes,
      HeapPeak produce,
      HeapPeak persist,
      HeapPeak read) {}

  private ScaleRun() {}

  /** Runs one job end to end; {@code progress} gets a line about every {@code progressEvery}. */
  public static Report run(Settings s, Duration progressEvery, Consumer<String> progress) throws Exception {
    long wallStart = System.nanoTime();
    SpillwayConfig config = SpillwayConfig.defaults()
        .withStream(StreamLimits.unbounded(4))
        .withTable(TableCapacity.Settings.unlimited())
        .withIngest(SpillwayConfig.defaults().ingest().withWriteUnitsPerSecond(1e12))
        .withPublisher(SpillwayConfig.defaults().publisher().withMaxBufferedBytes(256L * 1024 * 1024));
    SystemClock clock = new SystemClock();
    Codecs codecs = Codecs.writingWith(config.codec(), config.zstdLevel());
    InMemoryChunks chunks = new InMemoryChunks(new TableCapacity(config.table(), clock.now()), clock);
    // InMemorySpillway's stream keeps every record for its retention; this one lets the consumed go
    InMemoryStream stream = InMemoryStream.releasingConsumed(config.stream(), clock);
    InMemoryWorld world = InMemoryWorld.factory().create(config, clock, codecs.writer(), chunks, stream, Optional.of(stream),
        new StreamRetention(Optional.of(config.stream().retention())));
    InMemoryProcess process = world.processes().create(new InMemoryProcess.Identity("scale", config.jitterSeed()));
    IntakeService intake = process.intake();
    InMemoryStreamConsumer consumer = process.consumer();
    DatasetService datasets = new DatasetService(world.jobs(), chunks, codecs, config.readParallelism());

    HeapWatch heap = new HeapWatch(chunks::storedBytes);
    AtomicLong appended = new AtomicLong();
    AtomicLong readBack = new AtomicLong();
    AtomicLong maxBacklog = new AtomicLong();
    JobId id = new JobId("scale-" + s.events());
    long runStart = System.nanoTime();
    var ticker = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "scale-progress");
      t.setDaemon(true);
      return t;
    });
    ticker.scheduleAtFixedRate(() -> {
      long backlog = stream.backlogBytes();
      maxBacklog.accumulateAndGet(backlog, Math::max);
      progress.accept(String.format(java.util.Locale.ROOT,
          "[scale] %4.0f s  %-7s appended %,d of %,d  stored %,d chunk bytes  backlog %,d B  read back %,d  heap after last collection %,d MiB",
          (System.nanoTime() - runStart) / 1e9, heap.phase(), appended.get(), s.events(), chunks.storedBytes(), backlog, readBack.get(),
          heap.lastAfterGc() >> 20));
    }, progressEvery.toMillis(), progressEvery.toMillis(), TimeUnit.MILLISECONDS);

    try (HeapWatch started = heap.start()) {
      Thread consumerThread = consumerThread(consumer, clock);
      AtomicReference<Throwable> consumerFailure = new AtomicReference<>();
      consumerThread.setUncaughtExceptionHandler((t, e) -> consumerFailure.set(e));
      // the produce phase: one task per partition, generating, appending and digesting as it goes
      intake.create(new OpenJob(Optional.of(id), "scale run of " + s.events() + " events", JobClass.STANDARD, 4)
          .withPartitions(s.partitions()));
      EventDigest[] produced = new EventDigest[s.partitions()];
      long[] jsonBytes = new long[s.partitions()];
      ExecutorService producers = Executors.newFixedThreadPool(s.partitions());
      long t0 = System.nanoTime();
      consumerThread.start();
      List<Future<?>> done = new ArrayList<>();
      for (int p = 0; p < s.partitions(); p++) {
        int partition = p;
        long share = s.events() / s.partitions() + (p < s.events() % s.partitions() ? 1 : 0);
        produced[p] = new EventDigest();
        done.add(producers.submit(() -> {
          intake.openPartition(id, partition);
          Supplier<Event> source = AnalyticsEvents.forPartition(id, partition, s.seed());
          EventDigest digest = produced[partition];
          long json = 0;
          for (long left = share; left > 0; ) {
            int n = (int) Math.min(s.batch(), left);
            List<Event> batch = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
              Event e = source.get();
              digest.add(e);
              json += AnalyticsEvents.jsonSize(e);
              batch.add(e);
            }
            intake.appendAll(id, batch);
            appended.addAndGet(n);
            left -= n;
          }
          jsonBytes[partition] = json;
          intake.sealPartition(id, partition);
          return null;
        }));
      }
      try {
        for (Future<?> f : done) f.get(s.timeout().toMillis(), TimeUnit.MILLISECONDS);
      } finally {
        producers.shutdownNow();
      }
      long sealed = System.nanoTime();

      // the persist phase: the consumer stores the backlog until the job is AVAILABLE
      heap.enter(Phase.persist);
      long deadline = sealed + s.timeout().toNanos();
      Job job = world.jobs().find(id).orElseThrow();
      while (!job.status().isTerminal() && System.nanoTime() < deadline && consumerFailure.get() == null) {
        intake.flushLingering();
        Thread.sleep(1);
        job = world.jobs().find(id).orElseThrow();
      }
      long available = System.nanoTime();
      consumerThread.interrupt();
      consumerThread.join();
      if (consumerFailure.get() != null) {
        throw new IllegalStateException("the consumer failed: " + consumerFailure.get(), consumerFailure.get());
      }
      if (job.status() != JobStatus.AVAILABLE) {
        throw new IllegalStateException("job " + id + " is " + job.status() + " after " + s.timeout() + ", not AVAILABLE");
      }
      maxBacklog.accumulateAndGet(stream.backlogBytes(), Math::max);

      // the read phase starts from a collected heap, so it is not charged the garbage the others left
      System.gc();
      heap.enter(Phase.read);
      EventDigest[] read = new EventDigest[s.partitions()];
      for (int p = 0; p < read.length; p++) read[p] = new EventDigest();
      long r0 = System.nanoTime();
      long[] seen = new long[1];
      DatasetSummary summary = datasets.read(id, Optional.empty(), e -> {
        read[e.partition()].add(e);
        if ((++seen[0] & 0xFFFF) == 0) readBack.set(seen[0]);
      });
      long r1 = System.nanoTime();
      readBack.set(seen[0]);
      heap.enter(null);

      long producedSum = 0;
      long readSum = 0;
      long eventsRead = 0;
      boolean equal = true;
      for (int p = 0; p < s.partitions(); p++) {
        producedSum += produced[p].value();
        readSum += read[p].value();
        eventsRead += read[p].count();
        equal &= produced[p].count() == read[p].count() && produced[p].value() == read[p].value();
      }
      long json = 0;
      for (long b : jsonBytes) json += b;
      Manifest manifest = world.jobs().manifest(id).orElseThrow();
      return new Report(
          s.events(),
          s.partitions(),
          json,
          manifest.chunkCount(),
          chunks.storedBytes(),
          (sealed - t0) / 1_000_000,
          (available - t0) / 1_000_000,
          (r1 - r0) / 1_000_000,
          (System.nanoTime() - wallStart) / 1_000_000,
          eventsRead,
          producedSum,
          readSum,
          summary.verifiedAgainstManifest(),
          equal && eventsRead == s.events(),
          maxBacklog.get(),
          heap.peak(Phase.produce),
          heap.peak(Phase.persist),
          heap.peak(Phase.read));
    } finally {
      ticker.shutdownNow();
      datasets.close();
    }
  }

  private static Thread consumerThread(InMemoryStreamConsumer consumer, SystemClock clock) {
    Thread thread = new Thread(() -> {
      try {
        while (!Thread.currentThread().isInterrupted()) {
          if (consumer.pollOnce() == 0) {
            clock.sleep(Duration.ofMillis(1));
          }
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "scale-consumer");
    thread.setDaemon(true);
    return thread;
  }

  /**
   * Heap in use after each garbage collection (from the collectors' notifications), less the stored
   * chunk bytes at that moment, the largest kept per phase.
   */
  private static final class HeapWatch implements AutoCloseable {
    private final java.util.function.LongSupplier stored;
    private final Set<String> heapPools = new HashSet<>();
    private final List<NotificationEmitter> emitters = new ArrayList<>();
    private final NotificationListener listener = (notification, handback) -> {
      if (GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(notification.getType())) {
        collected(GarbageCollectionNotificationInfo.from((CompositeData) notification.getUserData()));
      }
    };
    private final long[][] peaks = new long[Phase.values().length][4];
    private volatile Phase phase = Phase.produce;
    private volatile long lastAfterGc;

    HeapWatch(java.util.function.LongSupplier stored) {
      this.stored = stored;
      for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
        if (pool.getType() == MemoryType.HEAP) heapPools.add(pool.getName());
      }
    }

    HeapWatch start() {
      for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
        if (gc instanceof NotificationEmitter emitter) {
          emitter.addNotificationListener(listener, null, null);
          emitters.add(emitter);
        }
      }
      return this;
    }

    Phase phase() {
      return phase;
    }

    long lastAfterGc() {
      return lastAfterGc;
    }

    /** Charges the collections from now on to {@code next} (none when null). */
    void enter(Phase next) {
      phase = next;
    }

    private void collected(GarbageCollectionNotificationInfo info) {
      long used = 0;
      for (var e : info.getGcInfo().getMemoryUsageAfterGc().entrySet()) {
        if (heapPools.contains(e.getKey())) {
          MemoryUsage u = e.getValue();
          used += u.getUsed();
        }
      }
      lastAfterGc = used;
      long storedNow = stored.getAsLong();
      Phase p = phase;
      if (p == null) return;
      synchronized (peaks) {
        long[] peak = peaks[p.ordinal()];
        peak[0]++;
        peak[1] = Math.max(peak[1], used);
        if (used - storedNow > peak[2] || peak[0] == 1) {
          peak[2] = used - storedNow;
          peak[3] = storedNow;
        }
      }
    }

    HeapPeak peak(Phase p) {
      synchronized (peaks) {
        long[] peak = peaks[p.ordinal()];
        return new HeapPeak(peak[0], peak[1], peak[2], peak[3]);
      }
    }

    @Override
    public void close() {
      for (NotificationEmitter e : emitters) {
        try {
          e.removeNotificationListener(listener);
        } catch (javax.management.ListenerNotFoundException ignored) {
          // never added: nothing to remove
        }
      }
    }
  }
}
