package io.spillway.adapters.aws.kcl;

import io.spillway.application.port.out.PermanentStoreException;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * The first failure of a worker that no retry fixes, shared by its shard processors: once tripped,
 * none of them ingests or checkpoints again, and the listener (the worker) is told once.
 */
final class WorkerFailure {
  private final AtomicReference<PermanentStoreException> first = new AtomicReference<>();
  private final CountDownLatch tripped = new CountDownLatch(1);
  private final Consumer<PermanentStoreException> listener;

  WorkerFailure(Consumer<PermanentStoreException> listener) {
    this.listener = listener;
  }

  void trip(PermanentStoreException e) {
    if (first.compareAndSet(null, e)) {
      tripped.countDown();
      listener.accept(e);
    }
  }

  boolean tripped() {
    return tripped.getCount() == 0;
  }

  Optional<PermanentStoreException> cause() {
    return Optional.ofNullable(first.get());
  }

  /** Waits up to {@code millis} unless the worker fails first; false when it failed or the thread was interrupted. */
  boolean pause(long millis) {
    try {
      return !tripped.await(millis, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
