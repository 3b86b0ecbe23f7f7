package io.spillway.adapters.aws.kcl;

import io.spillway.application.port.in.Ingest;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.cloudwatch.CloudWatchAsyncClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.kinesis.KinesisAsyncClient;
import software.amazon.kinesis.common.ConfigsBuilder;
import software.amazon.kinesis.common.InitialPositionInStream;
import software.amazon.kinesis.common.InitialPositionInStreamExtended;
import software.amazon.kinesis.coordinator.Scheduler;
import software.amazon.kinesis.metrics.MetricsFactory;
import software.amazon.kinesis.metrics.NullMetricsFactory;
import software.amazon.kinesis.retrieval.fanout.FanOutConfig;
import software.amazon.kinesis.retrieval.polling.PollingConfig;

/**
 * A Kinesis Client Library 3.x worker that feeds Spillway's ingest use case: many of them share a
 * stream's shards through leases kept in DynamoDB (table {@code applicationName}). Polling
 * retrieval by default, enhanced fan-out when asked.
 */
public final class KclConsumer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(KclConsumer.class);

  /** How records are fetched from the shards. */
  public enum Retrieval {
    POLLING,
    ENHANCED_FAN_OUT
  }

  /**
   * @param applicationName names the lease table and the consumer group
   * @param workerId stable across restarts of one process (so it resumes its leases quickly)
   * @param idleBetweenReads polling pause when a shard has nothing new (~200 ms keeps latency low)
   * @param metrics KCL's own metrics: null for KCL's CloudWatch default (on AWS), {@link NullMetricsFactory} locally
   */
  public record Settings(String streamName, String applicationName, String workerId, Retrieval retrieval,
      Duration idleBetweenReads, Duration retryPause, MetricsFactory metrics) {
    public Settings {
      Objects.requireNonNull(streamName, "streamName");
      Objects.requireNonNull(applicationName, "applicationName");
      Objects.requireNonNull(workerId, "workerId");
    }

    public static Settings local(String streamName, String applicationName, String workerId) {
      return new Settings(streamName, applicationName, workerId, Retrieval.POLLING, Duration.ofMillis(200), Duration.ofMillis(100),
          new NullMetricsFactory());
    }
  }

  private final Scheduler scheduler;
  private final Thread thread;

  private KclConsumer(Scheduler scheduler, String workerId) {
    this.scheduler = scheduler;
    this.thread = new Thread(scheduler, "kcl-scheduler-" + workerId);
    this.thread.setDaemon(true);
  }

  /** Builds and starts a worker. */
  public static KclConsumer start(Ingest ingest, Settings settings, KinesisAsyncClient kinesis, DynamoDbAsyncClient dynamo,
      CloudWatchAsyncClient cloudWatch) {
    ConfigsBuilder configs = new ConfigsBuilder(settings.streamName(), settings.applicationName(), kinesis, dynamo, cloudWatch,
        settings.workerId(), () -> new IngestRecordProcessor(ingest, settings.retryPause()));
    var retrieval = configs.retrievalConfig()
        .initialPositionInStreamExtended(InitialPositionInStreamExtended.newInitialPosition(InitialPositionInStream.TRIM_HORIZON));
    if (settings.retrieval() == Retrieval.POLLING) {
      retrieval.retrievalSpecificConfig(new PollingConfig(settings.streamName(), kinesis)
          .idleTimeBetweenReadsInMillis(settings.idleBetweenReads().toMillis()));
    } else {
      retrieval.retrievalSpecificConfig(new FanOutConfig(kinesis).streamName(settings.streamName())
          .applicationName(settings.applicationName()));
    }
    Scheduler scheduler = new Scheduler(
        configs.checkpointConfig(),
        configs.coordinatorConfig(),
        configs.leaseManagementConfig(),
        configs.lifecycleConfig(),
        settings.metrics() == null ? configs.metricsConfig() : configs.metricsConfig().metricsFactory(settings.metrics()),
        configs.processorConfig(),
        retrieval);
    KclConsumer consumer = new KclConsumer(scheduler, settings.workerId());
    consumer.thread.start();
    log.info("KCL worker {} started on stream {} (lease table {})", settings.workerId(), settings.streamName(), settings.applicationName());
    return consumer;
  }

  /** Stops gracefully: processors checkpoint what is durable and release their leases. */
  @Override
  public void close() {
    try {
      scheduler.startGracefulShutdown().get(60, TimeUnit.SECONDS);
    } catch (Exception e) {
      log.warn("graceful shutdown did not finish, stopping now: {}", e.toString());
      scheduler.shutdown();
    }
  }
}
