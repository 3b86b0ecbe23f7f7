package io.spillway.bootstrap;

import io.spillway.adapters.inmemory.InMemoryStreamConsumer;
import io.spillway.application.port.out.Clock;
import io.spillway.application.port.out.PermanentStoreException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One worker on the in-memory stream: a thread that polls every shard, idling 200 ms after a poll that found nothing. */
final class InMemoryFleet implements ConsumerFleet {
  private static final Logger log = LoggerFactory.getLogger(InMemoryFleet.class);

  private final InMemoryStreamConsumer consumer;
  private final Clock clock;
  private final CompletableFuture<PermanentStoreException> failure = new CompletableFuture<>();
  private volatile boolean stopping;
  private Thread thread;

  InMemoryFleet(InMemoryStreamConsumer consumer, Clock clock) {
    this.consumer = consumer;
    this.clock = clock;
  }

  @Override
  public synchronized void start(ShardTracker tracker) {
    consumer.shards().forEach(tracker::leaseTaken);
    thread = new Thread(() -> run(tracker), "spillway-memory-consumer");
    thread.setDaemon(true);
    thread.start();
  }

  private void run(ShardTracker tracker) {
    while (!stopping) {
      int delivered = 0;
      try {
        for (String shard : consumer.shards()) {
          int n = consumer.pollShard(shard);
          delivered += n;
          Map<String, Duration> ages = consumer.iteratorAges();
          Duration age = ages.getOrDefault(shard, Duration.ZERO);
          tracker.batchDone(shard, Optional.of(clock.now().minus(age)), n, 0, age.isZero());
        }
      } catch (PermanentStoreException e) {
        log.error("in-memory consumer stops: {}", e.getMessage());
        failure.complete(e);
        return;
      } catch (RuntimeException e) {
        log.warn("in-memory consumer poll failed, will poll again: {}", e.toString());
      }
      if (delivered == 0) {
        try {
          Thread.sleep(InMemoryStreamConsumer.IDLE_BETWEEN_READS.toMillis());
        } catch (InterruptedException e) {
          return;
        }
      }
    }
  }

  @Override
  public int workersRunning() {
    Thread t = thread;
    return t != null && t.isAlive() && !stopping ? 1 : 0;
  }

  @Override
  public CompletableFuture<PermanentStoreException> failure() {
    return failure;
  }

  @Override
  public void close() {
    stopping = true;
    Thread t;
    synchronized (this) {
      t = thread;
    }
    if (t != null) {
      try {
        t.join(30_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
