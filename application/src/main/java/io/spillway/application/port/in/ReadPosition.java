package io.spillway.application.port.in;

import io.spillway.domain.Checks;
import io.spillway.domain.InvalidFieldException;
import io.spillway.domain.chunk.ChunkId;
import io.spillway.domain.chunk.StoredItemLayout;
import io.spillway.domain.job.JobId;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.TreeMap;

/**
 * Where a read of a dataset (whole or one group) stands, to resume it from: a cursor per bucket and
 * the tally of what was delivered before it.
 *
 * <p>A read delivers each bucket's chunks in the bucket's sort-key order and one chunk's events
 * before the next chunk's, so what a caller has seen is, per bucket, every chunk up to one (its
 * {@code delivered} entry; buckets without an entry have delivered nothing) and at most the next
 * chunk partly ({@code partials}: its first {@code eventsDelivered} events). A fresh read has at
 * most one partial chunk at a time; a resumed read may carry its position's while it is inside
 * another bucket's. A read resumed here delivers exactly the rest: in each bucket the chunks after
 * its cursor, and of a partial chunk the events not yet delivered.
 *
 * <p>{@code tally} adds up the chunks delivered whole (count, events, the dataset checksum), so that
 * the resumed read can still check the whole dataset against the manifest at its end.
 *
 * <p>{@link #token()} writes the position as a URL-safe string, for a caller to keep where it keeps
 * its own progress and resume from in another process ({@link #fromToken}).
 *
 * @param partition the one partition read, if the read is of one partition
 * @param delivered per bucket, the last chunk whose every event was delivered
 * @param partials per bucket, the chunk a caller stopped inside, if it did
 * @param tally what the chunks delivered whole add up to
 */
public record ReadPosition(JobId job, Optional<String> group, OptionalInt partition, Map<Integer, ChunkId> delivered, Map<Integer, Partial> partials, Tally tally) {

  /** A chunk of which the first {@code eventsDelivered} events (at least one, not all) were delivered. */
  public record Partial(ChunkId chunk, int eventsDelivered) {
    public Partial {
      Checks.required("partial.chunk", chunk);
      if (eventsDelivered < 1) {
        throw new InvalidFieldException("partial.eventsDelivered", eventsDelivered, ">= 1 (a chunk not begun is not partial)");
      }
    }
  }

  /**
   * What the chunks delivered whole add up to: their number, their events, the sum of their
   * checksums ({@link io.spillway.domain.manifest.DatasetChecksum}), the lowest and highest chunk
   * sequence among those of partition 0 ({@code -1} when none), and the highest of every other
   * partition met: a group read checks that its chunks of each partition run 0..highest without gaps.
   */
  public record Tally(long chunks, long events, long checksum, long lowestSequence, long highestSequence, Map<Integer, Long> highestByPartition) {
    public static final Tally NONE = new Tally(0, 0, 0, -1, -1);

    public Tally(long chunks, long events, long checksum, long lowestSequence, long highestSequence) {
      this(chunks, events, checksum, lowestSequence, highestSequence, Map.of());
    }

    /** The chunks a group read of these chunk sequences must have delivered: each partition's 0..highest. */
    public long chunksSpanned() {
      long n = highestSequence + 1;
      for (long high : highestByPartition.values()) {
        n += high + 1;
      }
      return n;
    }

    public Tally {
      Checks.required("tally.highestByPartition", highestByPartition);
      highestByPartition.forEach((p, high) -> {
        if (p == null || p < 1 || high == null || high < 0) {
          throw new InvalidFieldException("tally.highestByPartition", p + " -> " + high, "partitions from 1, sequences from 0");
        }
      });
      highestByPartition = Collections.unmodifiableMap(new TreeMap<>(highestByPartition));
      if (chunks < 0 || events < chunks) {
        throw new InvalidFieldException("tally.chunks/events", chunks + "/" + events, "0 <= chunks <= events");
      }
      boolean none = lowestSequence == -1 && highestSequence == -1;
      boolean some = lowestSequence >= 0 && lowestSequence <= highestSequence;
      if (!(none || some) || (chunks == 0) != (none && highestByPartition.isEmpty())) {
        throw new InvalidFieldException("tally.sequences", lowestSequence + ".." + highestSequence + " " + highestByPartition,
            "-1..-1 and no partition with no chunks, else 0 <= lowest <= highest for partition 0 or a partition's highest");
      }
    }
  }

  /** A position of a read of the whole job or one group. */
  public ReadPosition(JobId job, Optional<String> group, Map<Integer, ChunkId> delivered, Map<Integer, Partial> partials, Tally tally) {
    this(job, group, OptionalInt.empty(), delivered, partials, tally);
  }

  public ReadPosition {
    Checks.required("position.job", job);
    Checks.required("position.group", group);
    Checks.required("position.partition", partition);
    if (partition.isPresent() && group.isPresent()) {
      throw new InvalidFieldException("position.partition", partition.getAsInt(), "no partition in a group read (a group read reads every partition)");
    }
    if (partition.isPresent()) {
      Checks.range("position.partition", partition.getAsInt(), 0, io.spillway.domain.job.Job.MAX_PARTITIONS - 1);
    }
    Checks.required("position.delivered", delivered);
    Checks.required("position.partials", partials);
    Checks.required("position.tally", tally);
    TreeMap<Integer, ChunkId> copy = new TreeMap<>();
    delivered.forEach((bucket, chunk) -> {
      belongs("position.delivered", chunk, job, group, partition);
      if (chunk.bucket() != bucket) {
        throw new InvalidFieldException("position.delivered", bucket + " -> " + chunk, "each chunk under its own bucket");
      }
      copy.put(bucket, chunk);
    });
    TreeMap<Integer, Partial> partialCopy = new TreeMap<>();
    partials.forEach((bucket, p) -> {
      Checks.required("position.partials", p);
      belongs("position.partials", p.chunk(), job, group, partition);
      if (p.chunk().bucket() != bucket) {
        throw new InvalidFieldException("position.partials", bucket + " -> " + p.chunk(), "each chunk under its own bucket");
      }
      ChunkId before = copy.get(bucket);
      if (before != null && StoredItemLayout.compareSortKeys(StoredItemLayout.sortKey(before), StoredItemLayout.sortKey(p.chunk())) >= 0) {
        throw new InvalidFieldException("position.partials", p.chunk(), "after " + before + ", the last chunk its bucket delivered");
      }
      partialCopy.put(bucket, p);
    });
    delivered = Collections.unmodifiableMap(copy);
    partials = Collections.unmodifiableMap(partialCopy);
  }

  /** The start of a read: nothing delivered yet. */
  public static ReadPosition start(JobId job, Optional<String> group) {
    return new ReadPosition(job, group, Map.of(), Map.of(), Tally.NONE);
  }

  /** The start of a read of one partition of a job. */
  public static ReadPosition startPartition(JobId job, int partition) {
    return new ReadPosition(job, Optional.empty(), OptionalInt.of(partition), Map.of(), Map.of(), Tally.NONE);
  }

  /** Whether nothing has been delivered from here. */
  public boolean atStart() {
    return delivered.isEmpty() && partials.isEmpty();
  }

  /** Version 2 adds the partitions; version 1 tokens (single-partition reads) are still read. */
  private static final int TOKEN_VERSION = 2;

  /** The position as a URL-safe string (versioned), which {@link #fromToken} reads back. */
  public String token() {
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
    try (java.io.DataOutputStream out = new java.io.DataOutputStream(bytes)) {
      out.writeByte(TOKEN_VERSION);
      out.writeUTF(job.value());
      out.writeBoolean(group.isPresent());
      out.writeUTF(group.orElse(""));
      out.writeLong(tally.chunks());
      out.writeLong(tally.events());
      out.writeLong(tally.checksum());
      out.writeLong(tally.lowestSequence());
      out.writeLong(tally.highestSequence());
      out.writeInt(partition.orElse(-1));
      out.writeInt(tally.highestByPartition().size());
      for (Map.Entry<Integer, Long> e : tally.highestByPartition().entrySet()) {
        out.writeInt(e.getKey());
        out.writeLong(e.getValue());
      }
      out.writeInt(delivered.size());
      for (ChunkId c : delivered.values()) {
        out.writeInt(c.bucket());
        out.writeInt(c.partition());
        out.writeUTF(c.groupKey());
        out.writeLong(c.sequence());
      }
      out.writeInt(partials.size());
      for (Partial p : partials.values()) {
        out.writeInt(p.chunk().bucket());
        out.writeInt(p.chunk().partition());
        out.writeUTF(p.chunk().groupKey());
        out.writeLong(p.chunk().sequence());
        out.writeInt(p.eventsDelivered());
      }
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e); // a byte array does not fail
    }
    return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(bytes.toByteArray());
  }

  /**
   * Reads a position back from its {@link #token()}.
   *
   * @throws InvalidFieldException when the token is not one, or names an impossible position
   */
  public static ReadPosition fromToken(String token) {
    Checks.required("position.token", token);
    try (java.io.DataInputStream in = new java.io.DataInputStream(new java.io.ByteArrayInputStream(java.util.Base64.getUrlDecoder().decode(token)))) {
      int version = in.readUnsignedByte();
      if (version != TOKEN_VERSION && version != 1) {
        throw new InvalidFieldException("position.token", "version " + version, "version 1 or " + TOKEN_VERSION);
      }
      boolean v2 = version == 2;
      JobId job = new JobId(in.readUTF());
      boolean hasGroup = in.readBoolean();
      String groupKey = in.readUTF();
      long[] t = {in.readLong(), in.readLong(), in.readLong(), in.readLong(), in.readLong()};
      int partition = v2 ? in.readInt() : -1;
      TreeMap<Integer, Long> highs = new TreeMap<>();
      if (v2) {
        for (int i = 0, n = partitionCount(in.readInt()); i < n; i++) {
          highs.put(in.readInt(), in.readLong());
        }
      }
      Tally tally = new Tally(t[0], t[1], t[2], t[3], t[4], highs);
      TreeMap<Integer, ChunkId> delivered = new TreeMap<>();
      for (int i = 0, n = count(in.readInt()); i < n; i++) {
        int bucket = in.readInt();
        ChunkId c = new ChunkId(job, v2 ? in.readInt() : 0, bucket, in.readUTF(), in.readLong());
        delivered.put(c.bucket(), c);
      }
      TreeMap<Integer, Partial> partials = new TreeMap<>();
      for (int i = 0, n = count(in.readInt()); i < n; i++) {
        int bucket = in.readInt();
        Partial p = new Partial(new ChunkId(job, v2 ? in.readInt() : 0, bucket, in.readUTF(), in.readLong()), in.readInt());
        partials.put(p.chunk().bucket(), p);
      }
      if (in.read() != -1) {
        throw new InvalidFieldException("position.token", token, "nothing after the last partial chunk");
      }
      return new ReadPosition(job, hasGroup ? Optional.of(groupKey) : Optional.empty(),
          partition < 0 ? OptionalInt.empty() : OptionalInt.of(partition), delivered, partials, tally);
    } catch (java.io.IOException | IllegalArgumentException e) {
      if (e instanceof InvalidFieldException invalid) {
        throw invalid;
      }
      throw new InvalidFieldException("position.token", token, "a token a reader's position wrote (" + e.getMessage() + ")");
    }
  }

  private static int count(int n) {
    if (n < 0 || n > io.spillway.domain.job.Job.MAX_BUCKETS) {
      throw new InvalidFieldException("position.token", n + " buckets", "0.." + io.spillway.domain.job.Job.MAX_BUCKETS);
    }
    return n;
  }

  private static int partitionCount(int n) {
    if (n < 0 || n > io.spillway.domain.job.Job.MAX_PARTITIONS) {
      throw new InvalidFieldException("position.token", n + " partitions", "0.." + io.spillway.domain.job.Job.MAX_PARTITIONS);
    }
    return n;
  }

  private static void belongs(String field, ChunkId chunk, JobId job, Optional<String> group, OptionalInt partition) {
    Checks.required(field, chunk);
    if (!chunk.jobId().equals(job) || group.map(g -> !g.equals(chunk.groupKey())).orElse(false)
        || (partition.isPresent() && partition.getAsInt() != chunk.partition())) {
      throw new InvalidFieldException(field, chunk, "a chunk of job " + job + group.map(g -> ", group " + g).orElse("")
          + (partition.isPresent() ? ", partition " + partition.getAsInt() : ""));
    }
  }
}
