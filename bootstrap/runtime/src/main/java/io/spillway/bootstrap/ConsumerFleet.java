package io.spillway.bootstrap;

import io.spillway.application.port.out.PermanentStoreException;
import java.util.concurrent.CompletableFuture;

/** The workers one consumer process runs on its environment: KCL workers on AWS, a polling loop in memory. */
public interface ConsumerFleet extends AutoCloseable {
  /** Starts the workers; they report what they see of their shards to the tracker. */
  void start(ShardTracker tracker);

  /** Workers running now (started, not stopped, not failed). */
  int workersRunning();

  /** Completes when a worker stopped on a failure no retry fixes. */
  CompletableFuture<PermanentStoreException> failure();

  /** Stops gracefully: what is durable is checkpointed. */
  @Override
  void close();
}
