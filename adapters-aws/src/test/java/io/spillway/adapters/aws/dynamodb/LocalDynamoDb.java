package io.spillway.adapters.aws.dynamodb;

import com.amazonaws.services.dynamodbv2.local.embedded.DynamoDBEmbedded;
import com.amazonaws.services.dynamodbv2.local.shared.access.AmazonDynamoDBLocal;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * AWS's DynamoDB Local, in this JVM (no server, no port), started once for the test run; each test
 * gets a fresh table of its own. Its telemetry is off through DDB_LOCAL_TELEMETRY=0 (set by Surefire).
 */
final class LocalDynamoDb {
  private static final AtomicInteger TABLES = new AtomicInteger();
  private static AmazonDynamoDBLocal local;
  private static DynamoDbClient client;

  private LocalDynamoDb() {}

  static synchronized DynamoDbClient client() {
    if (client == null) {
      local = DynamoDBEmbedded.create();
      client = local.dynamoDbClient();
      Runtime.getRuntime().addShutdownHook(new Thread(() -> local.shutdownNow(), "dynamodb-local-shutdown"));
    }
    return client;
  }

  /** A new, empty, on-demand table. */
  static SpillwayTable freshTable() {
    SpillwayTable table = new SpillwayTable(client(), "spillway-test-" + TABLES.incrementAndGet());
    table.createIfAbsent(new SpillwayTable.Billing.OnDemand());
    return table;
  }
}
