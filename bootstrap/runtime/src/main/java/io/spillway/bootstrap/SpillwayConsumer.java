package io.spillway.bootstrap;

import io.spillway.application.port.out.PermanentStoreException;
import io.spillway.application.service.AvailabilityCheck;
import io.spillway.application.service.BacklogMonitor;
import io.spillway.application.service.IngestService;
import io.spillway.application.service.WriteRateGovernor;
import io.spillway.bootstrap.wiring.SpillwayServices;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One member of the consumer fleet: workers that persist the stream into the table at the pace
 * the write budget allows, and beside them the availability sweep (a job whose last chunk was
 * stored by a consumer that died before counting it still becomes AVAILABLE). Start it, watch its
 * {@link #health()} and {@link #stats()}, close it to stop gracefully.
 */
public final class SpillwayConsumer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(SpillwayConsumer.class);
  /** How often the retention risk is assessed. */
  public static final Duration ASSESS_EVERY = Duration.ofSeconds(5);

  /** Whether the process is worth keeping (live) and whether it does its share now (ready). */
  public record Health(boolean live, boolean ready, int workersRunning, int leasesHeld, String detail) {}

  /** What this process has done since it started, and where its shards stand. */
  public record Stats(IngestService.Stats ingest, double writeUnitsPerSecondAllowed, long recordsProcessed, long bytesProcessed,
      Map<String, Duration> iteratorAges) {}

  private final SpillwayServices services;
  private final ConsumerFleet fleet;
  private final ShardTracker tracker;
  private final BacklogMonitor monitor;
  private double writeUnitsSeen;
  private long throttlesSeen;
  private final ScheduledExecutorService background;
  private final CompletableFuture<PermanentStoreException> failed = new CompletableFuture<>();
  private volatile boolean started;
  private volatile boolean closed;

  SpillwayConsumer(SpillwayServices services, ConsumerFleet fleet) {
    this.services = services;
    this.fleet = fleet;
    this.monitor = new BacklogMonitor(services.clock(), services.config().backlog());
    services.retention().value().ifPresent(monitor::retention);
    this.tracker = new ShardTracker(monitor);
    this.background = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "spillway-consumer-background");
      t.setDaemon(true);
      return t;
    });
  }

  /** Starts the workers and the availability sweep; starting twice is a no-op. */
  public synchronized SpillwayConsumer start() {
    if (started) {
      return this;
    }
    if (closed) {
      throw new IllegalStateException("this consumer was closed; build a new one");
    }
    started = true;
    fleet.failure().thenAccept(failed::complete);
    fleet.start(tracker);
    long every = services.config().availabilitySweep().toMillis();
    background.scheduleWithFixedDelay(this::sweep, every, every, TimeUnit.MILLISECONDS);
    background.scheduleWithFixedDelay(this::assess, 0, ASSESS_EVERY.toMillis(), TimeUnit.MILLISECONDS);
    return this;
  }

  public Health health() {
    int running = fleet.workersRunning();
    int leases = tracker.leasesHeld();
    if (failed.isDone()) {
      return new Health(false, false, running, leases, "stopped: " + failed.join().getMessage());
    }
    boolean live = started && !closed && running > 0;
    String detail = !started ? "not started" : closed ? "stopped" : running == 0 ? "no worker running" : leases == 0 ? "holds no lease" : "ok";
    return new Health(live, live && leases > 0, running, leases, detail);
  }

  public Stats stats() {
    WriteRateGovernor governor = services.governor();
    return new Stats(services.ingest().stats(), governor.currentRate(), tracker.recordsProcessed(), tracker.bytesProcessed(),
        tracker.iteratorAges());
  }

  /** The shards this process holds, and how far behind each is. */
  public ShardTracker shards() {
    return tracker;
  }

  /** Completes, with the failure, when a worker stopped on a failure no retry fixes (the table is gone, access is denied). */
  public CompletableFuture<PermanentStoreException> failure() {
    return failed;
  }

  /** The retention risk as last assessed (every 5 s while running): level, time to loss, drain needed, bottleneck. */
  public BacklogMonitor.Assessment backlog() {
    return monitor.latest();
  }

  /** Feeds the monitor the write budget and the units spent, and takes its sample; it logs a change of level. */
  public BacklogMonitor.Assessment assess() {
    try {
      monitor.writeBudget(services.governor().currentRate());
      var stats = services.ingest().stats();
      double spent = stats.writeUnits();
      long delta;
      long throttled;
      synchronized (this) {
        delta = Math.round(spent - writeUnitsSeen);
        writeUnitsSeen += delta;
        throttled = Math.max(0, stats.throttledAttempts() - throttlesSeen);
        throttlesSeen += throttled;
      }
      if (delta > 0) {
        monitor.writeUnits(delta);
      }
      if (throttled > 0) {
        // the table refusing puts names the write capacity, whatever the budget says
        monitor.tableThrottles(throttled);
      }
      return monitor.assess();
    } catch (RuntimeException e) {
      log.warn("backlog assessment failed, will run again: {}", e.toString());
      return monitor.latest();
    }
  }

  private void sweep() {
    try {
      AvailabilityCheck.Sweep sweep = services.availability().sweep();
      if (sweep.madeAvailable() > 0 || sweep.recounted() > 0) {
        log.info("availability sweep: {} job(s) made AVAILABLE, {} recounted, {} still SEALED", sweep.madeAvailable(), sweep.recounted(),
            sweep.sealed());
      }
    } catch (PermanentStoreException e) {
      // the sweep reads the table every few seconds even when no record arrives: a table that is gone
      // (or refused to this process) stops the consumer here as it would at the next put
      log.error("consumer stops: the availability sweep met a failure no retry fixes: {}", e.getMessage());
      stopAfter(e);
    } catch (RuntimeException e) {
      log.warn("availability sweep failed, will run again: {}", e.toString());
    }
  }

  private void stopAfter(PermanentStoreException e) {
    Thread stopper = new Thread(() -> {
      close();
      failed.complete(e);
    }, "spillway-consumer-stop");
    stopper.setDaemon(true);
    stopper.start();
  }

  /** Stops gracefully: the workers checkpoint what is durable; their leases move to the other consumers. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    background.shutdownNow();
    fleet.close();
  }
}
