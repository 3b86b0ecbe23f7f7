package io.spillway.bootstrap.pipeline;

import io.spillway.application.port.out.Jobs;
import io.spillway.application.service.ChunkPublisher;
import io.spillway.application.service.DatasetService;
import io.spillway.application.service.IngestService;
import io.spillway.application.service.IntakeService;
import io.spillway.bootstrap.wiring.InMemorySpillway;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

/** The in-memory backend as a {@link Pipeline}: one consumer thread polls every shard. */
public record InMemoryPipeline(InMemorySpillway spillway) implements Pipeline {
  @Override
  public IntakeService intake() {
    return spillway.intake();
  }

  @Override
  public ChunkPublisher publisher() {
    return spillway.publisher();
  }

  @Override
  public IngestService ingest() {
    return spillway.ingest();
  }

  @Override
  public Jobs jobs() {
    return spillway.jobs();
  }

  @Override
  public DatasetService datasets() {
    return spillway.datasets();
  }

  @Override
  public AutoCloseable startConsumers() {
    AtomicReference<Throwable> failure = new AtomicReference<>();
    Thread thread = new Thread(() -> {
      try {
        while (!Thread.currentThread().isInterrupted()) {
          if (spillway.consumer().pollOnce() == 0) {
            spillway.clock().sleep(Duration.ofMillis(1));
          }
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (Throwable t) {
        failure.set(t);
      }
    }, "spillway-consumer");
    thread.setDaemon(true);
    thread.start();
    return () -> {
      thread.interrupt();
      thread.join();
      if (failure.get() != null) {
        throw new IllegalStateException("the consumer failed: " + failure.get(), failure.get());
      }
    };
  }

  @Override
  public String describe() {
    var c = spillway.config();
    return "in-memory backend: " + c.stream().shards() + " shards, table " + c.table().mode();
  }
}
