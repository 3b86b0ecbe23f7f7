package io.spillway.adapters.aws.dynamodb;

import io.spillway.domain.chunk.StoredItemLayout;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.Projection;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.ProvisionedThroughput;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/**
 * The one table Spillway keeps everything in (docs/dynamodb-layout.md): string partition key
 * {@code pk} and sort key {@code sk}; chunks, job records, manifests and dead letters are told
 * apart by their key prefixes. A KEYS_ONLY global secondary index {@value #KEYS_INDEX} with the
 * same key schema holds ~100 bytes per item, so the availability sweep can count a bucket's chunks
 * without reading their bytes.
 */
public record SpillwayTable(DynamoDbClient client, String name) {
  /**
   * The KEYS_ONLY global secondary index over {@code pk}/{@code sk}: each item's keys only, read
   * by {@link DynamoDbChunks#count} (eventually consistent).
   */
  public static final String KEYS_INDEX = "keys";

  /** How the table is billed when Spillway creates it. */
  public sealed interface Billing {
    /** Pay per request (on-demand). */
    record OnDemand() implements Billing {}

    /** Provisioned read and write units. */
    record Provisioned(long readUnits, long writeUnits) implements Billing {}
  }

  /** Creates the table, with its {@value #KEYS_INDEX} index, unless it exists (safe to run twice); waits until it is active. */
  public void createIfAbsent(Billing billing) {
    create(billing, true);
  }

  /**
   * Creates a plain table of the same key schema, without the {@value #KEYS_INDEX} index, unless
   * it exists: for comparisons (one item per event) that must not pay for an index Spillway's
   * availability needs and they do not.
   */
  public void createWithoutKeysIndexIfAbsent(Billing billing) {
    create(billing, false);
  }

  private void create(Billing billing, boolean withKeysIndex) {
    if (exists()) {
      return;
    }
    CreateTableRequest.Builder request = CreateTableRequest.builder()
        .tableName(name)
        .attributeDefinitions(
            AttributeDefinition.builder().attributeName(StoredItemLayout.PARTITION_KEY).attributeType(ScalarAttributeType.S).build(),
            AttributeDefinition.builder().attributeName(StoredItemLayout.SORT_KEY).attributeType(ScalarAttributeType.S).build())
        .keySchema(
            KeySchemaElement.builder().attributeName(StoredItemLayout.PARTITION_KEY).keyType(KeyType.HASH).build(),
            KeySchemaElement.builder().attributeName(StoredItemLayout.SORT_KEY).keyType(KeyType.RANGE).build());
    GlobalSecondaryIndex.Builder index = GlobalSecondaryIndex.builder()
        .indexName(KEYS_INDEX)
        .keySchema(
            KeySchemaElement.builder().attributeName(StoredItemLayout.PARTITION_KEY).keyType(KeyType.HASH).build(),
            KeySchemaElement.builder().attributeName(StoredItemLayout.SORT_KEY).keyType(KeyType.RANGE).build())
        .projection(Projection.builder().projectionType(ProjectionType.KEYS_ONLY).build());
    if (billing instanceof Billing.Provisioned p) {
      ProvisionedThroughput units = ProvisionedThroughput.builder().readCapacityUnits(p.readUnits()).writeCapacityUnits(p.writeUnits()).build();
      // the index takes one ~1-unit write per item the table takes (~400 units for a chunk): the table's units are ample,
      // so the index cannot throttle the puts (an index short of write units would)
      request.billingMode(BillingMode.PROVISIONED).provisionedThroughput(units);
      index.provisionedThroughput(units);
    } else {
      request.billingMode(BillingMode.PAY_PER_REQUEST);
    }
    if (withKeysIndex) {
      request.globalSecondaryIndexes(index.build());
    }
    try {
      client.createTable(request.build());
    } catch (ResourceInUseException createdMeanwhile) {
      // another process created it first: fine
    }
    client.waiter().waitUntilTableExists(r -> r.tableName(name));
  }

  /**
   * The AWS CLI command that adds the {@value #KEYS_INDEX} index to this table when it was created
   * without it (on-demand billing; a provisioned table also needs {@code ProvisionedThroughput} in
   * the {@code Create}). DynamoDB builds the index from the items already there.
   */
  public String addKeysIndexCommand() {
    return "aws dynamodb update-table --table-name " + name
        + " --attribute-definitions AttributeName=pk,AttributeType=S AttributeName=sk,AttributeType=S"
        + " --global-secondary-index-updates '[{\"Create\":{\"IndexName\":\"" + KEYS_INDEX + "\","
        + "\"KeySchema\":[{\"AttributeName\":\"pk\",\"KeyType\":\"HASH\"},{\"AttributeName\":\"sk\",\"KeyType\":\"RANGE\"}],"
        + "\"Projection\":{\"ProjectionType\":\"KEYS_ONLY\"}}}]'";
  }

  public boolean exists() {
    try {
      client.describeTable(r -> r.tableName(name));
      return true;
    } catch (ResourceNotFoundException e) {
      return false;
    }
  }
}
