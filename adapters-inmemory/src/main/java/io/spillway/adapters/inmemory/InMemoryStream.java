package io.spillway.adapters.inmemory;

import io.spillway.application.port.in.StreamRecord;
import io.spillway.application.port.out.ChunkStream;
import io.spillway.application.port.out.Clock;
import io.spillway.application.port.out.PublishOutcome;
import io.spillway.domain.chunk.Chunk;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A Kinesis data stream in memory: shards over the 128-bit MD5 hash-key space (top 64 bits here),
 * per-shard write and read limits per second, increasing sequence numbers, and retention on the
 * injected clock — records older than the retention are gone, and counted as expired.
 */
public final class InMemoryStream implements ChunkStream {

  /** A record in a shard; {@code data} is null once released after its checkpoint (see {@link #releasingConsumed}). */
  record Stored(long sequence, Instant arrivedAt, String partitionKey, byte[] data, int size) {}

  /** A record that passed the retention before any consumer checkpointed past it. */
  public record LostRecord(String shardId, String partitionKey, Instant arrivedAt, byte[] data) {}

  private static final class Shard {
    final String id;
    /** Records in sequence order; [head, size) are retained, [0, head) expired and awaiting compaction. */
    final List<Stored> records = new ArrayList<>();
    int head;
    long nextSequence;
    long checkpointed;
    private SecondWindows<Usage> writes;
    private SecondWindows<Usage> reads;
    long expired;
    long lost;
    long lostBytes;

    int retained() {
      return records.size() - head;
    }

    /** Index of the first retained record at or after the sequence. */
    int indexOf(long sequence) {
      if (records.isEmpty()) return 0;
      long first = records.get(0).sequence();
      long idx = Math.max(head, sequence - first);
      return (int) Math.min(idx, records.size());
    }

    Shard(String id) {
      this.id = id;
    }

    /** What the shard took in the second of {@code at}; made on first use, as most shards of a large stream may idle. */
    Usage written(Instant at) {
      if (writes == null) writes = new SecondWindows<>(RATE_HORIZON_SECONDS, Usage::new);
      return writes.at(at.getEpochSecond());
    }

    Usage read(Instant at) {
      if (reads == null) reads = new SecondWindows<>(RATE_HORIZON_SECONDS, Usage::new);
      return reads.at(at.getEpochSecond());
    }
  }

  /** One shard-second of writes (bytes, records) or of reads (bytes, calls). */
  private static final class Usage implements SecondWindows.Window {
    long bytes;
    int count;

    @Override
    public void reset() {
      bytes = 0;
      count = 0;
    }
  }

  /**
   * How far back a call may be timed and still be charged to its own second: far longer than any
   * simulated actor runs ahead of another (a paced consumer's turn lasts seconds to a minute).
   */
  static final int RATE_HORIZON_SECONDS = 300;

  /** One GetRecords answer: the records, whether the call was throttled, and how far behind the tip it is. */
  public record ReadResult(List<StreamRecord> records, long nextPosition, boolean throttled, Duration behindLatest) {}

  private final StreamLimits limits;
  private final Clock clock;
  private final Shard[] shards;
  private final boolean releaseConsumed;
  private java.util.function.Consumer<LostRecord> onLoss = lost -> {};
  private long accepted;
  private long throttled;
  private long acceptedBytes;
  private long checkpointedBytes;

  public InMemoryStream(StreamLimits limits, Clock clock) {
    this(limits, clock, false);
  }

  private InMemoryStream(StreamLimits limits, Clock clock, boolean releaseConsumed) {
    this.limits = limits;
    this.clock = clock;
    this.releaseConsumed = releaseConsumed;
    this.shards = new Shard[limits.shards()];
    for (int i = 0; i < shards.length; i++) {
      shards[i] = new Shard(String.format(java.util.Locale.ROOT, "shardId-%012d", i));
    }
  }

  /**
   * A stream that drops a record's bytes once a consumer has checkpointed past it, keeping its size
   * and arrival for retention accounting: memory follows the backlog, not the retention. For long
   * simulations; reading below a checkpoint is then refused.
   */
  public static InMemoryStream releasingConsumed(StreamLimits limits, Clock clock) {
    return new InMemoryStream(limits, clock, true);
  }

  /** Called, under the stream's lock, for every record lost to the retention. */
  public synchronized void onLoss(java.util.function.Consumer<LostRecord> listener) {
    this.onLoss = listener;
  }

  @Override
  public synchronized List<PublishOutcome> publish(List<Chunk> chunks) {
    if (chunks.size() > MAX_RECORDS_PER_CALL) {
      throw new IllegalArgumentException("PutRecords takes at most " + MAX_RECORDS_PER_CALL + " records, got " + chunks.size());
    }
    long callBytes = 0;
    for (Chunk c : chunks) {
      long recordBytes = c.record().length + c.id().streamPartitionKey().length();
      // checked before anything is sent: Kinesis refuses the whole request, it does not keep a prefix
      if (recordBytes > limits.maxRecordBytes()) {
        throw new IllegalArgumentException("record of " + recordBytes + " bytes exceeds the " + limits.maxRecordBytes() + "-byte record limit");
      }
      callBytes += recordBytes;
    }
    if (callBytes > MAX_BYTES_PER_CALL) {
      throw new IllegalArgumentException("PutRecords takes at most " + MAX_BYTES_PER_CALL + " bytes, got " + callBytes);
    }
    Instant now = clock.now();
    List<PublishOutcome> out = new ArrayList<>(chunks.size());
    for (Chunk c : chunks) {
      String key = c.id().streamPartitionKey();
      byte[] data = c.record();
      Shard shard = shards[shardFor(key)];
      expire(shard, now);
      // callers on several timelines read the clock out of order: each call counts in its own second
      Usage window = shard.written(now);
      long size = data.length + key.length();
      if (window.count + 1 > limits.writeRecordsPerSecond() || window.bytes + size > limits.writeBytesPerSecond()) {
        throttled++;
        out.add(new PublishOutcome.Throttled("ProvisionedThroughputExceeded: " + shard.id + " is over 1 MB/s or 1,000 records/s"));
        continue;
      }
      window.count++;
      window.bytes += size;
      long seq = shard.nextSequence++;
      shard.records.add(new Stored(seq, now, key, data, data.length));
      accepted++;
      acceptedBytes += data.length;
      out.add(new PublishOutcome.Accepted(shard.id, sequenceNumber(seq)));
    }
    return out;
  }

  /**
   * GetRecords from {@code position} (the next sequence to read; a position older than the trim
   * horizon reads from the oldest record left). Honours 5 calls/s and 2 MB/s per shard.
   */
  public synchronized ReadResult read(String shardId, long position, int maxRecords) {
    Shard shard = shard(shardId);
    Instant now = clock.now();
    expire(shard, now);
    Usage window = shard.read(now);
    if (window.count >= limits.readCallsPerSecond()) {
      return new ReadResult(List.of(), position, true, behind(shard, position, now));
    }
    window.count++;
    List<StreamRecord> out = new ArrayList<>();
    long next = position;
    long bytes = 0;
    int limit = Math.min(maxRecords, limits.maxRecordsPerRead());
    int start = shard.indexOf(position);
    if (start < shard.records.size()) {
      next = Math.max(position, shard.records.get(start).sequence());
    }
    for (int i = start; i < shard.records.size() && out.size() < limit; i++) {
      Stored s = shard.records.get(i);
      if (s.data() == null) {
        throw new IllegalStateException("record " + s.sequence() + " of " + shard.id + " was released after its checkpoint; read from the checkpoint");
      }
      boolean overCall = !out.isEmpty() && bytes + s.data().length > limits.maxBytesPerRead();
      // the per-second budget binds across calls; only the second's first record may exceed it
      boolean overSecond = window.bytes > 0 && window.bytes + s.data().length > limits.readBytesPerSecond();
      if (overSecond && out.isEmpty()) {
        return new ReadResult(List.of(), position, true, behind(shard, position, now));
      }
      if (overCall || overSecond) {
        break;
      }
      out.add(new StreamRecord(shard.id, sequenceNumber(s.sequence()), s.arrivedAt(), s.data()));
      bytes += s.data().length;
      window.bytes += s.data().length;
      next = s.sequence() + 1;
    }
    return new ReadResult(out, next, false, behind(shard, next, now));
  }

  public List<String> shardIds() {
    List<String> ids = new ArrayList<>();
    for (Shard s : shards) ids.add(s.id);
    return ids;
  }

  /** The next sequence a writer would get: a consumer at this position has read everything. */
  public synchronized long tip(String shardId) {
    return shard(shardId).nextSequence;
  }

  /** A count over every shard, after expiring what passed the retention. */
  private long sumOverShards(java.util.function.ToLongFunction<Shard> count) {
    long n = 0;
    Instant now = clock.now();
    for (Shard s : shards) {
      expire(s, now);
      n += count.applyAsLong(s);
    }
    return n;
  }

  /** Whether a retained record sits at or after the position. */
  public synchronized boolean hasRecordsFrom(String shardId, long position) {
    Shard shard = shard(shardId);
    expire(shard, clock.now());
    return shard.indexOf(position) < shard.records.size();
  }

  /** Age of the oldest record at or after the position (the iterator age), zero when none. */
  public synchronized Duration iteratorAge(String shardId, long position) {
    Shard shard = shard(shardId);
    Instant now = clock.now();
    expire(shard, now);
    return behind(shard, position, now);
  }

  /** Records that passed the retention (consumed or not). */
  public synchronized long expiredRecords() {
    return sumOverShards(s -> s.expired);
  }

  /** Records that passed the retention before a consumer checkpointed past them: lost. */
  public synchronized long lostRecords() {
    return sumOverShards(s -> s.lost);
  }

  /** Records still in the stream (within retention). */
  public synchronized long retainedRecords() {
    return sumOverShards(Shard::retained);
  }

  /**
   * Consumers report their checkpoints (as KCL does in its lease table), so that expiry can tell a
   * consumed record from a lost one.
   */
  public synchronized void checkpointed(String shardId, long nextPosition) {
    Shard shard = shard(shardId);
    if (nextPosition <= shard.checkpointed) {
      return;
    }
    for (int i = shard.indexOf(shard.checkpointed); i < shard.records.size() && shard.records.get(i).sequence() < nextPosition; i++) {
      Stored s = shard.records.get(i);
      checkpointedBytes += s.size();
      if (releaseConsumed && s.data() != null) {
        shard.records.set(i, new Stored(s.sequence(), s.arrivedAt(), s.partitionKey(), null, s.size()));
      }
    }
    shard.checkpointed = nextPosition;
  }

  /** Bytes of retained records consumers have checkpointed past (what an operator sees drain). */
  public synchronized long checkpointedBytes() {
    return checkpointedBytes;
  }

  /** Bytes of the records lost to the retention. */
  public synchronized long lostBytes() {
    return sumOverShards(s -> s.lostBytes);
  }

  /** Bytes retained and not yet checkpointed past: the backlog. */
  public synchronized long backlogBytes() {
    long n = 0;
    Instant now = clock.now();
    for (Shard s : shards) {
      expire(s, now);
      for (int i = s.indexOf(s.checkpointed); i < s.records.size(); i++) n += s.records.get(i).size();
    }
    return n;
  }

  /** The bytes of every retained record not yet checkpointed past, shard by shard in sequence order. */
  public synchronized List<byte[]> backlogRecords() {
    List<byte[]> out = new ArrayList<>();
    Instant now = clock.now();
    for (Shard s : shards) {
      expire(s, now);
      for (int i = s.indexOf(s.checkpointed); i < s.records.size(); i++) out.add(s.records.get(i).data());
    }
    return out;
  }

  /** The oldest record not checkpointed past, over every shard: the age an operator watches. */
  public synchronized Duration oldestUncheckpointedAge() {
    Duration max = Duration.ZERO;
    Instant now = clock.now();
    for (Shard s : shards) {
      expire(s, now);
      Duration age = behind(s, s.checkpointed, now);
      if (age.compareTo(max) > 0) max = age;
    }
    return max;
  }

  public synchronized long acceptedRecords() {
    return accepted;
  }

  public synchronized long acceptedBytes() {
    return acceptedBytes;
  }

  public synchronized long throttledRecords() {
    return throttled;
  }

  public StreamLimits limits() {
    return limits;
  }

  Clock clock() {
    return clock;
  }

  public static String sequenceNumber(long sequence) {
    return String.format(java.util.Locale.ROOT, "%020d", sequence);
  }

  public static long position(String sequenceNumber) {
    return Long.parseLong(sequenceNumber);
  }

  /** The shard whose equal slice of the unsigned 64-bit hash space holds the key's MD5. */
  int shardFor(String partitionKey) {
    long hash = md5Top64(partitionKey);
    long n = shards.length;
    long high = Math.multiplyHigh(hash, n) + (hash < 0 ? n : 0);
    return (int) high;
  }

  private static long md5Top64(String key) {
    try {
      byte[] d = MessageDigest.getInstance("MD5").digest(key.getBytes(StandardCharsets.UTF_8));
      long v = 0;
      for (int i = 0; i < 8; i++) v = (v << 8) | (d[i] & 0xFF);
      return v;
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("MD5 is required by the JDK", e);
    }
  }

  private Shard shard(String shardId) {
    for (Shard s : shards) {
      if (s.id.equals(shardId)) return s;
    }
    throw new IllegalArgumentException("no shard " + shardId + " in this stream (" + shards.length + " shards)");
  }

  private void expire(Shard shard, Instant now) {
    Instant horizon = now.minus(limits.retention());
    while (shard.head < shard.records.size() && !shard.records.get(shard.head).arrivedAt().isAfter(horizon)) {
      Stored gone = shard.records.get(shard.head++);
      shard.expired++;
      if (gone.sequence() >= shard.checkpointed) {
        shard.lost++;
        shard.lostBytes += gone.size();
        onLoss.accept(new LostRecord(shard.id, gone.partitionKey(), gone.arrivedAt(), gone.data()));
      }
    }
    if (shard.head > 4096 && shard.head > shard.records.size() / 2) {
      shard.records.subList(0, shard.head).clear();
      shard.head = 0;
    }
  }

  private static Duration behind(Shard shard, long position, Instant now) {
    int i = shard.indexOf(position);
    return i < shard.records.size() ? Duration.between(shard.records.get(i).arrivedAt(), now) : Duration.ZERO;
  }
}
