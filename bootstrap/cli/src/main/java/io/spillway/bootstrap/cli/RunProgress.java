package io.spillway.bootstrap.cli;

import io.spillway.bootstrap.pipeline.Pipeline;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Reports a long pipeline run on stderr (stdout carries the result, and {@code --json}'s object):
 * every few seconds, the events produced and stored so far. A run shorter than the first interval
 * prints nothing.
 */
final class RunProgress implements AutoCloseable {
  static final Duration EVERY = Duration.ofSeconds(5);

  private final ScheduledExecutorService timer;

  private RunProgress(ScheduledExecutorService timer) {
    this.timer = timer;
  }

  /** Starts reporting {@code pipeline}'s progress towards {@code events} events as {@code [label] ...}. */
  static RunProgress start(String label, Pipeline pipeline, double events, PrintWriter err) {
    ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "spillway-progress");
      t.setDaemon(true);
      return t;
    });
    long began = System.nanoTime();
    timer.scheduleAtFixedRate(() -> {
      long produced = pipeline.intake().stats().eventsAccepted();
      long stored = pipeline.ingest().stats().eventsWritten();
      err.println(String.format(Locale.ROOT, "[%s] %d s: %,d of %,.0f events produced (%.0f %%), %,d stored", label,
          (System.nanoTime() - began) / 1_000_000_000L, produced, events, 100 * produced / Math.max(1, events), stored));
      err.flush();
    }, EVERY.toMillis(), EVERY.toMillis(), TimeUnit.MILLISECONDS);
    return new RunProgress(timer);
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
