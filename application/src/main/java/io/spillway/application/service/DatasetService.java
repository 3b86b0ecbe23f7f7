package io.spillway.application.service;

import io.spillway.application.port.in.DatasetNotAvailableException;
import io.spillway.application.port.in.Datasets;
import io.spillway.application.port.in.IncompleteDatasetException;
import io.spillway.application.port.in.JobProgress;
import io.spillway.application.port.in.JobQueries;
import io.spillway.application.port.out.Chunks;
import io.spillway.application.port.out.Jobs;
import io.spillway.domain.chunk.Chunk;
import io.spillway.domain.chunk.ChunkFormat;
import io.spillway.domain.chunk.CodecRegistry;
import io.spillway.domain.chunk.CorruptChunkException;
import io.spillway.domain.event.Event;
import io.spillway.domain.job.Job;
import io.spillway.domain.job.JobId;
import io.spillway.domain.job.JobStatus;
import io.spillway.domain.manifest.DatasetChecksum;
import io.spillway.domain.manifest.Manifest;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeSet;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Serves datasets back. One task per bucket queries the store and decompresses its chunks; decoded
 * chunks meet the caller's thread through a bounded queue, so memory stays bounded however large
 * the job. The read is then checked against the manifest.
 */
public final class DatasetService implements Datasets, JobQueries, AutoCloseable {
  private final Jobs jobs;
  private final Chunks chunks;
  private final CodecRegistry codecs;
  private final ExecutorService pool;
  private final int queueCapacity;

  public DatasetService(Jobs jobs, Chunks chunks, CodecRegistry codecs, int parallelism) {
    this.jobs = jobs;
    this.chunks = chunks;
    this.codecs = codecs;
    this.queueCapacity = Math.max(4, parallelism * 2);
    this.pool = Executors.newFixedThreadPool(Math.max(1, parallelism), r -> {
      Thread t = new Thread(r, "spillway-dataset-reader");
      t.setDaemon(true);
      return t;
    });
  }

  @Override
  public Optional<Job> job(JobId id) {
    return jobs.find(id);
  }

  @Override
  public Optional<Manifest> manifest(JobId id) {
    return jobs.manifest(id);
  }

  @Override
  public Optional<JobProgress> progress(JobId id) {
    return jobs.progress(id).map(p -> new JobProgress(p.job(),
        jobs.manifest(id).map(m -> OptionalLong.of(m.chunkCount())).orElse(OptionalLong.empty()), p.stored()));
  }

  private sealed interface Item {}

  private record Decoded(Chunk chunk, List<Event> events) implements Item {}

  private record BucketDone(int bucket) implements Item {}

  private record Failed(Throwable error) implements Item {}

  @Override
  public DatasetSummary read(JobId jobId, Optional<String> group, Consumer<Event> sink) {
    Job job = jobs.find(jobId).orElseThrow(() -> new DatasetNotAvailableException("job " + jobId + " is unknown"));
    if (job.status() == JobStatus.INCOMPLETE) {
      throw new DatasetNotAvailableException("job " + jobId + " is INCOMPLETE, not AVAILABLE: " + lost(jobId));
    }
    if (job.status() != JobStatus.AVAILABLE) {
      throw new DatasetNotAvailableException("job " + jobId + " is " + job.status() + ", not AVAILABLE");
    }
    Manifest manifest = jobs.manifest(jobId)
        .orElseThrow(() -> new IncompleteDatasetException("job " + jobId + " is AVAILABLE but has no manifest"));
    BlockingQueue<Item> queue = new ArrayBlockingQueue<>(queueCapacity);
    AtomicBoolean cancelled = new AtomicBoolean();
    List<Future<?>> tasks = new ArrayList<>();
    for (int b = 0; b < manifest.buckets(); b++) {
      int bucket = b;
      tasks.add(pool.submit(() -> readBucket(jobId, bucket, group, queue, cancelled)));
    }
    DatasetChecksum checksum = new DatasetChecksum();
    TreeSet<Long> groupSequences = new TreeSet<>();
    int open = manifest.buckets();
    try {
      while (open > 0) {
        Item item = queue.take();
        if (item instanceof BucketDone) {
          open--;
        } else if (item instanceof Failed f) {
          throw new IncompleteDatasetException("reading job " + jobId + " failed: " + f.error().getMessage(), f.error());
        } else if (item instanceof Decoded d) {
          checksum.add(d.chunk());
          groupSequences.add(d.chunk().id().sequence());
          for (Event e : d.events()) {
            sink.accept(e);
          }
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IncompleteDatasetException("interrupted while reading job " + jobId);
    } finally {
      cancelled.set(true);
      queue.clear();
      for (Future<?> f : tasks) {
        f.cancel(true);
      }
    }
    if (group.isEmpty()) {
      verifyWhole(manifest, checksum);
      return new DatasetSummary(jobId, group, checksum.chunks(), checksum.events(), true);
    }
    if (!groupSequences.isEmpty() && (groupSequences.first() != 0 || groupSequences.last() != groupSequences.size() - 1)) {
      throw new IncompleteDatasetException("group " + group.get() + " of job " + jobId + " has chunk sequences "
          + groupSequences.first() + ".." + groupSequences.last() + " but only " + groupSequences.size() + " chunks");
    }
    return new DatasetSummary(jobId, group, checksum.chunks(), checksum.events(), false);
  }

  /** How many chunks an INCOMPLETE job lost, in words. */
  private String lost(JobId jobId) {
    Optional<JobProgress> progress = progress(jobId);
    if (progress.isEmpty() || progress.get().expected().isEmpty()) {
      return "chunks are missing (its manifest cannot be found)";
    }
    long expected = progress.get().expected().getAsLong();
    return progress.get().missing().getAsLong() + " of its " + expected + " chunks are missing (" + progress.get().stored()
        + " stored); they left the stream before they were stored";
  }

  private static void verifyWhole(Manifest manifest, DatasetChecksum read) {
    if (read.chunks() != manifest.chunkCount() || read.events() != manifest.eventCount() || read.value() != manifest.datasetChecksum()) {
      throw new IncompleteDatasetException(String.format(
          "job %s read back %d chunks / %d events / checksum %016x; the manifest promises %d / %d / %016x",
          manifest.jobId(), read.chunks(), read.events(), read.value(), manifest.chunkCount(), manifest.eventCount(), manifest.datasetChecksum()));
    }
  }

  private void readBucket(JobId jobId, int bucket, Optional<String> group, BlockingQueue<Item> queue, AtomicBoolean cancelled) {
    try {
      try (Stream<Chunk> stored = chunks.read(jobId, bucket, group)) {
        var it = stored.iterator();
        while (it.hasNext() && !cancelled.get()) {
          Chunk c = it.next();
          if (!c.id().jobId().equals(jobId) || c.id().bucket() != bucket) {
            throw new CorruptChunkException(CorruptChunkException.Reason.MALFORMED, "bucket " + bucket + " of job " + jobId + " holds chunk " + c.id());
          }
          queue.put(new Decoded(c, ChunkFormat.events(c, codecs)));
        }
      }
      queue.put(new BucketDone(bucket));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException | Error e) {
      try {
        queue.put(new Failed(e));
      } catch (InterruptedException ie) {
        Thread.currentThread().interrupt();
      }
    }
  }

  @Override
  public void close() {
    pool.shutdownNow();
  }
}
