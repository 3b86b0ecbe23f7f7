package io.spillway.bootstrap.local;

import io.spillway.domain.event.Event;
import io.spillway.domain.job.JobId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.ConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * The baseline Spillway is measured against: one DynamoDB item per event, written straight to the
 * table with BatchWriteItem, 25 items a call, unprocessed items retried, and read back with a Query
 * of the job's partition. Counts the calls and the write and read units DynamoDB reports.
 */
public final class ItemPerEventLoader {
  private static final int BATCH = 25;

  private final DynamoDbClient client;
  private final String table;
  private final LongAdder requests = new LongAdder();
  private final DoubleAdder writeUnits = new DoubleAdder();
  private final LongAdder readRequests = new LongAdder();
  private final DoubleAdder readUnits = new DoubleAdder();

  public ItemPerEventLoader(DynamoDbClient client, String table) {
    this.client = client;
    this.table = table;
  }

  /** Writes every event as its own item. */
  public void load(List<Event> events) throws InterruptedException {
    for (int from = 0; from < events.size(); from += BATCH) {
      List<WriteRequest> batch = new ArrayList<>(BATCH);
      for (Event e : events.subList(from, Math.min(events.size(), from + BATCH))) {
        batch.add(WriteRequest.builder().putRequest(PutRequest.builder().item(item(e)).build()).build());
      }
      Map<String, List<WriteRequest>> pending = Map.of(table, batch);
      long pause = 10;
      while (!pending.isEmpty()) {
        Map<String, List<WriteRequest>> toWrite = pending;
        BatchWriteItemResponse response = client.batchWriteItem(r -> r.requestItems(toWrite).returnConsumedCapacity(ReturnConsumedCapacity.TOTAL));
        requests.increment();
        for (ConsumedCapacity c : response.consumedCapacity()) {
          writeUnits.add(c.capacityUnits() == null ? 0 : c.capacityUnits());
        }
        pending = response.hasUnprocessedItems() ? response.unprocessedItems() : Map.of();
        if (!pending.isEmpty()) {
          Thread.sleep(pause);
          pause = Math.min(pause * 2, 1_000);
        }
      }
    }
  }

  /**
   * Reads a job's events back, page by page (1 MB a page), strongly consistent as Spillway's chunk
   * reads are, each item made an event again.
   */
  public void read(JobId job, Consumer<Event> sink) {
    QueryRequest query = QueryRequest.builder()
        .tableName(table)
        .keyConditionExpression("pk = :pk")
        .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS(partitionKey(job))))
        .consistentRead(true)
        .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL)
        .build();
    for (QueryResponse page : client.queryPaginator(query)) {
      readRequests.increment();
      if (page.consumedCapacity() != null && page.consumedCapacity().capacityUnits() != null) {
        readUnits.add(page.consumedCapacity().capacityUnits());
      }
      for (Map<String, AttributeValue> item : page.items()) {
        sink.accept(event(job, item));
      }
    }
  }

  public long readRequests() {
    return readRequests.sum();
  }

  public double readUnits() {
    return readUnits.sum();
  }

  public long requests() {
    return requests.sum();
  }

  public double writeUnits() {
    return writeUnits.sum();
  }

  private static String partitionKey(JobId job) {
    return "E#" + job.value();
  }

  /** The event an item holds. */
  static Event event(JobId job, Map<String, AttributeValue> item) {
    return new Event(job, Long.parseLong(item.get("sk").s()), item.get("id").s(), Instant.ofEpochMilli(Long.parseLong(item.get("t").n())),
        item.get("ty").s(), item.get("g").s(), Integer.parseInt(item.get("v").n()), item.get("p").b().asByteArrayUnsafe());
  }

  /** The item-per-event layout of {@link io.spillway.domain.capacity.ItemPerEvent}. */
  static Map<String, AttributeValue> item(Event e) {
    Map<String, AttributeValue> item = new HashMap<>();
    item.put("pk", AttributeValue.fromS(partitionKey(e.jobId())));
    item.put("sk", AttributeValue.fromS(String.format(java.util.Locale.ROOT, "%020d", e.sequence())));
    item.put("id", AttributeValue.fromS(e.eventId()));
    item.put("t", AttributeValue.fromN(Long.toString(e.eventTime().toEpochMilli())));
    item.put("ty", AttributeValue.fromS(e.type()));
    item.put("g", AttributeValue.fromS(e.groupKey()));
    item.put("v", AttributeValue.fromN(Integer.toString(e.schemaVersion())));
    item.put("p", AttributeValue.fromB(SdkBytes.fromByteArray(e.payload())));
    return item;
  }
}
