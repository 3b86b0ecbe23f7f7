package io.spillway.adapters.aws.kcl;

import io.spillway.application.port.in.Ingest;
import io.spillway.application.port.out.PermanentStoreException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.cloudwatch.CloudWatchAsyncClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.kinesis.KinesisAsyncClient;
import software.amazon.kinesis.common.ConfigsBuilder;
import software.amazon.kinesis.common.InitialPositionInStream;
import software.amazon.kinesis.common.InitialPositionInStreamExtended;
import software.amazon.kinesis.coordinator.Scheduler;
import software.amazon.kinesis.coordinator.WorkerStateChangeListener;
import software.amazon.kinesis.leases.LeaseAssignmentStrategy;
import software.amazon.kinesis.leases.LeaseManagementConfig;
import software.amazon.kinesis.metrics.MetricsFactory;
import software.amazon.kinesis.metrics.NullMetricsFactory;
import software.amazon.kinesis.retrieval.fanout.FanOutConfig;
import software.amazon.kinesis.retrieval.polling.PollingConfig;

/**
 * A Kinesis Client Library 3.x worker that feeds Spillway's ingest use case: many of them share a
 * stream's shards through leases kept in DynamoDB (table {@code applicationName}). Polling
 * retrieval by default, enhanced fan-out when asked.
 *
 * <p>Shards are balanced by lease count: each consumer process paces its writes to its own
 * write-unit budget, so an even share of shards is an even share of that budget (KCL's default
 * balances by CPU, which is neither what limits a consumer nor measurable off EC2, ECS and EKS).
 *
 * <p>A worker whose initialization fails is thrown away and built afresh rather than retried in
 * place: KCL 3.5.1 retries in place with its migration state already marked initialized, and the
 * retry then skips starting the worker's liveness reports and its lease assignment. Such a worker
 * is never given a shard and, as leader, never reassigns a dead worker's. Workers started together
 * on a new lease table hit this whenever one's creation of the lease-owner index meets another's.
 */
public final class KclConsumer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(KclConsumer.class);
  /** The longest wait before building a worker afresh after a failed initialization. */
  private static final Duration MAX_REBUILD_PAUSE = Duration.ofSeconds(30);

  /** How records are fetched from the shards. */
  public enum Retrieval {
    /**
     * GetRecords on each shard, pausing {@code idleBetweenReads} when it has nothing new. Every
     * polling application on a stream shares the shard's 2 MB/s and 5 reads/s of GetRecords.
     */
    POLLING,
    /**
     * Enhanced fan-out: KCL registers a stream consumer named after the application and Kinesis
     * pushes each shard's records over SubscribeToShard, 2 MB/s per shard for this consumer alone,
     * at the price of consumer-shard hours and data retrieved.
     */
    ENHANCED_FAN_OUT
  }

  /**
   * @param applicationName names the lease table and the consumer group
   * @param workerId stable across restarts of one process (so it resumes its leases quickly)
   * @param idleBetweenReads polling pause when a shard has nothing new (~200 ms keeps latency low)
   * @param metrics KCL's own metrics: null for KCL's CloudWatch default (on AWS), {@link NullMetricsFactory} locally
   * @param failover how soon a stopped worker's shards move to the others
   * @param shardSyncPause KCL's pause after a shard sync that created leases: the worker that
   *     creates a new stream's leases reads nothing for this long (KCL's default is a minute)
   */
  public record Settings(String streamName, String applicationName, String workerId, Retrieval retrieval,
      Duration idleBetweenReads, Duration retryPause, MetricsFactory metrics, KclFailover failover, Duration shardSyncPause,
      int maxRecordsPerRead) {
    /** Failover on the local stand-ins: a stopped worker's shards move within about 20 s (36 s for a leader that died). */
    public static final KclFailover LOCAL_FAILOVER = new KclFailover(Duration.ofSeconds(2));

    public Settings {
      Objects.requireNonNull(streamName, "streamName");
      Objects.requireNonNull(applicationName, "applicationName");
      Objects.requireNonNull(workerId, "workerId");
      Objects.requireNonNull(retrieval, "retrieval");
      Objects.requireNonNull(failover, "failover");
      Objects.requireNonNull(shardSyncPause, "shardSyncPause");
      if (maxRecordsPerRead < 1 || maxRecordsPerRead > 10_000) {
        throw new IllegalArgumentException("maxRecordsPerRead " + maxRecordsPerRead + " is outside 1..10000 (GetRecords' limit)");
      }
    }

    public static Settings local(String streamName, String applicationName, String workerId) {
      return new Settings(streamName, applicationName, workerId, Retrieval.POLLING, Duration.ofMillis(200), Duration.ofMillis(100),
          new NullMetricsFactory(), LOCAL_FAILOVER, Duration.ofSeconds(1), 10_000);
    }

    /** The same worker on AWS: KCL's own CloudWatch metrics, failover timers and shard-sync pause. */
    public Settings onAws() {
      return new Settings(streamName, applicationName, workerId, retrieval, idleBetweenReads, retryPause, null, KclFailover.KCL_DEFAULT,
          Duration.ofMinutes(1), maxRecordsPerRead);
    }

    /** The same worker reading by {@code retrieval}. */
    public Settings withRetrieval(Retrieval retrieval) {
      return new Settings(streamName, applicationName, workerId, retrieval, idleBetweenReads, retryPause, metrics, failover, shardSyncPause,
          maxRecordsPerRead);
    }

    /** At most {@code n} records per GetRecords (polling): smaller batches report progress more often. */
    public Settings withMaxRecordsPerRead(int n) {
      return new Settings(streamName, applicationName, workerId, retrieval, idleBetweenReads, retryPause, metrics, failover, shardSyncPause, n);
    }

    public Settings withFailover(KclFailover failover) {
      return new Settings(streamName, applicationName, workerId, retrieval, idleBetweenReads, retryPause, metrics, failover, shardSyncPause,
          maxRecordsPerRead);
    }
  }

  /** The DynamoDB tables KCL 3.x keeps for an application: leases, worker metrics, coordinator state. */
  public static List<String> tablesOf(String applicationName) {
    return List.of(applicationName, applicationName + "-WorkerMetricStats", applicationName + "-CoordinatorState");
  }

  private final String workerId;
  private final Thread thread;
  private final CompletableFuture<PermanentStoreException> failed = new CompletableFuture<>();
  private final WorkerFailure failure = new WorkerFailure(this::stopAfter);
  private final Function<InitializationWatch, Scheduler> workers;
  private Scheduler scheduler;
  private boolean closing;

  private KclConsumer(BiFunction<InitializationWatch, WorkerFailure, Scheduler> workers, String workerId) {
    this.workers = watch -> workers.apply(watch, failure);
    this.workerId = workerId;
    this.thread = new Thread(this::run, "kcl-scheduler-" + workerId);
    this.thread.setDaemon(true);
  }

  /** Builds and starts a worker. */
  public static KclConsumer start(Ingest ingest, Settings settings, KinesisAsyncClient kinesis, DynamoDbAsyncClient dynamo,
      CloudWatchAsyncClient cloudWatch) {
    return start(ingest, settings, kinesis, dynamo, cloudWatch, ShardListener.none());
  }

  /** Builds and starts a worker whose processors report what they see of their shards to {@code listener}. */
  public static KclConsumer start(Ingest ingest, Settings settings, KinesisAsyncClient kinesis, DynamoDbAsyncClient dynamo,
      CloudWatchAsyncClient cloudWatch, ShardListener listener) {
    KclConsumer consumer = new KclConsumer((watch, failure) -> scheduler(ingest, settings, kinesis, dynamo, cloudWatch, watch, failure, listener),
        settings.workerId());
    consumer.thread.start();
    log.info("KCL worker {} started on stream {} (lease table {}, failover time {})", settings.workerId(), settings.streamName(),
        settings.applicationName(), settings.failover().failoverTime());
    return consumer;
  }

  private static Scheduler scheduler(Ingest ingest, Settings settings, KinesisAsyncClient kinesis, DynamoDbAsyncClient dynamo,
      CloudWatchAsyncClient cloudWatch, InitializationWatch watch, WorkerFailure failure, ShardListener listener) {
    ConfigsBuilder configs = new ConfigsBuilder(settings.streamName(), settings.applicationName(), kinesis, dynamo, cloudWatch,
        settings.workerId(), () -> new IngestRecordProcessor(ingest, settings.retryPause(), failure, listener));
    var retrieval = configs.retrievalConfig()
        .initialPositionInStreamExtended(InitialPositionInStreamExtended.newInitialPosition(InitialPositionInStream.TRIM_HORIZON));
    if (settings.retrieval() == Retrieval.POLLING) {
      retrieval.retrievalSpecificConfig(new PollingConfig(settings.streamName(), kinesis)
          .idleTimeBetweenReadsInMillis(settings.idleBetweenReads().toMillis()).maxRecords(settings.maxRecordsPerRead()));
    } else {
      retrieval.retrievalSpecificConfig(new FanOutConfig(kinesis).streamName(settings.streamName())
          .applicationName(settings.applicationName()));
    }
    LeaseManagementConfig leases = configs.leaseManagementConfig().leaseAssignmentStrategy(LeaseAssignmentStrategy.LEASE_COUNT_BASED)
        .shardSyncIntervalMillis(settings.shardSyncPause().toMillis());
    settings.failover().applyTo(leases);
    return new Scheduler(
        configs.checkpointConfig(),
        configs.coordinatorConfig().maxInitializationAttempts(1).workerStateChangeListener(watch),
        leases,
        configs.lifecycleConfig(),
        settings.metrics() == null ? configs.metricsConfig() : configs.metricsConfig().metricsFactory(settings.metrics()),
        // empty batches too: an idle shard reports that it is caught up (its backlog age is zero)
        configs.processorConfig().callProcessRecordsEvenForEmptyRecordList(true),
        retrieval);
  }

  /**
   * Runs a worker until it is shut down, building a fresh one each time initialization fails (with
   * a growing pause, for as long as it takes: the stream or the lease table may be slow or briefly
   * unreachable), unless the failure is one no retry fixes.
   */
  private void run() {
    long pause = 1_000;
    for (int run = 1; ; run++) {
      InitializationWatch watch = new InitializationWatch();
      Scheduler next = workers.apply(watch);
      synchronized (this) {
        if (closing) {
          return;
        }
        scheduler = next;
      }
      next.run();
      Throwable cause = watch.failure();
      if (cause == null) {
        return;
      }
      Optional<PermanentStoreException> permanent = KinesisFailures.permanent(cause);
      if (permanent.isPresent()) {
        failure.trip(permanent.get());
        return;
      }
      log.warn("KCL worker {} did not initialize ({}); building it afresh in {} ms (run {})", workerId, rootMessage(cause), pause, run);
      if (!failure.pause(pause)) {
        return;
      }
      pause = Math.min(pause * 2, MAX_REBUILD_PAUSE.toMillis());
    }
  }

  /** Whether the worker's thread still runs (building, initializing or running a scheduler) and it was not closed. */
  public synchronized boolean running() {
    return !closing && thread.isAlive();
  }

  /** Completes, with the failure, when this worker stopped on a failure no retry fixes. */
  public CompletableFuture<PermanentStoreException> failed() {
    return failed;
  }

  /** A failure no retry fixes stops the whole worker: its processors already stopped ingesting and checkpointing. */
  private void stopAfter(PermanentStoreException e) {
    log.error("KCL worker {} stops: {}", workerId, e.getMessage());
    Thread stopper = new Thread(() -> {
      close();
      failed.complete(e);
    }, "kcl-stop-" + workerId);
    stopper.setDaemon(true);
    stopper.start();
  }

  private static String rootMessage(Throwable t) {
    Throwable root = t;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root.getClass().getSimpleName() + ": " + root.getMessage();
  }

  /**
   * Stops gracefully: processors checkpoint what is durable. The leases stay this worker's in the
   * lease table until they expire; the leader then gives them to the workers still running (see
   * {@link KclFailover}). A leader gives up its lock at once.
   */
  @Override
  public void close() {
    Scheduler current;
    synchronized (this) {
      closing = true;
      current = scheduler;
    }
    if (current == null) {
      return;
    }
    try {
      current.startGracefulShutdown().get(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      log.warn("graceful shutdown did not finish, stopping now: {}", e.toString());
      current.shutdown();
    }
  }

  /** Remembers why a worker's (single) initialization attempt failed, if it did. */
  private static final class InitializationWatch implements WorkerStateChangeListener {
    private volatile Throwable failure;

    @Override
    public void onWorkerStateChange(WorkerState newState) {}

    @Override
    public void onAllInitializationAttemptsFailed(Throwable e) {
      failure = e;
    }

    Throwable failure() {
      return failure;
    }
  }
}
