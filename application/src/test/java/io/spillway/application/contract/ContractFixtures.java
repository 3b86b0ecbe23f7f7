package io.spillway.application.contract;

import io.spillway.application.codec.Codecs;
import io.spillway.domain.chunk.Chunk;
import io.spillway.domain.chunk.ChunkAssembler;
import io.spillway.domain.chunk.ChunkFormat;
import io.spillway.domain.chunk.Codec;
import io.spillway.domain.chunk.StoredItemLayout;
import io.spillway.domain.event.Event;
import io.spillway.domain.job.JobId;
import io.spillway.domain.testing.DomainArbitraries;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Real chunks for the out-port contracts, cut by a {@link ChunkAssembler} writing zstd: one job
 * whose groups land, two chunks each, in every one of its buckets, a second job with the same groups
 * and buckets (which must never leak into the first), and a few near-limit chunks.
 *
 * <p>The groups are chosen to catch key-layout mistakes: {@code "eu"} is a prefix of
 * {@code "eu-west"}; {@code "ｅｕ"} and {@code "🌍eu"} have the same UTF-8 length but sort one way by
 * UTF-8 bytes (as DynamoDB sorts string keys) and the other way by UTF-16 units (as
 * {@link String#compareTo} does). With {@value #BUCKETS} buckets, bucket 1 is a string prefix of
 * buckets 10 and 11 in the partition key. The chunks are built once; treat them as read-only
 * (use {@link #copyOf(Chunk)} before mutating bytes).
 */
public final class ContractFixtures {
  private ContractFixtures() {}

  public static final JobId JOB = JobId.of("job-contract");
  /** Same groups, same buckets, an id that {@link #JOB}'s is a prefix of. */
  public static final JobId OTHER_JOB = JobId.of("job-contract-2");
  /** A one-bucket job of near-limit chunks (more than one DynamoDB query page in one bucket). */
  public static final JobId BIG_JOB = JobId.of("job-contract-big");

  public static final int BUCKETS = 12;
  /** Chunks per group: sequences 0..ROUNDS-1, so each group has two chunks in every bucket. */
  public static final int ROUNDS = 2 * BUCKETS;
  public static final int EVENTS_PER_CHUNK = 3;

  public static final String EU = "eu";
  public static final String EU_WEST = "eu-west";
  /** Incompressible payloads: chunks of several write units each. */
  public static final String US = "us";
  /** Fullwidth "ｅｕ": 6 UTF-8 bytes starting 0xEF, UTF-16 units 0xFF45 0xFF55. */
  public static final String FULLWIDTH_EU = "\uFF45\uFF55";
  /** "🌍eu": 6 UTF-8 bytes starting 0xF0, UTF-16 units starting with the surrogate 0xD83C. */
  public static final String GLOBE_EU = "\uD83C\uDF0Deu";
  public static final List<String> GROUPS = List.of(EU, EU_WEST, US, FULLWIDTH_EU, GLOBE_EU);

  /** The instant the fixtures' events and assemblers use; never the wall clock. */
  public static final Instant T0 = Instant.parse("2025-06-01T12:00:00Z");

  private static final Codec ZSTD = Codecs.standard().writer();
  private static final int BIG_PAYLOAD_BYTES = 380_000;

  private static List<Chunk> jobChunks;
  private static List<Chunk> otherJobChunks;
  private static Chunk rival;
  private static List<Chunk> bigChunks;

  /** Every chunk of {@link #JOB}: {@link #ROUNDS} per group, in the order the assembler cut them. */
  public static synchronized List<Chunk> jobChunks() {
    if (jobChunks == null) {
      jobChunks = assembleRounds(JOB, ROUNDS, 0);
    }
    return jobChunks;
  }

  /** Chunks of {@link #OTHER_JOB}: same groups and buckets, different events. */
  public static synchronized List<Chunk> otherJobChunks() {
    if (otherJobChunks == null) {
      otherJobChunks = assembleRounds(OTHER_JOB, BUCKETS, 1_000_000);
    }
    return otherJobChunks;
  }

  /** The first {@link #EU} chunk of {@link #JOB} (sequence 0). */
  public static Chunk firstEuChunk() {
    return jobChunks().stream().filter(c -> c.id().groupKey().equals(EU) && c.id().sequence() == 0).findFirst().orElseThrow();
  }

  /**
   * A chunk with {@link #firstEuChunk()}'s identity but other events, hence other bytes: what a
   * producer that re-cut its data differently after a crash would send.
   */
  public static synchronized Chunk rivalOfFirstEuChunk() {
    if (rival == null) {
      ChunkAssembler assembler = new ChunkAssembler(JOB, BUCKETS, ZSTD, ChunkAssembler.Settings.defaults());
      for (int i = 0; i < EVENTS_PER_CHUNK + 2; i++) {
        assembler.add(event(JOB, 5_000_000 + i, EU, DomainArbitraries.jsonLike(~i, 280)), T0);
      }
      List<Chunk> cut = assembler.flushAll();
      rival = cut.get(0);
      if (!rival.id().equals(firstEuChunk().id()) || Arrays.equals(rival.record(), firstEuChunk().record())) {
        throw new IllegalStateException("fixture broken: rival " + rival + " vs " + firstEuChunk());
      }
    }
    return rival;
  }

  /** Four chunks of about 380 KB in bucket 0 of {@link #BIG_JOB}: 1.5 MB, more than one query page. */
  public static synchronized List<Chunk> bigChunks() {
    if (bigChunks == null) {
      ChunkAssembler assembler = new ChunkAssembler(BIG_JOB, 1, ZSTD, ChunkAssembler.Settings.defaults());
      List<Chunk> out = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        out.addAll(assembler.add(event(BIG_JOB, i, "big", DomainArbitraries.randomBytes(i, BIG_PAYLOAD_BYTES)), T0));
        out.addAll(assembler.flushAll());
      }
      bigChunks = List.copyOf(out);
    }
    return bigChunks;
  }

  /** The chunks of the list stored in the bucket, in the order the store must return them. */
  public static List<Chunk> inBucket(List<Chunk> chunks, int bucket) {
    return chunks.stream().filter(c -> c.id().bucket() == bucket).sorted(SORT_KEY_ORDER).toList();
  }

  /** As {@link #inBucket}, of one group only. */
  public static List<Chunk> inBucket(List<Chunk> chunks, int bucket, String group) {
    return inBucket(chunks, bucket).stream().filter(c -> c.id().groupKey().equals(group)).toList();
  }

  /**
   * The order of a bucket's items as DynamoDB returns them: by sort key compared as UTF-8 bytes
   * (which is Unicode code point order, not {@link String#compareTo}'s UTF-16 order).
   */
  public static final Comparator<Chunk> SORT_KEY_ORDER =
      Comparator.comparing(c -> StoredItemLayout.sortKey(c.id()).getBytes(StandardCharsets.UTF_8), Arrays::compareUnsigned);

  /** A fresh, independent copy of the chunk (its own record array). */
  public static Chunk copyOf(Chunk chunk) {
    return ChunkFormat.parse(chunk.record().clone());
  }

  /** Bytes the chunk takes in a PutRecords call: data plus partition key. */
  public static long streamBytes(Chunk chunk) {
    return chunk.record().length + chunk.id().streamPartitionKey().getBytes(StandardCharsets.UTF_8).length;
  }

  /** Chunks repeated cyclically to the count (a stream takes the same chunk twice as two records). */
  public static List<Chunk> cycle(List<Chunk> chunks, int count) {
    List<Chunk> out = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      out.add(chunks.get(i % chunks.size()));
    }
    return out;
  }

  public static Event event(JobId job, long sequence, String group, byte[] payload) {
    return new Event(job, sequence, "e-" + sequence, T0.plusMillis(sequence), sequence % 2 == 0 ? "click" : "view", group, 1, payload);
  }

  /** One chunk per group of each of partitions 0..partitions-1 of {@link #JOB}, same groups, other events. */
  public static List<Chunk> partitionChunks(int partitions) {
    List<Chunk> out = new ArrayList<>();
    for (int p = 0; p < partitions; p++) {
      ChunkAssembler assembler = new ChunkAssembler(JOB, p, BUCKETS, ZSTD, ChunkAssembler.Settings.defaults());
      long sequence = 0;
      for (String group : GROUPS) {
        for (int i = 0; i < 3; i++) {
          out.addAll(assembler.add(event(JOB, sequence, group, DomainArbitraries.jsonLike(1000L * p + sequence, 300)).inPartition(p), T0));
          sequence++;
        }
      }
      out.addAll(assembler.flushAll());
    }
    return List.copyOf(out);
  }

  /** Each round adds {@link #EVENTS_PER_CHUNK} events per group and flushes: one chunk per group per round. */
  private static List<Chunk> assembleRounds(JobId job, int rounds, long seed) {
    ChunkAssembler assembler = new ChunkAssembler(job, BUCKETS, ZSTD, ChunkAssembler.Settings.defaults());
    List<Chunk> out = new ArrayList<>();
    long sequence = 0;
    for (int round = 0; round < rounds; round++) {
      for (String group : GROUPS) {
        for (int i = 0; i < EVENTS_PER_CHUNK; i++) {
          byte[] payload = group.equals(US)
              ? DomainArbitraries.randomBytes(seed + sequence, 700 + 300 * (round % 5))
              : DomainArbitraries.jsonLike(seed + sequence, 300);
          out.addAll(assembler.add(event(job, sequence++, group, payload), T0));
        }
      }
      out.addAll(assembler.flushAll());
    }
    if (out.size() != rounds * GROUPS.size()) {
      throw new IllegalStateException("fixture broken: expected one chunk per group and round, got " + out.size());
    }
    return List.copyOf(out);
  }
}
