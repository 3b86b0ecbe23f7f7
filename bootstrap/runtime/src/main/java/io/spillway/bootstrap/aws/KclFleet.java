package io.spillway.bootstrap.aws;

import io.spillway.adapters.aws.kcl.KclConsumer;
import io.spillway.adapters.aws.kcl.ShardListener;
import io.spillway.application.port.out.PermanentStoreException;
import io.spillway.bootstrap.ConsumerFleet;
import io.spillway.bootstrap.ShardTracker;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/** KCL workers in this process, with leases in DynamoDB, sharing the stream's shards with the rest of the fleet. */
public final class KclFleet implements ConsumerFleet {
  private final AwsSpillway spillway;
  private final List<KclConsumer> workers = new ArrayList<>();
  private final CompletableFuture<PermanentStoreException> failure = new CompletableFuture<>();

  public KclFleet(AwsSpillway spillway) {
    this.spillway = spillway;
  }

  @Override
  public synchronized void start(ShardTracker tracker) {
    AwsSettings aws = spillway.aws();
    ShardListener listener = new ShardListener() {
      @Override
      public void leaseTaken(String shardId) {
        tracker.leaseTaken(shardId);
      }

      @Override
      public void batchDone(String shardId, Optional<Instant> oldestArrival, int records, long bytes, Optional<Long> millisBehindLatest) {
        tracker.batchDone(shardId, oldestArrival, records, bytes, millisBehindLatest.map(m -> m == 0).orElse(records == 0));
      }

      @Override
      public void leaseEnded(String shardId) {
        tracker.leaseEnded(shardId);
      }
    };
    for (int i = 0; i < aws.workers(); i++) {
      KclConsumer.Settings kcl = KclConsumer.Settings.local(aws.streamName(), aws.consumerApplication(), workerId(aws, i))
          .withRetrieval(aws.retrieval()).withMaxRecordsPerRead(spillway.config().consumerBatchRecords());
      if (!aws.standIns()) {
        kcl = kcl.onAws();
      }
      if (aws.failover().isPresent()) {
        kcl = kcl.withFailover(aws.failover().get());
      }
      AwsClients clients = spillway.clients();
      KclConsumer worker = KclConsumer.start(spillway.ingest(), kcl, clients.kinesis(), clients.dynamoAsync(), clients.cloudWatch(), listener);
      worker.failed().thenAccept(failure::complete);
      workers.add(worker);
    }
  }

  /** Stable for one host and worker slot, so a restarted worker finds its leases at once. */
  private static String workerId(AwsSettings aws, int slot) {
    if (aws.workerId().isPresent()) {
      return aws.workers() == 1 ? aws.workerId().get() : aws.workerId().get() + "-" + slot;
    }
    String host = System.getenv().getOrDefault("HOSTNAME", "localhost");
    return "spillway-" + host + "-" + slot;
  }

  @Override
  public synchronized int workersRunning() {
    return (int) workers.stream().filter(w -> !w.failed().isDone() && w.running()).count();
  }

  @Override
  public CompletableFuture<PermanentStoreException> failure() {
    return failure;
  }

  @Override
  public synchronized void close() {
    workers.forEach(KclConsumer::close);
  }
}
