package io.spillway.adapters.inmemory;

import io.spillway.application.port.out.Chunks;
import io.spillway.application.port.out.StoredItem;
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
 *
 * <p>Reads are charged to the table's read capacity as {@code DynamoDbChunks} makes them: a
 * Query's items summed per page of at most 1 MB and rounded up to 4 KB, one read unit per 4 KB
 * strongly consistent ({@link #read}, {@link #readAfter}, {@link #items}) or half a unit from the
 * keys-only index, eventually consistent ({@link #count}, {@link #storedIds}: an index item is its
 * key attributes, names and values). The index's reads are charged to the table's read capacity
 * and partitions, though AWS gives a global secondary index capacity of its own. A read the table
 * refuses is counted ({@link TableCapacity#readsThrottled}) and then charged as the SDK's retry
 * would be once it succeeded — the read itself succeeds and no time passes: the port has no
 * throttled outcome for reads, and the adapter contract stays that of a store that answers.
 */
public final class InMemoryChunks implements Chunks {
  /**
   * DynamoDB orders string sort keys by their UTF-8 bytes, which is code point order;
   * {@link String#compareTo} compares UTF-16 units and puts U+10000.. before U+E000..U+FFFF.
   */
  static final Comparator<String> UTF8_ORDER = StoredItemLayout::compareSortKeys;


  private static final byte[] NOT_KEPT = new byte[0];
  /** DynamoDB's page size: a Query reads at most 1 MB before it returns a page. */
  static final int QUERY_PAGE_BYTES = 1 << 20;

  /** A stored item: its record (or {@link #NOT_KEPT}) and its size as DynamoDB counts it. */
  private record Item(byte[] record, int size) {}

  private final Map<String, NavigableMap<String, Item>> partitions = new HashMap<>();
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
      NavigableMap<String, Item> partition = partitions.computeIfAbsent(pk, k -> new TreeMap<>(UTF8_ORDER));
      if (partition.containsKey(sk)) {
        duplicates++;
        return new PutOutcome.AlreadyPresent(units);
      }
      partition.put(sk, new Item(keepRecords ? chunk.record().clone() : NOT_KEPT, size));
      written++;
      storedBytes += size;
      capacity.stored(pk, size);
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
    String pk = StoredItemLayout.partitionKey(job.value(), bucket);
    synchronized (this) {
      NavigableMap<String, Item> partition = partitions.get(pk);
      if (partition == null) {
        chargeQuery(pk, List.of(), true);
        return Stream.empty();
      }
      NavigableMap<String, Item> range = group
          .map(g -> {
            String prefix = StoredItemLayout.groupPrefix(g);
            return partition.subMap(prefix, true, prefix + Character.MAX_VALUE, false);
          })
          .orElse(partition);
      if (afterKey.isPresent()) {
        range = range.tailMap(afterKey.get(), false);
      }
      records = new ArrayList<>(range.size());
      List<Integer> sizes = new ArrayList<>(range.size());
      for (Item item : range.values()) {
        records.add(item.record());
        sizes.add(item.size());
      }
      chargeQuery(pk, sizes, true);
    }
    // a copy per read, as a real store hands out fresh bytes: a reader cannot change what is stored
    return records.stream().map(r -> ChunkFormat.parse(r.clone()));
  }

  @Override
  public synchronized long count(JobId job, int bucket) {
    String pk = StoredItemLayout.partitionKey(job.value(), bucket);
    NavigableMap<String, Item> partition = partitions.get(pk);
    chargeIndexQuery(pk, partition);
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
      NavigableMap<String, Item> partition = partitions.get(pk);
      if (partition == null) {
        chargeQuery(pk, List.of(), true);
        return Stream.empty();
      }
      List<Integer> sizes = new ArrayList<>(partition.size());
      partition.forEach((sk, item) -> {
        items.add(new StoredItem(pk, sk, item.record().clone()));
        sizes.add(item.size());
      });
      chargeQuery(pk, sizes, true);
    }
    return items.stream();
  }

  /** From the keys alone, as a keys-only index answers (a keys-only table answers too). */
  @Override
  public Stream<ChunkId> storedIds(JobId job, int bucket) {
    List<ChunkId> ids = new ArrayList<>();
    String pk = StoredItemLayout.partitionKey(job.value(), bucket);
    synchronized (this) {
      NavigableMap<String, Item> partition = partitions.get(pk);
      chargeIndexQuery(pk, partition);
      if (partition == null) {
        return Stream.empty();
      }
      partition.keySet().forEach(sk -> ids.add(StoredItemLayout.chunkId(job, bucket, sk)));
    }
    return ids.stream();
  }

  @Override
  public synchronized long deleteAll(JobId job, int bucket) {
    String pk = StoredItemLayout.partitionKey(job.value(), bucket);
    NavigableMap<String, Item> partition = partitions.remove(pk);
    chargeIndexQuery(pk, partition);
    if (partition == null) {
      return 0;
    }
    written -= partition.size();
    capacity.stored(pk, -partition.values().stream().mapToLong(Item::size).sum());
    return partition.size();
  }

  /** Deletes a stored item (tests of chunks missing at rest). */
  public synchronized void remove(ChunkId id) {
    String pk = StoredItemLayout.partitionKey(id);
    NavigableMap<String, Item> partition = partitions.get(pk);
    Item removed = partition == null ? null : partition.remove(StoredItemLayout.sortKey(id));
    if (removed != null) {
      written--;
      capacity.stored(pk, -removed.size());
    }
  }

  /** Replaces a stored record's bytes (tests of corruption at rest). */
  public synchronized void corrupt(Chunk chunk, byte[] replacement) {
    NavigableMap<String, Item> partition = partitions.get(StoredItemLayout.partitionKey(chunk.id()));
    String sk = StoredItemLayout.sortKey(chunk.id());
    partition.put(sk, new Item(replacement, partition.get(sk).size()));
  }

  /** A Query of the keys-only index over {@code pk}: each item its keys, eventually consistent. */
  private void chargeIndexQuery(String pk, NavigableMap<String, Item> partition) {
    List<Integer> sizes = new ArrayList<>(partition == null ? 0 : partition.size());
    if (partition != null) {
      int pkBytes = utf8Length(StoredItemLayout.PARTITION_KEY) + utf8Length(pk) + utf8Length(StoredItemLayout.SORT_KEY);
      for (String sk : partition.keySet()) {
        sizes.add(pkBytes + utf8Length(sk));
      }
    }
    chargeQuery(pk, sizes, false);
  }

  /** Charges a Query that read items of these sizes under {@code pk}: per 1 MB page, rounded up to 4 KB. */
  private void chargeQuery(String pk, List<Integer> sizes, boolean stronglyConsistent) {
    double units = queryReadUnits(sizes, stronglyConsistent);
    java.time.Instant now = clock.now();
    if (!capacity.tryRead(pk, units, now)) {
      capacity.chargeRead(pk, units, now);
    }
  }

  /** Read units of a Query that reads items of these sizes: each 1 MB page's sum rounded up to 4 KB, at least one block. */
  static double queryReadUnits(List<Integer> sizes, boolean stronglyConsistent) {
    double units = 0;
    long page = 0;
    boolean pageOpen = false;
    for (int size : sizes) {
      if (pageOpen && page + size > QUERY_PAGE_BYTES) {
        units += TableCapacity.readUnits(page, stronglyConsistent);
        page = 0;
      }
      page += size;
      pageOpen = true;
    }
    return units + TableCapacity.readUnits(page, stronglyConsistent);
  }

  private static int utf8Length(String s) {
    int n = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        n++;
      } else if (c < 0x800) {
        n += 2;
      } else if (Character.isHighSurrogate(c)) {
        n += 4;
        i++;
      } else {
        n += 3;
      }
    }
    return n;
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
