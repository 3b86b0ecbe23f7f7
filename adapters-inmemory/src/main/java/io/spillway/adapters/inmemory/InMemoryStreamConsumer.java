package io.spillway.adapters.inmemory;

import io.spillway.application.port.in.Ingest;
import io.spillway.application.port.in.IngestResult;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Plays the Kinesis Client Library's part against an {@link InMemoryStream}: one worker holding
 * every shard's lease, polling each shard, handing batches to the ingest use case and
 * checkpointing exactly what it reports durable. Its read positions live in memory and its
 * checkpoints in the "lease table", so {@link #crash()} loses un-checkpointed progress and the
 * next poll redelivers from the checkpoint, as a restarted KCL worker would.
 */
public final class InMemoryStreamConsumer {
  private final InMemoryStream stream;
  private final Ingest ingest;
  private final int maxRecordsPerCall;
  private final Map<String, Long> checkpoints = new HashMap<>();
  private final Map<String, Long> positions = new HashMap<>();
  private long recordsDelivered;
  private long redeliveries;
  private long throttledReads;

  public InMemoryStreamConsumer(InMemoryStream stream, Ingest ingest, int maxRecordsPerCall) {
    this.stream = stream;
    this.ingest = ingest;
    this.maxRecordsPerCall = maxRecordsPerCall;
    for (String shard : stream.shardIds()) {
      checkpoints.put(shard, 0L);
      positions.put(shard, 0L);
    }
  }

  /** One GetRecords and ingest per shard; returns the records delivered. */
  public synchronized int pollOnce() {
    int delivered = 0;
    for (String shard : stream.shardIds()) {
      delivered += pollShard(shard);
    }
    return delivered;
  }

  /**
   * One GetRecords on one shard and the ingest of what it returned, as one KCL shard record
   * processor does per poll; returns the records delivered (0 when throttled or caught up).
   */
  public synchronized int pollShard(String shard) {
    long position = positions.get(shard);
    InMemoryStream.ReadResult read = stream.read(shard, position, maxRecordsPerCall);
    if (read.throttled()) {
      throttledReads++;
      return 0;
    }
    if (read.records().isEmpty()) {
      positions.put(shard, read.nextPosition());
      return 0;
    }
    recordsDelivered += read.records().size();
    IngestResult result = ingest.ingest(read.records());
    result.checkpoint().ifPresent(seq -> {
      long next = InMemoryStream.position(seq) + 1;
      checkpoints.put(shard, next);
      stream.checkpointed(shard, next);
    });
    if (result.complete()) {
      positions.put(shard, read.nextPosition());
    } else {
      long resume = result.checkpoint().map(s -> InMemoryStream.position(s) + 1).orElse(position);
      redeliveries += result.remaining();
      positions.put(shard, resume);
    }
    return read.records().size();
  }

  /**
   * Polls until every record is checkpointed or {@code maxPolls} polls pass, idling between polls
   * that deliver nothing (as KCL's idle time between reads does); returns records delivered.
   */
  public long drain(int maxPolls) throws InterruptedException {
    long total = 0;
    for (int i = 0; i < maxPolls && !caughtUp(); i++) {
      int delivered = pollOnce();
      total += delivered;
      if (delivered == 0) {
        stream.clock().sleep(IDLE_BETWEEN_READS);
      }
    }
    return total;
  }

  /** How long {@link #drain} waits after a poll that delivered nothing. */
  public static final Duration IDLE_BETWEEN_READS = Duration.ofMillis(200);

  /** The worker dies: read positions not yet checkpointed are forgotten. */
  public synchronized void crash() {
    positions.putAll(checkpoints);
  }

  /** Every record still in the stream is checkpointed past (nothing left to deliver). */
  public synchronized boolean caughtUp() {
    for (String shard : stream.shardIds()) {
      if (stream.hasRecordsFrom(shard, checkpoints.get(shard))) {
        return false;
      }
    }
    return true;
  }

  /** The largest iterator age over the shards, from the read positions (as KCL reports it). */
  public synchronized Duration maxIteratorAge() {
    Duration max = Duration.ZERO;
    for (String shard : stream.shardIds()) {
      Duration age = stream.iteratorAge(shard, positions.get(shard));
      if (age.compareTo(max) > 0) max = age;
    }
    return max;
  }

  /** Each shard's iterator age, from its read position. */
  public synchronized Map<String, Duration> iteratorAges() {
    Map<String, Duration> ages = new java.util.TreeMap<>();
    for (String shard : stream.shardIds()) {
      ages.put(shard, stream.iteratorAge(shard, positions.get(shard)));
    }
    return ages;
  }

  public synchronized long recordsDelivered() {
    return recordsDelivered;
  }

  public synchronized long redeliveries() {
    return redeliveries;
  }

  public synchronized long throttledReads() {
    return throttledReads;
  }

  public List<String> shards() {
    return stream.shardIds();
  }
}
