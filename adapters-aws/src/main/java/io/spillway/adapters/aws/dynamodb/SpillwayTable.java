package io.spillway.adapters.aws.dynamodb;

import io.spillway.domain.chunk.StoredItemLayout;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ProvisionedThroughput;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/**
 * The one table Spillway keeps everything in (docs/dynamodb-layout.md): string partition key
 * {@code pk} and sort key {@code sk}; chunks, job records, manifests and dead letters are told
 * apart by their key prefixes.
 */
public record SpillwayTable(DynamoDbClient client, String name) {

  /** How the table is billed when Spillway creates it. */
  public sealed interface Billing {
    /** Pay per request (on-demand). */
    record OnDemand() implements Billing {}

    /** Provisioned read and write units. */
    record Provisioned(long readUnits, long writeUnits) implements Billing {}
  }

  /** Creates the table unless it exists (safe to run twice); waits until it is active. */
  public void createIfAbsent(Billing billing) {
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
    if (billing instanceof Billing.Provisioned p) {
      request.billingMode(BillingMode.PROVISIONED)
          .provisionedThroughput(ProvisionedThroughput.builder().readCapacityUnits(p.readUnits()).writeCapacityUnits(p.writeUnits()).build());
    } else {
      request.billingMode(BillingMode.PAY_PER_REQUEST);
    }
    try {
      client.createTable(request.build());
    } catch (ResourceInUseException createdMeanwhile) {
      // another process created it first: fine
    }
    client.waiter().waitUntilTableExists(r -> r.tableName(name));
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
