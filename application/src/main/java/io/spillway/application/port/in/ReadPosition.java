package io.spillway.application.port.in;

import io.spillway.domain.Checks;
import io.spillway.domain.InvalidFieldException;
import io.spillway.domain.chunk.ChunkId;
import io.spillway.domain.chunk.StoredItemLayout;
import io.spillway.domain.job.JobId;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
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
 * @param delivered per bucket, the last chunk whose every event was delivered
 * @param partials per bucket, the chunk a caller stopped inside, if it did
 * @param tally what the chunks delivered whole add up to
 */
public record ReadPosition(JobId job, Optional<String> group, Map<Integer, ChunkId> delivered, Map<Integer, Partial> partials, Tally tally) {

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
   * checksums ({@link io.spillway.domain.manifest.DatasetChecksum}), and the lowest and highest
   * chunk sequence among them ({@code -1} when none), which a group read checks for gaps.
   */
  public record Tally(long chunks, long events, long checksum, long lowestSequence, long highestSequence) {
    public static final Tally NONE = new Tally(0, 0, 0, -1, -1);

    public Tally {
      if (chunks < 0 || events < chunks) {
        throw new InvalidFieldException("tally.chunks/events", chunks + "/" + events, "0 <= chunks <= events");
      }
      if ((chunks == 0) != (lowestSequence == -1) || lowestSequence > highestSequence || (chunks > 0 && lowestSequence < 0)) {
        throw new InvalidFieldException("tally.sequences", lowestSequence + ".." + highestSequence, "-1..-1 with no chunks, else 0 <= lowest <= highest");
      }
    }
  }

  public ReadPosition {
    Checks.required("position.job", job);
    Checks.required("position.group", group);
    Checks.required("position.delivered", delivered);
    Checks.required("position.partials", partials);
    Checks.required("position.tally", tally);
    TreeMap<Integer, ChunkId> copy = new TreeMap<>();
    delivered.forEach((bucket, chunk) -> {
      belongs("position.delivered", chunk, job, group);
      if (chunk.bucket() != bucket) {
        throw new InvalidFieldException("position.delivered", bucket + " -> " + chunk, "each chunk under its own bucket");
      }
      copy.put(bucket, chunk);
    });
    TreeMap<Integer, Partial> partialCopy = new TreeMap<>();
    partials.forEach((bucket, p) -> {
      Checks.required("position.partials", p);
      belongs("position.partials", p.chunk(), job, group);
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

  /** Whether nothing has been delivered from here. */
  public boolean atStart() {
    return delivered.isEmpty() && partials.isEmpty();
  }

  private static final int TOKEN_VERSION = 1;

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
      out.writeInt(delivered.size());
      for (ChunkId c : delivered.values()) {
        out.writeInt(c.bucket());
        out.writeUTF(c.groupKey());
        out.writeLong(c.sequence());
      }
      out.writeInt(partials.size());
      for (Partial p : partials.values()) {
        out.writeInt(p.chunk().bucket());
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
      if (version != TOKEN_VERSION) {
        throw new InvalidFieldException("position.token", "version " + version, "version " + TOKEN_VERSION);
      }
      JobId job = new JobId(in.readUTF());
      boolean hasGroup = in.readBoolean();
      String groupKey = in.readUTF();
      Tally tally = new Tally(in.readLong(), in.readLong(), in.readLong(), in.readLong(), in.readLong());
      TreeMap<Integer, ChunkId> delivered = new TreeMap<>();
      for (int i = 0, n = count(in.readInt()); i < n; i++) {
        ChunkId c = new ChunkId(job, in.readInt(), in.readUTF(), in.readLong());
        delivered.put(c.bucket(), c);
      }
      TreeMap<Integer, Partial> partials = new TreeMap<>();
      for (int i = 0, n = count(in.readInt()); i < n; i++) {
        Partial p = new Partial(new ChunkId(job, in.readInt(), in.readUTF(), in.readLong()), in.readInt());
        partials.put(p.chunk().bucket(), p);
      }
      if (in.read() != -1) {
        throw new InvalidFieldException("position.token", token, "nothing after the last partial chunk");
      }
      return new ReadPosition(job, hasGroup ? Optional.of(groupKey) : Optional.empty(), delivered, partials, tally);
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

  private static void belongs(String field, ChunkId chunk, JobId job, Optional<String> group) {
    Checks.required(field, chunk);
    if (!chunk.jobId().equals(job) || group.map(g -> !g.equals(chunk.groupKey())).orElse(false)) {
      throw new InvalidFieldException(field, chunk, "a chunk of job " + job + group.map(g -> ", group " + g).orElse(""));
    }
  }
}
