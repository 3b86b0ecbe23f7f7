package io.spillway.bootstrap.local;

import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;

/**
 * Reads a KCL lease table the way an operator would: who owns each shard's lease, how often it was
 * renewed, where it is checkpointed, and who holds the leader lock. The table also holds KCL's
 * other entries (worker liveness reports, migration state); they are skipped.
 */
final class KclLeases {
  /**
   * One shard's lease.
   *
   * @param owner the worker it is assigned to, "" for none
   * @param counter bumped by every assignment and by every renewal of its owner
   * @param checkpoint a sequence number, or TRIM_HORIZON before the first checkpoint
   */
  record Lease(String owner, long counter, String checkpoint) {}

  private final DynamoDbClient dynamo;
  private final String table;

  KclLeases(DynamoDbClient dynamo, String table) {
    this.dynamo = dynamo;
    this.table = table;
  }

  /** Every shard's lease by shard id, in shard order; empty before KCL made the table. */
  Map<String, Lease> read() {
    Map<String, Lease> leases = new TreeMap<>();
    try {
      dynamo.scanPaginator(ScanRequest.builder().tableName(table).consistentRead(true).build()).items().forEach(item -> {
        String key = string(item, "leaseKey").orElse("");
        if (key.startsWith("shardId-")) {
          leases.put(key, new Lease(string(item, "leaseOwner").orElse(""), Long.parseLong(item.get("leaseCounter").n()),
              string(item, "checkpoint").orElse("")));
        }
      });
    } catch (ResourceNotFoundException e) {
      return Map.of();
    }
    return leases;
  }

  /** Shard id to owner, "" for a lease nobody owns. */
  static Map<String, String> owners(Map<String, Lease> leases) {
    Map<String, String> owners = new TreeMap<>();
    leases.forEach((shard, lease) -> owners.put(shard, lease.owner()));
    return owners;
  }

  /** The worker holding KCL's leader lock (the one that assigns leases), if one does. */
  Optional<String> leader() {
    try {
      Map<String, AttributeValue> item = dynamo.getItem(r -> r.tableName(table).consistentRead(true)
          .key(Map.of("leaseKey", AttributeValue.fromS("Leader")))).item();
      boolean released = Optional.ofNullable(item.get("isReleased")).map(AttributeValue::bool).orElse(false);
      return released ? Optional.empty() : string(item, "ownerName");
    } catch (ResourceNotFoundException e) {
      return Optional.empty();
    }
  }

  private static Optional<String> string(Map<String, AttributeValue> item, String name) {
    return Optional.ofNullable(item.get(name)).map(AttributeValue::s);
  }
}
