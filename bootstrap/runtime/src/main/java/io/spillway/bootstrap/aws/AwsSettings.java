package io.spillway.bootstrap.aws;

import io.spillway.adapters.aws.kcl.KclConsumer;
import io.spillway.adapters.aws.kcl.KclFailover;
import io.spillway.domain.InvalidFieldException;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Where Spillway's stream and table are on AWS (or on the local stand-ins) and how this process's
 * KCL workers run. The pipeline's own settings (codec, assembler, publisher, ingest pacing) are
 * {@link io.spillway.bootstrap.SpillwayConfig}'s.
 *
 * @param region the AWS region; empty for the SDK's region chain
 * @param dynamoDbEndpoint an endpoint override (a VPC endpoint, or DynamoDB Local)
 * @param kinesisEndpoint an endpoint override (a VPC endpoint, or kinesis-mock)
 * @param standIns the endpoints are the local stand-ins: fixed credentials, and the stream and
 *     table are created when absent (on AWS they must exist: {@code spillway setup} creates them)
 * @param shards the shards of a stream created on the stand-ins
 * @param workers KCL workers in this process
 * @param workerId the KCL worker id; keep it across restarts of one consumer (empty: host and slot)
 * @param failover how soon a stopped worker's shards move to the others (empty: KCL's default on
 *     AWS, {@link KclConsumer.Settings#LOCAL_FAILOVER} on the stand-ins)
 * @param chunkTtl chunks expire this long after they are stored (DynamoDB TTL); empty: never
 * @param patience how long calls that may pass (timeouts, 5xx, throttling) are retried while
 *     setting up: a consumer service waits for as long as it runs, a one-off command briefly
 * @param eventBus the EventBridge bus (name or ARN) that settled jobs are announced on; empty: no
 *     announcements (docs/notifications.md)
 * @param eventBridgeEndpoint an endpoint override for EventBridge (a VPC endpoint, or a stand-in)
 */
public record AwsSettings(
    String streamName,
    String tableName,
    Optional<String> region,
    Optional<URI> dynamoDbEndpoint,
    Optional<URI> kinesisEndpoint,
    boolean standIns,
    int shards,
    int workers,
    Optional<String> workerId,
    Optional<KclFailover> failover,
    KclConsumer.Retrieval retrieval,
    Optional<Duration> chunkTtl,
    Patience patience,
    Optional<String> eventBus,
    Optional<URI> eventBridgeEndpoint) {

  /** Kinesis' and DynamoDB's naming rules, in their common part. */
  private static final String NAME = "[a-zA-Z0-9_.-]{3,128}";

  public AwsSettings {
    name("aws.streamName", streamName);
    name("aws.tableName", tableName);
    Objects.requireNonNull(region, "aws.region");
    Objects.requireNonNull(dynamoDbEndpoint, "aws.dynamoDbEndpoint");
    Objects.requireNonNull(kinesisEndpoint, "aws.kinesisEndpoint");
    if (shards < 1 || shards > 10_000) {
      throw new InvalidFieldException("aws.shards", shards, "1..10000");
    }
    if (workers < 1 || workers > 64) {
      throw new InvalidFieldException("aws.workers", workers, "1..64 KCL workers in one process");
    }
    Objects.requireNonNull(workerId, "aws.workerId");
    workerId.ifPresent(id -> {
      if (id.isBlank()) {
        throw new InvalidFieldException("aws.workerId", id, "not blank");
      }
    });
    Objects.requireNonNull(failover, "aws.failover");
    Objects.requireNonNull(retrieval, "aws.retrieval");
    Objects.requireNonNull(chunkTtl, "aws.chunkTtl");
    chunkTtl.ifPresent(ttl -> {
      if (ttl.compareTo(Duration.ofHours(1)) < 0) {
        throw new InvalidFieldException("aws.chunkTtl", ttl, "at least 1 hour");
      }
    });
    Objects.requireNonNull(patience, "aws.patience");
    Objects.requireNonNull(eventBus, "aws.eventBus");
    eventBus.ifPresent(bus -> {
      if (bus.isBlank() || bus.length() > 1600) {
        throw new InvalidFieldException("aws.eventBus", bus, "an EventBridge bus name or ARN");
      }
    });
    Objects.requireNonNull(eventBridgeEndpoint, "aws.eventBridgeEndpoint");
    if (standIns && eventBus.isPresent() && eventBridgeEndpoint.isEmpty()) {
      // the stand-ins have no EventBridge: announcements would go to real AWS with dummy credentials
      throw new InvalidFieldException("aws.eventBus", eventBus.get(), "on the stand-ins, only with an eventBridgeEndpoint");
    }
  }

  /** On AWS: region and credentials from the SDK's default chains, one polling worker, brief patience. */
  public static AwsSettings onAws(String streamName, String tableName) {
    return new AwsSettings(streamName, tableName, Optional.empty(), Optional.empty(), Optional.empty(), false, 4, 1, Optional.empty(),
        Optional.empty(), KclConsumer.Retrieval.POLLING, Optional.empty(), Patience.BRIEF, Optional.empty(), Optional.empty());
  }

  /** On the local stand-ins at these endpoints; the stream ({@code shards} shards) and table are created when absent. */
  public static AwsSettings onStandIns(String streamName, String tableName, URI dynamoDb, URI kinesis, int shards) {
    return new AwsSettings(streamName, tableName, Optional.empty(), Optional.of(dynamoDb), Optional.of(kinesis), true, shards, 1,
        Optional.empty(), Optional.empty(), KclConsumer.Retrieval.POLLING, Optional.empty(), Patience.BRIEF, Optional.empty(), Optional.empty());
  }

  public AwsSettings withRegion(String r) {
    return new AwsSettings(streamName, tableName, Optional.of(r), dynamoDbEndpoint, kinesisEndpoint, standIns, shards, workers, workerId,
        failover, retrieval, chunkTtl, patience, eventBus, eventBridgeEndpoint);
  }

  public AwsSettings withEndpoints(Optional<URI> dynamoDb, Optional<URI> kinesis) {
    return new AwsSettings(streamName, tableName, region, dynamoDb, kinesis, standIns, shards, workers, workerId, failover, retrieval,
        chunkTtl, patience, eventBus, eventBridgeEndpoint);
  }

  /** {@code n} KCL workers in this process, named from {@code id} (empty: host and slot). */
  public AwsSettings withWorkers(int n, Optional<String> id) {
    return new AwsSettings(streamName, tableName, region, dynamoDbEndpoint, kinesisEndpoint, standIns, shards, n, id, failover, retrieval,
        chunkTtl, patience, eventBus, eventBridgeEndpoint);
  }

  public AwsSettings withFailover(KclFailover f) {
    return new AwsSettings(streamName, tableName, region, dynamoDbEndpoint, kinesisEndpoint, standIns, shards, workers, workerId,
        Optional.of(f), retrieval, chunkTtl, patience, eventBus, eventBridgeEndpoint);
  }

  public AwsSettings withRetrieval(KclConsumer.Retrieval r) {
    return new AwsSettings(streamName, tableName, region, dynamoDbEndpoint, kinesisEndpoint, standIns, shards, workers, workerId, failover,
        r, chunkTtl, patience, eventBus, eventBridgeEndpoint);
  }

  public AwsSettings withChunkTtl(Duration ttl) {
    return new AwsSettings(streamName, tableName, region, dynamoDbEndpoint, kinesisEndpoint, standIns, shards, workers, workerId, failover,
        retrieval, Optional.of(ttl), patience, eventBus, eventBridgeEndpoint);
  }

  public AwsSettings withPatience(Patience p) {
    return new AwsSettings(streamName, tableName, region, dynamoDbEndpoint, kinesisEndpoint, standIns, shards, workers, workerId, failover,
        retrieval, chunkTtl, p, eventBus, eventBridgeEndpoint);
  }

  /** Announces settled jobs on this EventBridge bus (name or ARN); on the stand-ins, set the endpoint first. */
  public AwsSettings withEventBus(String bus) {
    return new AwsSettings(streamName, tableName, region, dynamoDbEndpoint, kinesisEndpoint, standIns, shards, workers, workerId, failover,
        retrieval, chunkTtl, patience, Optional.of(bus), eventBridgeEndpoint);
  }

  public AwsSettings withEventBridgeEndpoint(URI endpoint) {
    return new AwsSettings(streamName, tableName, region, dynamoDbEndpoint, kinesisEndpoint, standIns, shards, workers, workerId, failover,
        retrieval, chunkTtl, patience, eventBus, Optional.of(endpoint));
  }

  /** The KCL application (lease table, fan-out consumer) of this stream's consumers. */
  public String consumerApplication() {
    return "spillway-" + streamName;
  }

  private static void name(String field, String value) {
    if (value == null || !value.matches(NAME)) {
      throw new InvalidFieldException(field, value, "3..128 characters of a-z, A-Z, 0-9, '_', '.', '-'");
    }
  }
}
