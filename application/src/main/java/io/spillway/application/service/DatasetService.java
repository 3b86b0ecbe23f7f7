package io.spillway.application.service;

import io.spillway.application.port.in.DatasetNotAvailableException;
import io.spillway.application.port.in.DatasetReader;
import io.spillway.application.port.in.Datasets;
import io.spillway.application.port.in.IncompleteDatasetException;
import io.spillway.application.port.in.JobProgress;
import io.spillway.application.port.in.JobQueries;
import io.spillway.application.port.in.ReadPosition;
import io.spillway.application.port.out.Chunks;
import io.spillway.application.port.out.Jobs;
import io.spillway.domain.chunk.Chunk;
import io.spillway.domain.chunk.ChunkFormat;
import io.spillway.domain.chunk.ChunkId;
import io.spillway.domain.chunk.CodecRegistry;
import io.spillway.domain.chunk.CorruptChunkException;
import io.spillway.domain.event.Event;
import io.spillway.domain.job.Job;
import io.spillway.domain.job.JobId;
import io.spillway.domain.job.JobStatus;
import io.spillway.domain.manifest.DatasetChecksum;
import io.spillway.domain.manifest.Manifest;
import io.spillway.domain.manifest.PartitionManifest;
import io.spillway.application.port.out.JobPartition;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Serves datasets back, pushed to a sink or pulled by the caller. One fetch task per bucket
 * queries the store in sort-key order; the chunks it fetches are decompressed and decoded on a
 * pool of {@code parallelism} threads, whatever their bucket, and handed to the caller in the order
 * they were fetched, never more than {@code readAhead} chunks ahead of it, so memory stays bounded
 * however large the job and however slow the caller. The read is then checked against the manifest.
 */
public final class DatasetService implements Datasets, JobQueries, AutoCloseable {
  /** How long closing a reader waits for its fetch tasks to let go of the store. */
  private static final long CLOSE_WAIT_SECONDS = 10;

  private final Jobs jobs;
  private final Chunks chunks;
  private final CodecRegistry codecs;
  // fetch tasks block (on the store, and on a slow caller's read-ahead): one thread each, so one
  // idle reader never holds up another's; decode tasks never block and share the fixed pool
  private final ExecutorService fetchers;
  private final ExecutorService decoders;
  private final int readAhead;
  private final AtomicInteger busyFetchers = new AtomicInteger();

  public DatasetService(Jobs jobs, Chunks chunks, CodecRegistry codecs, int parallelism) {
    this(jobs, chunks, codecs, parallelism, Math.max(4, parallelism * 2));
  }

  /**
   * @param parallelism threads that decompress and decode chunks, shared by every read
   * @param readAhead chunks a read may have fetched and not yet delivered to its caller
   */
  public DatasetService(Jobs jobs, Chunks chunks, CodecRegistry codecs, int parallelism, int readAhead) {
    if (readAhead < 1) {
      throw new IllegalArgumentException("readAhead must be at least 1, was " + readAhead);
    }
    this.jobs = jobs;
    this.chunks = chunks;
    this.codecs = codecs;
    this.readAhead = readAhead;
    this.decoders = Executors.newFixedThreadPool(Math.max(1, parallelism), daemon("spillway-dataset-decoder"));
    this.fetchers = Executors.newCachedThreadPool(daemon("spillway-dataset-fetcher"));
  }

  private static java.util.concurrent.ThreadFactory daemon(String name) {
    return r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    };
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

  /** Chunks a read may hold fetched and not yet delivered. */
  public int readAhead() {
    return readAhead;
  }

  /** Fetch tasks running now, over every open read: zero once every reader is done or closed. */
  public int busyFetchers() {
    return busyFetchers.get();
  }

  @Override
  public DatasetSummary read(JobId jobId, Optional<String> group, Consumer<Event> sink) {
    try (DatasetReader reader = open(jobId, group)) {
      while (reader.hasNext()) {
        sink.accept(reader.next());
      }
      return reader.summary();
    }
  }

  @Override
  public DatasetReader open(ReadPosition from) {
    JobId jobId = from.job();
    Job job = jobs.find(jobId).orElseThrow(() -> new DatasetNotAvailableException("job " + jobId + " is unknown"));
    if (job.status() == JobStatus.INCOMPLETE) {
      throw new DatasetNotAvailableException("job " + jobId + " is INCOMPLETE, not AVAILABLE: " + lost(jobId));
    }
    if (job.status() == JobStatus.FAILED) {
      throw new DatasetNotAvailableException("job " + jobId + " is FAILED (since " + job.updatedAt()
          + "): it was given up on, by its producer or an operator, and will not be served; its chunks are deleted");
    }
    if (job.status() != JobStatus.AVAILABLE) {
      throw new DatasetNotAvailableException("job " + jobId + " is " + job.status() + ", not AVAILABLE");
    }
    Manifest manifest = jobs.manifest(jobId)
        .orElseThrow(() -> new IncompleteDatasetException("job " + jobId + " is AVAILABLE but has no manifest"));
    PartitionManifest partManifest = null;
    if (from.partition().isPresent()) {
      int p = from.partition().getAsInt();
      if (p >= job.partitions()) {
        throw new IllegalArgumentException("position names partition " + p + "; job " + jobId + " has " + job.partitions());
      }
      partManifest = jobs.partitions(jobId).stream().filter(x -> x.partition() == p).findFirst().flatMap(JobPartition::manifest)
          .orElseThrow(() -> new IncompleteDatasetException("job " + jobId + " is AVAILABLE but partition " + p + " has no manifest"));
    }
    for (ChunkId c : from.delivered().values()) {
      if (c.bucket() >= manifest.buckets()) {
        throw new IllegalArgumentException("position names bucket " + c.bucket() + "; job " + jobId + " has " + manifest.buckets());
      }
    }
    Reader reader = new Reader(manifest, partManifest, from);
    reader.start();
    return reader;
  }

  private sealed interface Item {}

  /** A fetched chunk, its decoding submitted (or done). */
  private record Fetched(Chunk chunk, FutureTask<List<Event>> events) implements Item {}

  private record BucketDone(int bucket) implements Item {}

  private record Failed(Throwable error) implements Item {}

  /** One open read: its fetch tasks, its read-ahead, and the caller's side of the hand-off. */
  private final class Reader implements DatasetReader {
    private final JobId jobId;
    private final Optional<String> group;
    private final Manifest manifest;
    /** The manifest of the one partition read, or null when every partition is. */
    private final PartitionManifest partManifest;
    private final ReadPosition from;
    private final Semaphore room = new Semaphore(readAhead);
    // bounded by the permits in room, plus one marker per bucket and a failure or two
    private final LinkedBlockingQueue<Item> ready = new LinkedBlockingQueue<>();
    private final AtomicBoolean[] claimed;
    private final List<Future<?>> tasks = new ArrayList<>();
    private final CountDownLatch fetchersGone;
    private volatile boolean closed;

    // the caller's thread only (fetch tasks start from the position's own, immutable, cursors)
    private final TreeMap<Integer, ChunkId> delivered;
    private final DatasetChecksum checksum;
    private long lowestSequence;
    private long highestSequence;
    private final TreeMap<Integer, Long> highestByPartition;
    // the position's partial chunks not met yet, by bucket
    private final TreeMap<Integer, ReadPosition.Partial> pendingPartials;
    private int openBuckets;
    private Chunk current;
    private List<Event> currentEvents;
    private int index;
    private boolean verified;
    private boolean finished;

    Reader(Manifest manifest, PartitionManifest partManifest, ReadPosition from) {
      this.jobId = from.job();
      this.group = from.group();
      this.manifest = manifest;
      this.partManifest = partManifest;
      this.from = from;
      this.delivered = new TreeMap<>(from.delivered());
      ReadPosition.Tally t = from.tally();
      this.checksum = DatasetChecksum.resume(t.checksum(), t.chunks(), t.events());
      this.lowestSequence = t.lowestSequence();
      this.highestSequence = t.highestSequence();
      this.highestByPartition = new TreeMap<>(t.highestByPartition());
      this.pendingPartials = new TreeMap<>(from.partials());
      this.openBuckets = manifest.buckets();
      this.claimed = new AtomicBoolean[manifest.buckets()];
      this.fetchersGone = new CountDownLatch(manifest.buckets());
    }

    void start() {
      for (int b = 0; b < manifest.buckets(); b++) {
        int bucket = b;
        claimed[b] = new AtomicBoolean();
        tasks.add(fetchers.submit(() -> fetch(bucket)));
      }
    }

    private void fetch(int bucket) {
      if (!claimed[bucket].compareAndSet(false, true)) {
        return; // closed before it started; close() counted it gone
      }
      busyFetchers.incrementAndGet();
      try {
        ChunkId after = from.delivered().get(bucket);
        try (Stream<Chunk> stored = after == null ? chunks.read(jobId, bucket, group) : chunks.readAfter(jobId, bucket, group, after)) {
          Iterator<Chunk> it = stored.iterator();
          while (!closed) {
            // room first, then the store: a chunk is never held unless the read-ahead has room for it
            room.acquire();
            if (closed || !it.hasNext()) {
              room.release();
              break;
            }
            Chunk c = it.next();
            if (!c.id().jobId().equals(jobId) || c.id().bucket() != bucket) {
              throw new CorruptChunkException(CorruptChunkException.Reason.MALFORMED, "bucket " + bucket + " of job " + jobId + " holds chunk " + c.id());
            }
            if (partManifest != null && c.id().partition() != partManifest.partition()) {
              room.release();
              continue;
            }
            FutureTask<List<Event>> decode = new FutureTask<>(() -> ChunkFormat.events(c, codecs));
            // queued before it is decoded, so the caller meets each bucket's chunks in fetch order
            ready.add(new Fetched(c, decode));
            decoders.execute(decode);
          }
        }
        ready.add(new BucketDone(bucket));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (RuntimeException | Error e) {
        ready.add(new Failed(e));
      } finally {
        busyFetchers.decrementAndGet();
        fetchersGone.countDown();
      }
    }

    @Override
    public boolean hasNext() {
      if (closed && !finished) {
        return false;
      }
      while (current == null) {
        if (openBuckets == 0) {
          finish();
          return false;
        }
        Item item;
        try {
          item = ready.take();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          close();
          throw new IncompleteDatasetException("interrupted while reading job " + jobId);
        }
        if (item instanceof BucketDone done) {
          ReadPosition.Partial missed = pendingPartials.get(done.bucket());
          if (missed != null) {
            fail("position stopped inside chunk " + missed.chunk() + ", which is no longer stored", null);
          }
          openBuckets--;
        } else if (item instanceof Failed f) {
          fail("reading job " + jobId + " failed: " + f.error().getMessage(), f.error());
        } else if (item instanceof Fetched fetched) {
          take(fetched);
        }
      }
      return true;
    }

    private void take(Fetched fetched) {
      FutureTask<List<Event>> decode = fetched.events();
      // decode it here if no pool thread has begun to: the caller would only wait otherwise
      decode.run();
      List<Event> events;
      try {
        events = decode.get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        close();
        throw new IncompleteDatasetException("interrupted while reading job " + jobId);
      } catch (java.util.concurrent.ExecutionException | java.util.concurrent.CancellationException e) {
        Throwable cause = e.getCause() == null ? e : e.getCause();
        fail("reading job " + jobId + " failed: " + cause.getMessage(), cause);
        return;
      }
      int skip = 0;
      Chunk c = fetched.chunk();
      ReadPosition.Partial p = pendingPartials.remove(c.id().bucket());
      if (p != null) {
        if (!p.chunk().equals(c.id()) || p.eventsDelivered() >= events.size()) {
          fail("position stopped after " + p.eventsDelivered() + " events of chunk " + p.chunk() + ", but bucket " + c.id().bucket()
              + " goes on with chunk " + c.id() + " of " + events.size() + " events", null);
        }
        skip = p.eventsDelivered();
      }
      current = c;
      currentEvents = events;
      index = skip;
    }

    @Override
    public Event next() {
      if (!hasNext()) {
        throw new java.util.NoSuchElementException("job " + jobId + " has no more events");
      }
      Event e = currentEvents.get(index++);
      if (index == currentEvents.size()) {
        completeChunk();
      }
      return e;
    }

    /** The current chunk's every event is delivered: count it, move its bucket's cursor, give back its room. */
    private void completeChunk() {
      checksum.add(current);
      long seq = current.id().sequence();
      if (current.id().partition() == 0) {
        lowestSequence = lowestSequence < 0 ? seq : Math.min(lowestSequence, seq);
        highestSequence = Math.max(highestSequence, seq);
      } else {
        highestByPartition.merge(current.id().partition(), seq, Math::max);
      }
      delivered.put(current.id().bucket(), current.id());
      current = null;
      currentEvents = null;
      index = 0;
      room.release();
    }

    private void finish() {
      if (finished) {
        return;
      }
      finished = true;
      close();
      if (partManifest != null) {
        verifyPartition(partManifest, checksum);
        verified = true;
        return;
      }
      if (group.isEmpty()) {
        verifyWhole(manifest, checksum);
        verified = true;
        return;
      }
      long count = checksum.chunks();
      ReadPosition.Tally t = tally();
      // chunk ids are unique, so as many chunks as the sequences span means no gap in any partition
      if (count != t.chunksSpanned()) {
        throw new IncompleteDatasetException("group " + group.get() + " of job " + jobId + " has chunk sequences "
            + (highestSequence < 0 ? "" : lowestSequence + ".." + highestSequence)
            + (highestByPartition.isEmpty() ? "" : " (other partitions' highest: " + highestByPartition + ")")
            + " but only " + count + " chunks");
      }
    }

    private void fail(String message, Throwable cause) {
      close();
      throw cause == null ? new IncompleteDatasetException(message) : new IncompleteDatasetException(message, cause);
    }

    @Override
    public ReadPosition position() {
      TreeMap<Integer, ReadPosition.Partial> partials = new TreeMap<>(pendingPartials);
      if (current != null && index > 0) {
        partials.put(current.id().bucket(), new ReadPosition.Partial(current.id(), index));
      }
      return new ReadPosition(jobId, group, from.partition(), delivered, partials, tally());
    }

    private ReadPosition.Tally tally() {
      return new ReadPosition.Tally(checksum.chunks(), checksum.events(), checksum.value(), lowestSequence, highestSequence, highestByPartition);
    }

    @Override
    public DatasetSummary summary() {
      return new DatasetSummary(jobId, group, checksum.chunks(), checksum.events(), verified);
    }

    @Override
    public void close() {
      if (closed) {
        return;
      }
      closed = true;
      for (int b = 0; b < tasks.size(); b++) {
        if (claimed[b].compareAndSet(false, true)) {
          fetchersGone.countDown(); // never started, never will
        } else {
          tasks.get(b).cancel(true);
        }
      }
      for (Item item : ready) {
        if (item instanceof Fetched f) {
          f.events().cancel(false);
        }
      }
      ready.clear();
      try {
        fetchersGone.await(CLOSE_WAIT_SECONDS, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
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

  private static void verifyPartition(PartitionManifest manifest, DatasetChecksum read) {
    if (read.chunks() != manifest.chunkCount() || read.events() != manifest.eventCount() || read.value() != manifest.datasetChecksum()) {
      throw new IncompleteDatasetException(String.format(
          "partition %d of job %s read back %d chunks / %d events / checksum %016x; its manifest promises %d / %d / %016x",
          manifest.partition(), manifest.jobId(), read.chunks(), read.events(), read.value(), manifest.chunkCount(), manifest.eventCount(), manifest.datasetChecksum()));
    }
  }

  private static void verifyWhole(Manifest manifest, DatasetChecksum read) {
    if (read.chunks() != manifest.chunkCount() || read.events() != manifest.eventCount() || read.value() != manifest.datasetChecksum()) {
      throw new IncompleteDatasetException(String.format(
          "job %s read back %d chunks / %d events / checksum %016x; the manifest promises %d / %d / %016x",
          manifest.jobId(), read.chunks(), read.events(), read.value(), manifest.chunkCount(), manifest.eventCount(), manifest.datasetChecksum()));
    }
  }

  @Override
  public void close() {
    fetchers.shutdownNow();
    decoders.shutdownNow();
  }
}
