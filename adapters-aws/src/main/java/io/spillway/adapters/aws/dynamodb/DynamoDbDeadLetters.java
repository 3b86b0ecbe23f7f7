package io.spillway.adapters.aws.dynamodb;

import io.spillway.application.port.out.DeadLetter;
import io.spillway.application.port.out.DeadLetters;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.Select;

/**
 * Dead letters in the Spillway table, all under {@code pk = DLQ}, one item per stream position
 * ({@code sk} = length-prefixed source, then position), so a letter written twice is stored once.
 * Poison records are rare: listing reads the partition and orders it by arrival. A letter holds at
 * most {@link DeadLetter#KEPT_BYTES} of its record (with the whole record's length and SHA-256), so
 * it always fits one item and can always be written.
 */
public final class DynamoDbDeadLetters implements DeadLetters {
  static final String PARTITION = "DLQ";

  private final SpillwayTable table;

  public DynamoDbDeadLetters(SpillwayTable table) {
    this.table = table;
  }

  @Override
  public void add(DeadLetter letter) {
    Map<String, AttributeValue> item = item(letter);
    try {
      table.client().putItem(r -> r.tableName(table.name()).item(item).conditionExpression("attribute_not_exists(pk)"));
    } catch (ConditionalCheckFailedException alreadyThere) {
      // the same position was dead-lettered before (a redelivery): keep the first letter
    } catch (SdkException e) {
      throw Failures.classify(table.name(), "PutItem of a dead letter", e);
    }
  }

  @Override
  public List<DeadLetter> list(int limit) {
    List<DeadLetter> all = new ArrayList<>();
    try {
      table.client().queryPaginator(r -> r.tableName(table.name()).keyConditionExpression("pk = :pk")
              .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS(PARTITION))).consistentRead(true))
          .items().forEach(item -> all.add(letter(item)));
    } catch (SdkException e) {
      throw Failures.classify(table.name(), "Query of dead letters", e);
    }
    all.sort(Comparator.comparing(DeadLetter::at));
    return all.size() <= limit ? all : new ArrayList<>(all.subList(0, Math.max(0, limit)));
  }

  @Override
  public long count() {
    try {
      return table.client().queryPaginator(r -> r.tableName(table.name()).keyConditionExpression("pk = :pk")
              .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS(PARTITION))).select(Select.COUNT).consistentRead(true))
          .stream().mapToLong(page -> page.count()).sum();
    } catch (SdkException e) {
      throw Failures.classify(table.name(), "Query (count) of dead letters", e);
    }
  }

  @Override
  public Optional<DeadLetter> find(String source, String position) {
    try {
      Map<String, AttributeValue> item = table.client().getItem(r -> r.tableName(table.name()).key(key(source, position)).consistentRead(true)).item();
      return item == null || item.isEmpty() ? Optional.empty() : Optional.of(letter(item));
    } catch (SdkException e) {
      throw Failures.classify(table.name(), "GetItem of dead letter " + source + "@" + position, e);
    }
  }

  @Override
  public boolean replace(DeadLetter letter) {
    try {
      table.client().putItem(r -> r.tableName(table.name()).item(item(letter)).conditionExpression("attribute_exists(pk)"));
      return true;
    } catch (ConditionalCheckFailedException gone) {
      return false;
    } catch (SdkException e) {
      throw Failures.classify(table.name(), "PutItem (replace) of dead letter " + letter.source() + "@" + letter.position(), e);
    }
  }

  @Override
  public boolean remove(String source, String position) {
    try {
      table.client().deleteItem(r -> r.tableName(table.name()).key(key(source, position)).conditionExpression("attribute_exists(pk)"));
      return true;
    } catch (ConditionalCheckFailedException gone) {
      return false;
    } catch (SdkException e) {
      throw Failures.classify(table.name(), "DeleteItem of dead letter " + source + "@" + position, e);
    }
  }

  private static Map<String, AttributeValue> item(DeadLetter letter) {
    Map<String, AttributeValue> item = key(letter.source(), letter.position());
    item.put("source", AttributeValue.fromS(letter.source()));
    item.put("position", AttributeValue.fromS(letter.position()));
    item.put("reason", AttributeValue.fromS(letter.reason()));
    item.put("detail", AttributeValue.fromS(letter.detail()));
    item.put("record", AttributeValue.fromB(SdkBytes.fromByteArray(letter.record())));
    item.put("recordLength", AttributeValue.fromN(Long.toString(letter.recordLength())));
    item.put("sha256", AttributeValue.fromS(letter.sha256()));
    item.put("atSecond", AttributeValue.fromN(Long.toString(letter.at().getEpochSecond())));
    item.put("atNano", AttributeValue.fromN(Integer.toString(letter.at().getNano())));
    return item;
  }

  private static Map<String, AttributeValue> key(String source, String position) {
    Map<String, AttributeValue> key = new HashMap<>();
    key.put("pk", AttributeValue.fromS(PARTITION));
    key.put("sk", AttributeValue.fromS(source.length() + ":" + source + "#" + position));
    return key;
  }

  private static DeadLetter letter(Map<String, AttributeValue> item) {
    return new DeadLetter(item.get("source").s(), item.get("position").s(), item.get("reason").s(), item.get("detail").s(),
        item.get("record").b().asByteArray(), Long.parseLong(item.get("recordLength").n()), item.get("sha256").s(),
        Instant.ofEpochSecond(Long.parseLong(item.get("atSecond").n()), Long.parseLong(item.get("atNano").n())));
  }
}
