package io.spillway.application.service;

import io.spillway.application.port.in.DatasetNotAvailableException;
import io.spillway.application.port.out.Chunks;
import io.spillway.application.port.out.Jobs;
import io.spillway.application.port.out.StoredItem;
import io.spillway.domain.chunk.Chunk;
import io.spillway.domain.chunk.ChunkFormat;
import io.spillway.domain.chunk.ChunkId;
import io.spillway.domain.chunk.CodecRegistry;
import io.spillway.domain.chunk.CorruptChunkException;
import io.spillway.domain.chunk.StoredItemLayout;
import io.spillway.domain.job.Job;
import io.spillway.domain.job.JobId;
import io.spillway.domain.manifest.DatasetChecksum;
import io.spillway.domain.manifest.Manifest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * Re-reads every stored chunk of a job and says what is wrong with it, item by item: a record that
 * fails its CRC or its envelope walk, an item whose record names another chunk, a chunk missing from
 * its group's dense sequence, and totals (chunks, events, checksum) that differ from the manifest.
 * Unlike a read, it does not stop at the first damaged chunk.
 */
public final class DatasetVerification {
  private final Jobs jobs;
  private final Chunks chunks;
  private final CodecRegistry codecs;

  public DatasetVerification(Jobs jobs, Chunks chunks, CodecRegistry codecs) {
    this.jobs = jobs;
    this.chunks = chunks;
    this.codecs = codecs;
  }

  /** What kind of damage a {@link Problem} is. */
  public enum Kind {
    /** The record does not parse, fails its CRC32C, or its envelope does not decode as it declares. */
    CORRUPT,
    /** The record is sound but names another chunk than the item's key, or a bucket its group does not use. */
    MISPLACED,
    /** No item where the group's dense chunk sequence says one must be. */
    MISSING,
    /** The totals differ from the manifest (chunks, events or checksum). */
    MANIFEST_MISMATCH
  }

  /** One finding, with the item's key ({@code pk / sk}) where there is one. */
  public record Problem(Kind kind, String key, String detail) {}

  /**
   * What a verification found.
   *
   * @param manifest the manifest compared against; empty for a job not sealed yet (only the items are checked)
   * @param chunksSound the items that parsed, verified and sit under their own key
   * @param events the events in those chunks
   * @param checksum the dataset checksum of those chunks
   */
  public record Report(Job job, Optional<Manifest> manifest, long itemsRead, long chunksSound, long events, long checksum,
      List<Problem> problems) {
    /** True when nothing is wrong: every item sound and, for a sealed job, the totals equal to the manifest's. */
    public boolean sound() {
      return problems.isEmpty();
    }
  }

  /**
   * Verifies the job's stored chunks.
   *
   * @throws DatasetNotAvailableException when no such job exists
   */
  public Report verify(JobId id) {
    Job job = jobs.find(id).orElseThrow(() -> new DatasetNotAvailableException("job " + id + " does not exist"));
    Optional<Manifest> manifest = jobs.manifest(id);
    int buckets = manifest.map(Manifest::buckets).orElse(job.buckets());
    List<Problem> problems = new ArrayList<>();
    DatasetChecksum checksum = new DatasetChecksum();
    // per partition and group, the chunk sequences whose keys are stored
    Map<Map.Entry<Integer, String>, TreeSet<Long>> sequences = new TreeMap<>(
        Map.Entry.<Integer, String>comparingByKey().thenComparing(Map.Entry.comparingByValue()));
    long items = 0;
    for (int bucket = 0; bucket < buckets; bucket++) {
      try (Stream<StoredItem> stored = chunks.items(id, bucket)) {
        for (StoredItem item : (Iterable<StoredItem>) stored::iterator) {
          items++;
          int b = bucket;
          Optional<ChunkId> place = keyOf(id, b, item.sortKey());
          place.ifPresent(p -> sequences.computeIfAbsent(Map.entry(p.partition(), p.groupKey()), g -> new TreeSet<>()).add(p.sequence()));
          Chunk chunk;
          try {
            chunk = ChunkFormat.parse(item.record());
            ChunkFormat.verify(chunk, codecs);
          } catch (CorruptChunkException e) {
            problems.add(new Problem(Kind.CORRUPT, item.key(), e.reason() + ": " + e.getMessage()));
            continue;
          }
          ChunkId cid = chunk.id();
          boolean ownKey = cid.jobId().equals(id) && StoredItemLayout.partitionKey(cid).equals(item.partitionKey())
              && StoredItemLayout.sortKey(cid).equals(item.sortKey());
          if (!ownKey) {
            problems.add(new Problem(Kind.MISPLACED, item.key(), "the record is chunk " + cid));
            continue;
          }
          if (cid.bucket() != ChunkId.bucketFor(cid.groupKey(), cid.partition(), cid.sequence(), buckets)) {
            problems.add(new Problem(Kind.MISPLACED, item.key(), "chunk " + cid + " belongs in bucket "
                + ChunkId.bucketFor(cid.groupKey(), cid.partition(), cid.sequence(), buckets) + " of " + buckets));
            continue;
          }
          checksum.add(chunk);
        }
      }
    }
    long gaps = 0;
    for (Map.Entry<Map.Entry<Integer, String>, TreeSet<Long>> group : sequences.entrySet()) {
      long expected = 0;
      int partition = group.getKey().getKey();
      String groupKey = group.getKey().getValue();
      for (long sequence : group.getValue()) {
        for (; expected < sequence; expected++) {
          ChunkId missing = ChunkId.of(id, partition, groupKey, expected, buckets);
          problems.add(new Problem(Kind.MISSING, StoredItemLayout.partitionKey(missing) + " / " + StoredItemLayout.sortKey(missing),
              "chunk " + expected + " of group " + groupKey + (partition == 0 ? "" : " in partition " + partition)
                  + " is not stored (chunk " + sequence + " is)"));
          gaps++;
        }
        expected = sequence + 1;
      }
    }
    if (manifest.isPresent()) {
      Manifest m = manifest.get();
      long unlocated = m.chunkCount() - items - gaps;
      if (unlocated > 0) {
        problems.add(new Problem(Kind.MISSING, "", unlocated + " more chunk(s) missing: the manifest promises " + m.chunkCount()
            + " and " + items + " are stored; they are the last of their groups, so their keys cannot be named"));
      }
      if (checksum.chunks() != m.chunkCount() || checksum.events() != m.eventCount() || checksum.value() != m.datasetChecksum()) {
        problems.add(new Problem(Kind.MANIFEST_MISMATCH, "", String.format(
            "sound chunks add up to %d chunks / %d events / checksum %016x; the manifest promises %d / %d / %016x",
            checksum.chunks(), checksum.events(), checksum.value(), m.chunkCount(), m.eventCount(), m.datasetChecksum())));
      }
    }
    return new Report(job, manifest, items, checksum.chunks(), checksum.events(), checksum.value(), List.copyOf(problems));
  }

  /** The chunk a sort key names, when it is a well-formed chunk key (a damaged key is reported by its item). */
  private static Optional<ChunkId> keyOf(JobId job, int bucket, String sortKey) {
    try {
      return Optional.of(StoredItemLayout.chunkId(job, bucket, sortKey));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }
}
