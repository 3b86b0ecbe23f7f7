package io.spillway.adapters.aws.dynamodb;

import io.spillway.application.port.out.Chunks;
import io.spillway.application.port.out.Clock;
import io.spillway.application.port.out.PutOutcome;
import io.spillway.domain.chunk.Chunk;
import io.spillway.domain.chunk.ChunkFormat;
import io.spillway.domain.chunk.StoredItemLayout;
import io.spillway.domain.job.JobId;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.PutItemResponse;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.Select;

/**
 * Chunks in DynamoDB, one item each, laid out by {@link StoredItemLayout}: a conditional PutItem
 * ({@code attribute_not_exists(pk)}) makes a redelivery a duplicate, with the consumed capacity
 * recorded; reads Query one bucket's partition, page by page.
 */
public final class DynamoDbChunks implements Chunks {
  private final SpillwayTable table;
  private final Clock clock;
  private final Optional<Duration> timeToLive;

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
          .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL));
      double units = response.consumedCapacity() != null && response.consumedCapacity().capacityUnits() != null
          ? response.consumedCapacity().capacityUnits()
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
    String prefix = group.map(StoredItemLayout::groupPrefix).orElse("C#");
    QueryRequest query = QueryRequest.builder()
        .tableName(table.name())
        .keyConditionExpression("pk = :pk AND begins_with(sk, :prefix)")
        .expressionAttributeValues(Map.of(
            ":pk", AttributeValue.fromS(StoredItemLayout.partitionKey(job.value(), bucket)),
            ":prefix", AttributeValue.fromS(prefix)))
        .projectionExpression(StoredItemLayout.CHUNK)
        .consistentRead(true)
        .build();
    // pages are fetched while the caller consumes the stream: sort their failures there too
    String action = "Query of " + job + " bucket " + bucket;
    java.util.Iterator<Map<String, AttributeValue>> items;
    try {
      items = table.client().queryPaginator(query).items().iterator();
    } catch (SdkException e) {
      throw Failures.classify(table.name(), action, e);
    }
    java.util.Iterator<Chunk> chunks = new java.util.Iterator<>() {
      @Override
      public boolean hasNext() {
        try {
          return items.hasNext();
        } catch (SdkException e) {
          throw Failures.classify(table.name(), action, e);
        }
      }

      @Override
      public Chunk next() {
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
  public long count(JobId job, int bucket) {
    QueryRequest query = QueryRequest.builder()
        .tableName(table.name())
        .keyConditionExpression("pk = :pk AND begins_with(sk, :prefix)")
        .expressionAttributeValues(Map.of(
            ":pk", AttributeValue.fromS(StoredItemLayout.partitionKey(job.value(), bucket)),
            ":prefix", AttributeValue.fromS("C#")))
        .select(Select.COUNT)
        .consistentRead(true)
        .build();
    try {
      return table.client().queryPaginator(query).stream().mapToLong(page -> page.count()).sum();
    } catch (SdkException e) {
      throw Failures.classify(table.name(), "Query (count) of " + job + " bucket " + bucket, e);
    }
  }
}
