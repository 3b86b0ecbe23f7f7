package io.spillway.domain.chunk;

import io.spillway.domain.InvalidFieldException;
import io.spillway.domain.event.Event;
import io.spillway.domain.job.JobId;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Aggregates one job's events into chunks that fill a DynamoDB item: one open chunk per group,
 * cut on compressed size (with a margin), on a linger deadline and on seal.
 *
 * <p>Sizing: the assembler learns the compression ratio from the chunks it has cut and accumulates
 * raw bytes until the compressed payload should reach {@code targetFill} of the item; a trial
 * compression that comes out under {@code minFill} keeps accumulating, one that overflows keeps
 * the events that fit and carries the rest. Payloads that compression would grow are stored
 * uncompressed, so any valid event fits a chunk on its own. Not thread-safe: one job, one caller.
 */
public final class ChunkAssembler {

  /** How full chunks should be and how long an open chunk may wait. */
  public record Settings(double targetFill, double minFill, int maxPendingRawBytes, Duration linger) {
    public Settings {
      if (!(minFill > 0 && minFill <= targetFill && targetFill <= 1.0)) {
        throw new InvalidFieldException("assembler.fill", minFill + ".." + targetFill, "0 < minFill <= targetFill <= 1");
      }
      if (maxPendingRawBytes < 1024 * 1024) {
        throw new InvalidFieldException("assembler.maxPendingRawBytes", maxPendingRawBytes, "at least 1 MiB");
      }
      if (linger == null || linger.isNegative() || linger.isZero()) {
        throw new InvalidFieldException("assembler.linger", linger, "a positive duration");
      }
    }

    public static Settings defaults() {
      return new Settings(0.96, 0.85, 256 * 1024 * 1024, Duration.ofSeconds(30));
    }
  }

  private static final class Pending {
    final String group;
    final List<Event> events = new ArrayList<>();
    long rawEstimate;
    /** The estimate at which the next trial compression is due (raised after an under-full trial). */
    long nextTrial;
    /** Payload bytes the next chunk of this group may take; -1 until computed for its sequence. */
    int budget = -1;
    Instant openedAt;

    Pending(String group, Instant openedAt) {
      this.group = group;
      this.openedAt = openedAt;
    }
  }

  private final JobId jobId;
  private final int partition;
  private final int buckets;
  private final Codec codec;
  private final Settings settings;
  private final Map<String, Pending> pending = new LinkedHashMap<>();
  private final Map<String, Long> nextChunkSequence = new HashMap<>();
  private final ByteWriter raw = new ByteWriter(1 << 20);
  private double ratio = 0.5;
  private long pendingRaw;
  private long chunksCut;
  private long eventsCut;
  private long storedBytes;
  private long compressions;

  public ChunkAssembler(JobId jobId, int buckets, Codec codec, Settings settings) {
    this(jobId, 0, buckets, codec, settings);
  }

  /**
   * An assembler for one partition of a job. Given the same events in the same order, it cuts the
   * same chunks — same identities, same bytes — as long as no linger cut ({@link #flushLingering},
   * {@link #cutOneLingering}) is asked of it: the sizes it learns come from the chunks it cut, and
   * it takes open chunks in the order their first events arrived. A resumable partition relies on it.
   */
  public ChunkAssembler(JobId jobId, int partition, int buckets, Codec codec, Settings settings) {
    io.spillway.domain.Checks.range("assembler.buckets", buckets, 1, io.spillway.domain.job.Job.MAX_BUCKETS);
    io.spillway.domain.Checks.range("assembler.partition", partition, 0, io.spillway.domain.job.Job.MAX_PARTITIONS - 1);
    this.partition = partition;
    this.jobId = jobId;
    this.buckets = buckets;
    this.codec = codec;
    this.settings = settings;
  }

  /** Takes one event of this job; returns the chunks it completed (usually none). */
  public List<Chunk> add(Event event, Instant now) {
    if (!event.jobId().equals(jobId)) {
      throw new InvalidFieldException("event.jobId", event.jobId().value(), "the assembler's job " + jobId);
    }
    if (event.partition() != partition) {
      throw new InvalidFieldException("event.partition", event.partition(), "the assembler's partition " + partition + " of job " + jobId);
    }
    Pending p = pending.computeIfAbsent(event.groupKey(), g -> new Pending(g, now));
    int estimate = EventEnvelope.estimate(event);
    p.events.add(event);
    p.rawEstimate += estimate;
    pendingRaw += estimate;
    boolean due = p.rawEstimate >= Math.max(threshold(p), p.nextTrial) || p.rawEstimate >= ChunkFormat.MAX_RAW_BYTES / 2;
    if (!due && pendingRaw <= settings.maxPendingRawBytes()) {
      return List.of();
    }
    List<Chunk> out = new ArrayList<>(1);
    if (due) {
      cut(p, false, out);
    }
    if (pendingRaw > settings.maxPendingRawBytes()) {
      Pending largest = null;
      for (Pending q : pending.values()) {
        if (largest == null || q.rawEstimate > largest.rawEstimate) largest = q;
      }
      drain(largest, out);
    }
    return out;
  }

  /** Cuts every open chunk that has waited at least the linger time. */
  public List<Chunk> flushLingering(Instant now) {
    List<Chunk> out = new ArrayList<>();
    for (Pending p : new ArrayList<>(pending.values())) {
      if (!Duration.between(p.openedAt, now).minus(settings.linger()).isNegative()) {
        drain(p, out);
      }
    }
    return out;
  }

  /**
   * Cuts one chunk from the open chunk that has lingered longest, if it has waited the linger time
   * (empty otherwise): a caller that must make room for each chunk before it is cut takes them one
   * at a time. A forced cut emits exactly one chunk.
   */
  public List<Chunk> cutOneLingering(Instant now) {
    Pending oldest = oldest();
    if (oldest == null || Duration.between(oldest.openedAt, now).minus(settings.linger()).isNegative()) {
      return List.of();
    }
    List<Chunk> out = new ArrayList<>(1);
    cut(oldest, true, out);
    return out;
  }

  /** Cuts one chunk from the oldest open chunk (at seal, one chunk per room made); empty when none is open. */
  public List<Chunk> cutOne() {
    Pending oldest = oldest();
    if (oldest == null) {
      return List.of();
    }
    List<Chunk> out = new ArrayList<>(1);
    cut(oldest, true, out);
    return out;
  }

  /** The raw bytes an event counts for in {@link #pendingRawBytes()} while it waits here. */
  public static int rawEstimate(Event event) {
    return EventEnvelope.estimate(event);
  }

  /**
   * The open chunk whose first event arrived first: open chunks are kept in that order, which is
   * also their age on a clock that does not go back, and which a re-sent partition repeats whatever
   * the clock does.
   */
  private Pending oldest() {
    return pending.isEmpty() ? null : pending.values().iterator().next();
  }

  /** Cuts every open chunk (at seal). */
  public List<Chunk> flushAll() {
    List<Chunk> out = new ArrayList<>();
    for (Pending p : new ArrayList<>(pending.values())) {
      drain(p, out);
    }
    return out;
  }

  /** When the oldest open chunk reaches its linger deadline, or null when nothing is open. */
  public Instant nextLingerDeadline() {
    Instant earliest = null;
    for (Pending p : pending.values()) {
      if (earliest == null || p.openedAt.isBefore(earliest)) earliest = p.openedAt;
    }
    return earliest == null ? null : earliest.plus(settings.linger());
  }

  public long pendingEvents() {
    long n = 0;
    for (Pending p : pending.values()) n += p.events.size();
    return n;
  }

  public long pendingRawBytes() {
    return pendingRaw;
  }

  public long chunksCut() {
    return chunksCut;
  }

  public long eventsCut() {
    return eventsCut;
  }

  public long compressions() {
    return compressions;
  }

  /** Mean stored item size of the chunks cut so far, as a fraction of the 409,600-byte limit. */
  public double fillRatio() {
    return chunksCut == 0 ? 0 : (double) storedBytes / chunksCut / StoredItemLayout.ITEM_LIMIT_BYTES;
  }

  private long threshold(Pending p) {
    return (long) (payloadBudget(p) * settings.targetFill() / ratio);
  }

  private int payloadBudget(Pending p) {
    if (p.budget < 0) {
      ChunkId id = ChunkId.of(jobId, partition, p.group, nextSequence(p.group), buckets);
      p.budget = StoredItemLayout.ITEM_LIMIT_BYTES - StoredItemLayout.itemSize(id, 0) - ChunkFormat.maxOverhead(id);
    }
    return p.budget;
  }

  private long nextSequence(String group) {
    return nextChunkSequence.getOrDefault(group, 0L);
  }

  private void drain(Pending p, List<Chunk> out) {
    while (!p.events.isEmpty()) {
      cut(p, true, out);
    }
  }

  /**
   * Compresses the open chunk; emits it when it fits (and, unless forced, is full enough), or emits
   * the longest prefix that fits and carries the rest.
   */
  private void cut(Pending p, boolean force, List<Chunk> out) {
    int n = p.events.size();
    int k = n;
    while (true) {
      Encoded e = encode(p, k);
      if (e.codec != CodecId.NONE) {
        // the ratio is kept against the estimate, the unit thresholds are measured in
        ratio = Math.max(0.0005, (double) e.payload.length / Math.max(1, e.estimate));
      }
      ChunkId id = ChunkId.of(jobId, partition, p.group, nextSequence(p.group), buckets);
      int recordBytes = e.payload.length + ChunkFormat.maxOverhead(id);
      int itemBytes = StoredItemLayout.itemSize(id, recordBytes);
      if (itemBytes <= StoredItemLayout.ITEM_LIMIT_BYTES) {
        boolean fullEnough = itemBytes >= settings.minFill() * StoredItemLayout.ITEM_LIMIT_BYTES
            || e.estimate >= ChunkFormat.MAX_RAW_BYTES / 2 || e.rawLength >= ChunkFormat.MAX_RAW_BYTES / 2;
        if (!force && e.count == n && !fullEnough) {
          double grow = settings.targetFill() * StoredItemLayout.ITEM_LIMIT_BYTES / Math.max(1, itemBytes);
          p.nextTrial = (long) (p.rawEstimate * Math.max(1.05, grow));
          return;
        }
        emit(p, id, e, out);
        return;
      }
      if (e.count == 1) {
        throw new IllegalStateException("a single event of " + p.events.get(0).payload().length + " payload bytes does not fit an item: " + itemBytes + " bytes");
      }
      int budget = payloadBudget(p);
      int scaled = (int) Math.floor(e.count * (budget * settings.targetFill()) / e.payload.length);
      k = Math.max(1, Math.min(e.count - 1, scaled));
    }
  }

  private record Encoded(CodecId codec, byte[] payload, int rawLength, int count, long estimate) {}

  private Encoded encode(Pending p, int k) {
    raw.reset();
    EventEnvelope.encode(p.events, 0, k, raw);
    while (raw.size() > ChunkFormat.MAX_RAW_BYTES) {
      k = Math.max(1, k / 2);
      raw.reset();
      EventEnvelope.encode(p.events, 0, k, raw);
    }
    compressions++;
    long estimate = 0;
    for (int i = 0; i < k; i++) {
      estimate += EventEnvelope.estimate(p.events.get(i));
    }
    byte[] compressed = codec.compress(raw.array(), 0, raw.size());
    if (compressed.length >= raw.size()) {
      return new Encoded(CodecId.NONE, raw.toByteArray(), raw.size(), k, estimate);
    }
    return new Encoded(codec.id(), compressed, raw.size(), k, estimate);
  }

  private void emit(Pending p, ChunkId id, Encoded e, List<Chunk> out) {
    int count = e.count;
    long first = Long.MAX_VALUE;
    long last = Long.MIN_VALUE;
    long estimate = 0;
    for (int i = 0; i < count; i++) {
      Event ev = p.events.get(i);
      first = Math.min(first, ev.sequence());
      last = Math.max(last, ev.sequence());
      estimate += EventEnvelope.estimate(ev);
    }
    Chunk chunk = ChunkFormat.write(id, e.codec, count, first, last, e.rawLength, e.payload, e.payload.length);
    if (chunk.storedItemSize() > StoredItemLayout.ITEM_LIMIT_BYTES) {
      throw new IllegalStateException("chunk " + id + " would store " + chunk.storedItemSize() + " bytes");
    }
    p.events.subList(0, count).clear();
    p.rawEstimate -= estimate;
    p.nextTrial = 0;
    p.budget = -1;
    pendingRaw -= estimate;
    nextChunkSequence.put(p.group, id.sequence() + 1);
    chunksCut++;
    eventsCut += count;
    storedBytes += chunk.storedItemSize();
    if (p.events.isEmpty()) {
      pending.remove(p.group);
    }
    out.add(chunk);
  }
}
