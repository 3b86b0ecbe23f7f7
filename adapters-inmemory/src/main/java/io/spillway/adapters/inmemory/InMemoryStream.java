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
import java.util.Optional;

/**
 * A Kinesis data stream in memory: shards over the 128-bit MD5 hash-key space (top 64 bits here),
 * per-shard write and read limits per second, increasing sequence numbers, and retention on the
 * injected clock — records older than the retention are gone, and counted as expired.
 *
 * <p>In on-demand mode ({@link StreamLimits#onDemand()}) the stream starts with 4 shards and grows:
 * each write must fit the stream-level allowance ({@link OnDemandStreamCapacity}) and, in its
 * second, the 1 MB/s and 1,000 records/s of the shard its key hashes to among the
 * {@linkplain OnDemandStreamCapacity#shards shards the stream has then} (equal slices of the hash
 * space), so one hot key is still held to 1 MB/s. The stream keeps and serves its records by
 * lineage: {@link #shardIds()} are the 4 initial shards, each holding the records of the shards
 * later split from its slice, in sequence order, readable at the read limits of as many shards as
 * its slice holds now. (KCL reads a parent shard before its children, so a key's records still
 * come in order; what this leaves out is the children being read in parallel by separate
 * record processors.)
 */
public final class InMemoryStream implements ChunkStream {

  /** A record in a shard; {@code data} is null once released after its checkpoint (see {@link #releasingConsumed}). */
  record Stored(long sequence, Instant arrivedAt, String partitionKey, byte[] data, int size) {}

  /** A record that passed the retention before any consumer checkpointed past it. */
  public record LostRecord(String shardId, String partitionKey, Instant arrivedAt, byte[] data) {}

  private static final class Shard {
    final String id;
    final int index;
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

    Shard(String id, int index) {
      this.id = id;
      this.index = index;
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

  /** One second of an on-demand stream's writes, per shard it had in that second. */
  private static final class SplitSecond implements SecondWindows.Window {
    final java.util.HashMap<Integer, Usage> byShard = new java.util.HashMap<>();

    Usage of(int shard) {
      return byShard.computeIfAbsent(shard, k -> new Usage());
    }

    @Override
    public void reset() {
      byShard.clear();
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
  /** On-demand mode: the stream-level allowance and the shard count behind it; null when provisioned. */
  private final OnDemandStreamCapacity onDemand;
  /** On-demand mode: each second's writes on each shard the stream had then. */
  private final SecondWindows<SplitSecond> splitWrites;
  private long billedIngestBytes;
  private long readBytes;
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
    this.onDemand = limits.onDemandCapacity().map(c -> new OnDemandStreamCapacity(clock.now(), c)).orElse(null);
    this.splitWrites = onDemand == null ? null : new SecondWindows<>(RATE_HORIZON_SECONDS, SplitSecond::new);
    this.shards = new Shard[limits.shards()];
    for (int i = 0; i < shards.length; i++) {
      shards[i] = new Shard(String.format(java.util.Locale.ROOT, "shardId-%012d", i), i);
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
      long hash = md5Top64(key);
      Shard shard = shards[slice(hash, shards.length)];
      expire(shard, now);
      long size = data.length + key.length();
      // callers on several timelines read the clock out of order: each call counts in its own second
      Usage window;
      String shardName;
      if (onDemand == null) {
        window = shard.written(now);
        shardName = shard.id;
      } else {
        int split = onDemand.shards(now);
        int index = slice(hash, split);
        window = splitWrites.at(now.getEpochSecond()).of(index);
        shardName = "shard " + index + " of the stream's " + split + " (in " + shard.id + "'s slice)";
      }
      if (window.count + 1 > limits.writeRecordsPerSecond() || window.bytes + size > limits.writeBytesPerSecond()) {
        throttled++;
        out.add(new PublishOutcome.Throttled("ProvisionedThroughputExceeded: " + shardName + " is over 1 MB/s or 1,000 records/s"));
        continue;
      }
      if (onDemand != null && !onDemand.tryWrite(size, 1, now)) {
        throttled++;
        out.add(new PublishOutcome.Throttled(String.format(java.util.Locale.ROOT,
            "ProvisionedThroughputExceeded: the on-demand stream is over its %.1f MB/s or %.0f records/s (twice its settled peak)",
            onDemand.writeBytesPerSecond(now) / 1e6, onDemand.writeRecordsPerSecond(now))));
        continue;
      }
      window.count++;
      window.bytes += size;
      billedIngestBytes += (size + 1023) / 1024 * 1024;
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
    int held = shardsHeld(shard, now);
    if (window.count >= (long) limits.readCallsPerSecond() * held) {
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
      boolean overSecond = window.bytes > 0 && window.bytes + s.data().length > limits.readBytesPerSecond() * held;
      if (overSecond && out.isEmpty()) {
        return new ReadResult(List.of(), position, true, behind(shard, position, now));
      }
      if (overCall || overSecond) {
        break;
      }
      out.add(new StreamRecord(shard.id, sequenceNumber(s.sequence()), s.arrivedAt(), s.data()));
      bytes += s.data().length;
      window.bytes += s.data().length;
      readBytes += s.data().length;
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

  /** The position consumers have checkpointed up to on the shard (0 before any): below it, a releasing stream holds sizes only. */
  public synchronized long checkpointedPosition(String shardId) {
    return shard(shardId).checkpointed;
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

  /** The shards the stream has now: its fixed count, or in on-demand mode as many as its allowance needs. */
  public synchronized int activeShards() {
    return onDemand == null ? shards.length : onDemand.shards(clock.now());
  }

  /** In on-demand mode, the stream-level allowance behind the shards. */
  public Optional<OnDemandStreamCapacity> onDemandCapacity() {
    return Optional.ofNullable(onDemand);
  }

  /** Bytes written as on-demand mode bills them: each accepted record (data and partition key) rounded up to 1 KiB. */
  public synchronized long billedIngestBytes() {
    return billedIngestBytes;
  }

  /** Bytes GetRecords returned, by every reader, re-reads included (what on-demand mode bills as retrieval). */
  public synchronized long readBytes() {
    return readBytes;
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
    return slice(md5Top64(partitionKey), shards.length);
  }

  /** Which of {@code n} equal slices of the unsigned 64-bit hash space holds {@code hash}. */
  static int slice(long hash, int n) {
    long high = Math.multiplyHigh(hash, n) + (hash < 0 ? n : 0);
    return (int) high;
  }

  /**
   * How many of the shards the stream has at {@code now} lie in the slice {@code shard} holds: 1 for
   * a provisioned stream; in on-demand mode every shard whose slice overlaps the lineage's.
   */
  private int shardsHeld(Shard shard, Instant now) {
    if (onDemand == null) {
      return 1;
    }
    long n = onDemand.shards(now);
    long lineages = shards.length;
    long first = shard.index * n / lineages;
    long last = ((shard.index + 1) * n + lineages - 1) / lineages - 1;
    return (int) Math.max(1, last - first + 1);
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
