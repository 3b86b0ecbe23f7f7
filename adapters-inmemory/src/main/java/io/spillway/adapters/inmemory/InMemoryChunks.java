package io.spillway.adapters.inmemory;

import io.spillway.application.port.out.Chunks;
import io.spillway.application.port.out.StoredItem;
import io.spillway.domain.chunk.ChunkId;
import io.spillway.application.port.out.Clock;
import io.spillway.application.port.out.PutOutcome;
import io.spillway.domain.chunk.Chunk;
import io.spillway.domain.chunk.ChunkFormat;
import io.spillway.domain.chunk.ChunkId;
import io.spillway.domain.chunk.StoredItemLayout;
import io.spillway.domain.job.JobId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The chunk table in memory: items under the same partition and sort keys the DynamoDB store
 * uses, the 409,600-byte item limit, conditional puts, write units charged per started KB (a
 * failed condition too) and {@link TableCapacity} throttling.
 */
public final class InMemoryChunks implements Chunks {
  /**
   * DynamoDB orders string sort keys by their UTF-8 bytes, which is code point order;
   * {@link String#compareTo} compares UTF-16 units and puts U+10000.. before U+E000..U+FFFF.
   */
  static final Comparator<String> UTF8_ORDER = StoredItemLayout::compareSortKeys;


  private static final byte[] NOT_KEPT = new byte[0];

  private final Map<String, NavigableMap<String, byte[]>> partitions = new HashMap<>();
  private final TableCapacity capacity;
  private final Clock clock;
  private final boolean keepRecords;
  private long written;
  private long duplicates;
  private long storedBytes;

  public InMemoryChunks(TableCapacity capacity, Clock clock) {
    this(capacity, clock, true);
  }

  private InMemoryChunks(TableCapacity capacity, Clock clock, boolean keepRecords) {
    this.capacity = capacity;
    this.clock = clock;
    this.keepRecords = keepRecords;
  }

  /**
   * A table that keeps every item's key and size but not its bytes: conditional puts, capacity,
   * counts and availability behave as in {@link #InMemoryChunks(TableCapacity, Clock)}; reading
   * chunks back is refused. For simulations of days of jobs, where only sizes matter.
   */
  public static InMemoryChunks keysOnly(TableCapacity capacity, Clock clock) {
    return new InMemoryChunks(capacity, clock, false);
  }

  @Override
  public PutOutcome putIfAbsent(Chunk chunk) {
    int size = chunk.storedItemSize();
    if (size > StoredItemLayout.ITEM_LIMIT_BYTES) {
      throw new IllegalArgumentException("item " + chunk.id() + " is " + size + " bytes; DynamoDB's limit is " + StoredItemLayout.ITEM_LIMIT_BYTES);
    }
    String pk = StoredItemLayout.partitionKey(chunk.id());
    String sk = StoredItemLayout.sortKey(chunk.id());
    int units = StoredItemLayout.writeUnits(size);
    if (!capacity.tryConsume(pk, units, clock.now())) {
      return new PutOutcome.Throttled("ProvisionedThroughputExceeded on " + pk);
    }
    synchronized (this) {
      NavigableMap<String, byte[]> partition = partitions.computeIfAbsent(pk, k -> new TreeMap<>(UTF8_ORDER));
      if (partition.containsKey(sk)) {
        duplicates++;
        return new PutOutcome.AlreadyPresent(units);
      }
      partition.put(sk, keepRecords ? chunk.record().clone() : NOT_KEPT);
      written++;
      storedBytes += size;
      return new PutOutcome.Written(units);
    }
  }

  @Override
  public Stream<Chunk> read(JobId job, int bucket, Optional<String> group) {
    return read(job, bucket, group, Optional.empty());
  }

  @Override
  public Stream<Chunk> readAfter(JobId job, int bucket, Optional<String> group, ChunkId after) {
    return read(job, bucket, group, Optional.of(StoredItemLayout.sortKey(after)));
  }

  private Stream<Chunk> read(JobId job, int bucket, Optional<String> group, Optional<String> afterKey) {
    if (!keepRecords) {
      throw new IllegalStateException("this table keeps keys and sizes only (a simulation's); chunks cannot be read back");
    }
    List<byte[]> records;
    synchronized (this) {
      NavigableMap<String, byte[]> partition = partitions.get(StoredItemLayout.partitionKey(job.value(), bucket));
      if (partition == null) {
        return Stream.empty();
      }
      NavigableMap<String, byte[]> range = group
          .map(g -> {
            String prefix = StoredItemLayout.groupPrefix(g);
            return partition.subMap(prefix, true, prefix + Character.MAX_VALUE, false);
          })
          .orElse(partition);
      if (afterKey.isPresent()) {
        range = range.tailMap(afterKey.get(), false);
      }
      records = new ArrayList<>(range.values());
    }
    // a copy per read, as a real store hands out fresh bytes: a reader cannot change what is stored
    return records.stream().map(r -> ChunkFormat.parse(r.clone()));
  }

  @Override
  public synchronized long count(JobId job, int bucket) {
    NavigableMap<String, byte[]> partition = partitions.get(StoredItemLayout.partitionKey(job.value(), bucket));
    return partition == null ? 0 : partition.size();
  }

  @Override
  public Stream<StoredItem> items(JobId job, int bucket) {
    if (!keepRecords) {
      throw new IllegalStateException("this table keeps keys and sizes only (a simulation's); chunks cannot be read back");
    }
    String pk = StoredItemLayout.partitionKey(job.value(), bucket);
    List<StoredItem> items = new ArrayList<>();
    synchronized (this) {
      NavigableMap<String, byte[]> partition = partitions.get(pk);
      if (partition == null) {
        return Stream.empty();
      }
      partition.forEach((sk, record) -> items.add(new StoredItem(pk, sk, record.clone())));
    }
    return items.stream();
  }

  /** From the keys alone, as a keys-only index answers (a keys-only table answers too). */
  @Override
  public Stream<ChunkId> storedIds(JobId job, int bucket) {
    List<ChunkId> ids = new ArrayList<>();
    synchronized (this) {
      NavigableMap<String, byte[]> partition = partitions.get(StoredItemLayout.partitionKey(job.value(), bucket));
      if (partition == null) {
        return Stream.empty();
      }
      partition.keySet().forEach(sk -> ids.add(StoredItemLayout.chunkId(job, bucket, sk)));
    }
    return ids.stream();
  }

  @Override
  public synchronized long deleteAll(JobId job, int bucket) {
    NavigableMap<String, byte[]> partition = partitions.remove(StoredItemLayout.partitionKey(job.value(), bucket));
    if (partition == null) {
      return 0;
    }
    written -= partition.size();
    return partition.size();
  }

  /** Deletes a stored item (tests of chunks missing at rest). */
  public synchronized void remove(ChunkId id) {
    NavigableMap<String, byte[]> partition = partitions.get(StoredItemLayout.partitionKey(id));
    if (partition != null && partition.remove(StoredItemLayout.sortKey(id)) != null) {
      written--;
    }
  }

  /** Replaces a stored record's bytes (tests of corruption at rest). */
  public synchronized void corrupt(Chunk chunk, byte[] replacement) {
    partitions.get(StoredItemLayout.partitionKey(chunk.id())).put(StoredItemLayout.sortKey(chunk.id()), replacement);
  }

  public synchronized long itemsWritten() {
    return written;
  }

  /** Bytes of the items written (attribute names included), as DynamoDB bills storage. */
  public synchronized long storedBytes() {
    return storedBytes;
  }

  public synchronized long duplicatesSeen() {
    return duplicates;
  }

  public TableCapacity capacity() {
    return capacity;
  }
}
