package io.spillway.adapters.aws.dynamodb;

import io.spillway.application.port.out.Chunks;
import io.spillway.application.port.out.StoredItem;
import io.spillway.application.port.out.Clock;
import io.spillway.application.port.out.PutOutcome;
import io.spillway.domain.chunk.Chunk;
import io.spillway.domain.chunk.ChunkFormat;
import io.spillway.domain.chunk.ChunkId;
import io.spillway.domain.chunk.StoredItemLayout;
import io.spillway.domain.job.JobId;
import java.time.Duration;
import java.time.Instant;
import io.spillway.application.port.out.RetryableStoreException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Stream;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Capacity;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.PutItemResponse;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.Select;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Chunks in DynamoDB, one item each, laid out by {@link StoredItemLayout}: a conditional PutItem
 * ({@code attribute_not_exists(pk)}) makes a redelivery a duplicate, with the consumed capacity
 * recorded; reads Query one bucket's partition, page by page.
 *
 * <p>{@link #count} queries the table's KEYS_ONLY index {@value SpillwayTable#KEYS_INDEX}, which
 * holds each item's keys only (~100 bytes an item rather than ~400 KB a chunk): counting a bucket
 * costs about one read unit per 80 chunks. The index is eventually consistent, so a count may miss
 * a chunk stored a moment before; the availability sweep that calls it tries again later. On a
 * table created without the index (or while DynamoDB is still building it) the count falls back to
 * a Query of the table itself, which reads every chunk's bytes, and says so once in the log.
 */
public final class DynamoDbChunks implements Chunks {
  private static final Logger log = LoggerFactory.getLogger(DynamoDbChunks.class);
  /** How long counts go to the table before the index is tried again, once it was found missing. */
  static final Duration INDEX_RETRY = Duration.ofMinutes(10);

  private final SpillwayTable table;
  private final Clock clock;
  private final Optional<Duration> timeToLive;
  private final DoubleAdder indexWriteUnits = new DoubleAdder();
  private final DoubleAdder countReadUnits = new DoubleAdder();
  private final LongAdder countQueries = new LongAdder();
  private final DoubleAdder chunkReadUnits = new DoubleAdder();
  private final LongAdder readQueries = new LongAdder();
  private final AtomicBoolean warnedIndexMissing = new AtomicBoolean();
  private volatile Instant indexRetryAt = Instant.MIN;

  /**
   * Capacity this adapter consumed to keep chunks countable, to count them and to read them back,
   * as DynamoDB reported it (ReturnConsumedCapacity): the index's share of the puts, the count
   * queries and the chunk reads.
   * The chunks' own write units are in each {@link PutOutcome.Written}.
   *
   * @param indexWriteUnits write units the puts cost in the {@value SpillwayTable#KEYS_INDEX} index
   * @param countReadUnits read units of every count query, through the index or the table
   * @param countQueries count queries (pages) made
   * @param chunkReadUnits read units of the queries that read chunks back (datasets served)
   * @param readQueries those queries (pages) made
   */
  public record Consumed(double indexWriteUnits, double countReadUnits, long countQueries, double chunkReadUnits, long readQueries) {}

  /**
   * @param timeToLive when present, items carry a {@code ttl} attribute (epoch seconds) that far
   *     ahead, for DynamoDB's TTL to expire them
   */
  public DynamoDbChunks(SpillwayTable table, Clock clock, Optional<Duration> timeToLive) {
    this.table = table;
    this.clock = clock;
    this.timeToLive = timeToLive;
  }

  @Override
  public PutOutcome putIfAbsent(Chunk chunk) {
    Map<String, AttributeValue> item = new HashMap<>();
    item.put(StoredItemLayout.PARTITION_KEY, AttributeValue.fromS(StoredItemLayout.partitionKey(chunk.id())));
    item.put(StoredItemLayout.SORT_KEY, AttributeValue.fromS(StoredItemLayout.sortKey(chunk.id())));
    item.put(StoredItemLayout.CHUNK, AttributeValue.fromB(SdkBytes.fromByteArray(chunk.record())));
    timeToLive.ifPresent(ttl -> item.put(StoredItemLayout.TTL, AttributeValue.fromN(Long.toString(clock.now().plus(ttl).getEpochSecond()))));
    try {
      PutItemResponse response = table.client().putItem(r -> r
          .tableName(table.name())
          .item(item)
          .conditionExpression("attribute_not_exists(" + StoredItemLayout.PARTITION_KEY + ")")
          .returnConsumedCapacity(ReturnConsumedCapacity.INDEXES));
      ConsumedCapacity consumed = response.consumedCapacity();
      double indexUnits = consumed == null || consumed.globalSecondaryIndexes() == null ? 0
          : consumed.globalSecondaryIndexes().values().stream().map(Capacity::capacityUnits).filter(u -> u != null).mapToDouble(Double::doubleValue).sum();
      indexWriteUnits.add(indexUnits);
      // the outcome carries the table's units, what the write-rate governor budgets; the index's are recorded apart
      double units = consumed != null && consumed.table() != null && consumed.table().capacityUnits() != null ? consumed.table().capacityUnits()
          : consumed != null && consumed.capacityUnits() != null ? consumed.capacityUnits() - indexUnits
          : chunk.writeUnits();
      return new PutOutcome.Written(units);
    } catch (ConditionalCheckFailedException present) {
      // a failed condition is billed like the write; the exception carries no consumed capacity
      return new PutOutcome.AlreadyPresent(chunk.writeUnits());
    } catch (SdkException e) {
      if (Failures.isThrottling(e)) {
        return new PutOutcome.Throttled(e.getMessage());
      }
      if (Failures.isItemTooLarge(e)) {
        return new PutOutcome.Refused("ITEM_TOO_LARGE", "DynamoDB refused chunk " + chunk.id() + ": " + e.getMessage());
      }
      throw Failures.classify(table.name(), "PutItem of chunk " + chunk.id(), e);
    }
  }

  @Override
  public Stream<Chunk> read(JobId job, int bucket, Optional<String> group) {
    return read(job, bucket, group, Optional.empty());
  }

  /** Starts the Query at {@code after}'s key (ExclusiveStartKey), so nothing before it is read or billed. */
  @Override
  public Stream<Chunk> readAfter(JobId job, int bucket, Optional<String> group, ChunkId after) {
    return read(job, bucket, group, Optional.of(after));
  }

  private Stream<Chunk> read(JobId job, int bucket, Optional<String> group, Optional<ChunkId> after) {
    String prefix = group.map(StoredItemLayout::groupPrefix).orElse("C#");
    QueryRequest.Builder builder = QueryRequest.builder();
    after.ifPresent(a -> builder.exclusiveStartKey(Map.of(
        StoredItemLayout.PARTITION_KEY, AttributeValue.fromS(StoredItemLayout.partitionKey(job.value(), bucket)),
        StoredItemLayout.SORT_KEY, AttributeValue.fromS(StoredItemLayout.sortKey(a)))));
    QueryRequest query = builder
        .tableName(table.name())
        .keyConditionExpression("pk = :pk AND begins_with(sk, :prefix)")
        .expressionAttributeValues(Map.of(
            ":pk", AttributeValue.fromS(StoredItemLayout.partitionKey(job.value(), bucket)),
            ":prefix", AttributeValue.fromS(prefix)))
        .projectionExpression(StoredItemLayout.CHUNK)
        .consistentRead(true)
        .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL)
        .build();
    // pages are fetched while the caller consumes the stream: sort their failures there too
    String action = "Query of " + job + " bucket " + bucket;
    java.util.Iterator<software.amazon.awssdk.services.dynamodb.model.QueryResponse> pages;
    try {
      pages = table.client().queryPaginator(query).iterator();
    } catch (SdkException e) {
      throw Failures.classify(table.name(), action, e);
    }
    java.util.Iterator<Chunk> chunks = new java.util.Iterator<>() {
      private java.util.Iterator<Map<String, AttributeValue>> items = java.util.Collections.emptyIterator();

      @Override
      public boolean hasNext() {
        try {
          while (!items.hasNext() && pages.hasNext()) {
            var page = pages.next();
            readQueries.increment();
            if (page.consumedCapacity() != null && page.consumedCapacity().capacityUnits() != null) {
              chunkReadUnits.add(page.consumedCapacity().capacityUnits());
            }
            items = page.items().iterator();
          }
          return items.hasNext();
        } catch (SdkException e) {
          throw Failures.classify(table.name(), action, e);
        }
      }

      @Override
      public Chunk next() {
        if (!hasNext()) {
          throw new java.util.NoSuchElementException();
        }
        try {
          return ChunkFormat.parse(items.next().get(StoredItemLayout.CHUNK).b().asByteArray());
        } catch (SdkException e) {
          throw Failures.classify(table.name(), action, e);
        }
      }
    };
    return java.util.stream.StreamSupport.stream(java.util.Spliterators.spliteratorUnknownSize(chunks, java.util.Spliterator.ORDERED), false);
  }

  @Override
  public Stream<StoredItem> items(JobId job, int bucket) {
    String pk = StoredItemLayout.partitionKey(job.value(), bucket);
    QueryRequest query = QueryRequest.builder()
        .tableName(table.name())
        .keyConditionExpression("pk = :pk AND begins_with(sk, :prefix)")
        .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS(pk), ":prefix", AttributeValue.fromS("C#")))
        .consistentRead(true)
        .build();
    String action = "Query of " + job + " bucket " + bucket;
    java.util.Iterator<Map<String, AttributeValue>> pages;
    try {
      pages = table.client().queryPaginator(query).items().iterator();
    } catch (SdkException e) {
      throw Failures.classify(table.name(), action, e);
    }
    java.util.Iterator<StoredItem> items = new java.util.Iterator<>() {
      @Override
      public boolean hasNext() {
        try {
          return pages.hasNext();
        } catch (SdkException e) {
          throw Failures.classify(table.name(), action, e);
        }
      }

      @Override
      public StoredItem next() {
        try {
          Map<String, AttributeValue> item = pages.next();
          AttributeValue record = item.get(StoredItemLayout.CHUNK);
          // an item without its record attribute is damaged too: hand it on empty, for the check to name
          byte[] bytes = record == null || record.b() == null ? new byte[0] : record.b().asByteArray();
          return new StoredItem(item.get("pk").s(), item.get("sk").s(), bytes);
        } catch (SdkException e) {
          throw Failures.classify(table.name(), action, e);
        }
      }
    };
    return java.util.stream.StreamSupport.stream(java.util.Spliterators.spliteratorUnknownSize(items, java.util.Spliterator.ORDERED), false);
  }

  /**
   * {@inheritDoc}
   *
   * <p>Eventually consistent: read from the {@value SpillwayTable#KEYS_INDEX} index, it may lag a
   * chunk stored a moment before (never counts one that was not stored).
   */
  @Override
  public long count(JobId job, int bucket) {
    if (clock.now().isBefore(indexRetryAt)) {
      return countInTable(job, bucket);
    }
    try {
      return countInIndex(job, bucket);
    } catch (SdkException e) {
      if (!(e instanceof DynamoDbException d && isIndexUnreadable(d))) {
        throw Failures.classify(table.name(), "Query (count) of index " + SpillwayTable.KEYS_INDEX + " for " + job + " bucket " + bucket, e);
      }
      indexRetryAt = clock.now().plus(INDEX_RETRY);
      if (warnedIndexMissing.compareAndSet(false, true)) {
        log.warn("Table {} has no readable index {} ({}): until it has, chunks are counted by reading them, every byte billed."
            + " Add it (docs/dynamodb-layout.md): {}", table.name(), SpillwayTable.KEYS_INDEX, e.getMessage(), table.addKeysIndexCommand());
      }
      return countInTable(job, bucket);
    }
  }

  /**
   * {@inheritDoc}
   *
   * <p>From the {@value SpillwayTable#KEYS_INDEX} index (~140 bytes read per chunk, eventually
   * consistent), or from the table's items, every byte billed, while the index cannot be read.
   */
  @Override
  public Stream<ChunkId> storedIds(JobId job, int bucket) {
    QueryRequest.Builder query = QueryRequest.builder()
        .tableName(table.name())
        .keyConditionExpression("pk = :pk AND begins_with(sk, :prefix)")
        .expressionAttributeValues(Map.of(
            ":pk", AttributeValue.fromS(StoredItemLayout.partitionKey(job.value(), bucket)),
            ":prefix", AttributeValue.fromS("C#")))
        .projectionExpression("pk, sk")
        .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL);
    boolean index = !clock.now().isBefore(indexRetryAt);
    QueryRequest request = index ? query.indexName(SpillwayTable.KEYS_INDEX).consistentRead(false).build() : query.consistentRead(true).build();
    List<ChunkId> ids = new ArrayList<>();
    try {
      table.client().queryPaginator(request).stream().forEach(page -> {
        countQueries.increment();
        if (page.consumedCapacity() != null && page.consumedCapacity().capacityUnits() != null) {
          countReadUnits.add(page.consumedCapacity().capacityUnits());
        }
        page.items().forEach(item -> ids.add(StoredItemLayout.chunkId(job, bucket, item.get("sk").s())));
      });
    } catch (SdkException e) {
      if (index && e instanceof DynamoDbException d && isIndexUnreadable(d)) {
        indexRetryAt = clock.now().plus(INDEX_RETRY);
        return Chunks.super.storedIds(job, bucket);
      }
      throw Failures.classify(table.name(), "Query (keys) of " + job + " bucket " + bucket, e);
    }
    return ids.stream();
  }

  /**
   * {@inheritDoc}
   *
   * <p>Lists the bucket's keys ({@link #storedIds}) and deletes them with BatchWriteItem, 25 a call,
   * unprocessed keys sent again with backoff.
   */
  @Override
  public long deleteAll(JobId job, int bucket) {
    List<ChunkId> ids;
    try (Stream<ChunkId> stored = storedIds(job, bucket)) {
      ids = stored.toList();
    }
    String pk = StoredItemLayout.partitionKey(job.value(), bucket);
    for (int from = 0; from < ids.size(); from += 25) {
      List<software.amazon.awssdk.services.dynamodb.model.WriteRequest> batch = new ArrayList<>();
      for (ChunkId id : ids.subList(from, Math.min(ids.size(), from + 25))) {
        batch.add(software.amazon.awssdk.services.dynamodb.model.WriteRequest.builder()
            .deleteRequest(d -> d.key(Map.of("pk", AttributeValue.fromS(pk), "sk", AttributeValue.fromS(StoredItemLayout.sortKey(id))))).build());
      }
      Map<String, List<software.amazon.awssdk.services.dynamodb.model.WriteRequest>> pending = Map.of(table.name(), batch);
      for (int attempt = 0; !pending.isEmpty() && !pending.getOrDefault(table.name(), List.of()).isEmpty(); attempt++) {
        if (attempt >= 10) {
          throw new RetryableStoreException("BatchWriteItem left " + pending.get(table.name()).size() + " deletes of " + job + " bucket " + bucket + " unprocessed after 10 tries", null);
        }
        if (attempt > 0) {
          try {
            Thread.sleep(Math.min(2_000, 50L << attempt));
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RetryableStoreException("interrupted while deleting the chunks of " + job, e);
          }
        }
        Map<String, List<software.amazon.awssdk.services.dynamodb.model.WriteRequest>> send = pending;
        try {
          pending = table.client().batchWriteItem(r -> r.requestItems(send)).unprocessedItems();
        } catch (SdkException e) {
          throw Failures.classify(table.name(), "BatchWriteItem (delete) of " + job + " bucket " + bucket, e);
        }
      }
    }
    return ids.size();
  }

  /** The capacity consumed so far by index writes and count queries. */
  public Consumed consumed() {
    return new Consumed(indexWriteUnits.sum(), countReadUnits.sum(), countQueries.sum(), chunkReadUnits.sum(), readQueries.sum());
  }

  /** Counts a bucket's chunks in the keys-only index: ~100 bytes read per chunk, eventually consistent. */
  long countInIndex(JobId job, int bucket) {
    return countPages(countQuery(job, bucket).indexName(SpillwayTable.KEYS_INDEX).consistentRead(false).build());
  }

  /** Counts a bucket's chunks in the table: reads (and bills) every byte of every chunk; consistent. */
  long countInTable(JobId job, int bucket) {
    try {
      return countPages(countQuery(job, bucket).consistentRead(true).build());
    } catch (SdkException e) {
      throw Failures.classify(table.name(), "Query (count) of " + job + " bucket " + bucket, e);
    }
  }

  private QueryRequest.Builder countQuery(JobId job, int bucket) {
    return QueryRequest.builder()
        .tableName(table.name())
        .keyConditionExpression("pk = :pk AND begins_with(sk, :prefix)")
        .expressionAttributeValues(Map.of(
            ":pk", AttributeValue.fromS(StoredItemLayout.partitionKey(job.value(), bucket)),
            ":prefix", AttributeValue.fromS("C#")))
        .select(Select.COUNT)
        .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL);
  }

  private long countPages(QueryRequest query) {
    return table.client().queryPaginator(query).stream().mapToLong(page -> {
      countQueries.increment();
      if (page.consumedCapacity() != null && page.consumedCapacity().capacityUnits() != null) {
        countReadUnits.add(page.consumedCapacity().capacityUnits());
      }
      return page.count();
    }).sum();
  }

  /** DynamoDB's answer to a query of an index the table lacks, or one it is still building (backfilling). */
  private static boolean isIndexUnreadable(DynamoDbException e) {
    String message = e.awsErrorDetails() != null && e.awsErrorDetails().errorMessage() != null ? e.awsErrorDetails().errorMessage() : String.valueOf(e.getMessage());
    return e.statusCode() == 400 && (message.contains("specified index") || message.contains("backfilling"));
  }
}
