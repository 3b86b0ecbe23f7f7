package io.spillway.bootstrap;

import io.micrometer.core.instrument.Tags;
import io.spillway.adapters.aws.dynamodb.SpillwayTable;
import io.spillway.application.port.out.Clock;
import io.spillway.bootstrap.aws.AwsClients;
import io.spillway.bootstrap.aws.AwsSettings;
import io.spillway.bootstrap.aws.AwsSpillway;
import io.spillway.bootstrap.aws.KclFleet;
import io.spillway.bootstrap.metrics.SpillwayMetrics;
import io.spillway.bootstrap.wiring.InMemorySpillway;
import io.spillway.bootstrap.wiring.SpillwayServices;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * One Spillway on one environment — in memory, or on DynamoDB and Kinesis — and the roles a
 * process takes in it: a {@link #producer() producer} for job runners, a {@link #consumer()
 * consumer} for the KCL fleet, a {@link #reader() reader} for downstream services. Each role is
 * built on first use, so a job runner that only produces never starts a consumer. Closing the
 * Spillway closes the roles it built (the producer first, publishing what it still buffers).
 *
 * <pre>{@code
 * try (Spillway spillway = Spillway.onAws(SpillwayConfig.defaults(), AwsSettings.onAws("analytics-chunks", "analytics"))) {
 *   SpillwayProducer producer = spillway.producer();
 *   Job job = producer.open("nightly scoring", JobClass.COMPLEX, 8);
 *   producer.appendAll(job.id(), events);
 *   producer.seal(job.id());
 * }
 * }</pre>
 */
public final class Spillway implements AutoCloseable {
  private final SpillwayServices services;
  private final Supplier<ConsumerFleet> fleet;
  private final Runnable closeEnvironment;
  private SpillwayProducer producer;
  private SpillwayConsumer consumer;
  private SpillwayReader reader;
  private SpillwayOperator operator;

  private Spillway(SpillwayServices services, Supplier<ConsumerFleet> fleet, Runnable closeEnvironment) {
    this.services = services;
    this.fleet = fleet;
    this.closeEnvironment = closeEnvironment;
  }

  /**
   * In memory, on this clock (the wall clock, or a virtual one for simulations and tests). The
   * roles' background threads (the producer's linger tick, the consumer's polling loop and sweep)
   * run on wall time; on a virtual clock, drive {@link #services()} yourself instead (time only
   * moves when the caller moves it).
   */
  public static Spillway inMemory(SpillwayConfig config, Clock clock) {
    InMemorySpillway memory = InMemorySpillway.create(config, clock);
    return new Spillway(memory, () -> new InMemoryFleet(memory.consumer(), memory.clock()), () -> {});
  }

  /** In memory, on the wall clock. */
  public static Spillway inMemory(SpillwayConfig config) {
    return inMemory(config, new SystemClock());
  }

  /**
   * On DynamoDB and Kinesis. On the local stand-ins the stream and the table are created when
   * absent; on AWS they must exist ({@code spillway setup --backend aws} creates them), which is
   * checked here, retrying failures that may pass for as long as the settings' patience lasts.
   *
   * @throws IllegalStateException when the stream or the table does not exist on AWS
   */
  public static Spillway onAws(SpillwayConfig config, AwsSettings aws) {
    return onAws(config, aws, AwsClients.of(aws));
  }

  /** As {@link #onAws(SpillwayConfig, AwsSettings)}, on clients built elsewhere; they are closed with this Spillway. */
  public static Spillway onAws(SpillwayConfig config, AwsSettings aws, AwsClients clients) {
    AwsSpillway component = AwsSpillway.create(config, aws, clients);
    try {
      prepare(component);
    } catch (RuntimeException e) {
      component.clients().close();
      throw e;
    }
    return new Spillway(component, () -> new KclFleet(component), () -> component.clients().close());
  }

  /** As a properties file says (see {@link SpillwaySettings}): {@code spillway.backend=memory|aws} and the settings. */
  public static Spillway fromProperties(Path file) throws IOException {
    SpillwaySettings p = SpillwaySettings.load(file);
    return p.aws().isPresent() ? onAws(p.config(), p.aws().get()) : inMemory(p.config());
  }

  private static void prepare(AwsSpillway component) {
    AwsSettings aws = component.aws();
    SpillwayTable table = component.table();
    if (aws.standIns()) {
      aws.patience().retry("creating stream " + aws.streamName() + " and table " + aws.tableName(), () -> {
        table.createIfAbsent(new SpillwayTable.Billing.OnDemand());
        component.streams().createIfAbsent(aws.streamName(), aws.shards(), Duration.ofHours(24));
      });
    } else if (!aws.patience().retry("looking up table " + aws.tableName(), table::exists)
        || !aws.patience().retry("looking up stream " + aws.streamName(), () -> component.streams().exists(aws.streamName()))) {
      throw new IllegalStateException("table " + aws.tableName() + " or stream " + aws.streamName()
          + " does not exist: create them with `spillway setup --backend aws`");
    }
  }

  public synchronized SpillwayProducer producer() {
    if (producer == null) {
      producer = new SpillwayProducer(services.intake(), services.publisher(), services.config());
    }
    return producer;
  }

  /** This process's consumer (not started: call {@link SpillwayConsumer#start()}). */
  public synchronized SpillwayConsumer consumer() {
    if (consumer == null) {
      consumer = new SpillwayConsumer(services, fleet.get());
    }
    return consumer;
  }

  public synchronized SpillwayReader reader() {
    if (reader == null) {
      reader = new SpillwayReader(services.datasets(), services.clock());
    }
    return reader;
  }

  /** The operator's side: jobs, re-verification and dead letters. */
  public synchronized SpillwayOperator operator() {
    if (operator == null) {
      operator = new SpillwayOperator(services);
    }
    return operator;
  }

  /** Spillway's meters for a Micrometer registry: producer, consumer, governor, shards and retention risk. */
  public SpillwayMetrics metrics(Tags tags) {
    return new SpillwayMetrics(services, this::consumerIfBuilt, tags);
  }

  private synchronized java.util.Optional<SpillwayConsumer> consumerIfBuilt() {
    return java.util.Optional.ofNullable(consumer);
  }

  /** The services behind the roles, for what the roles do not cover (reports, tests, the command line). */
  public SpillwayServices services() {
    return services;
  }

  @Override
  public synchronized void close() {
    try {
      if (producer != null) {
        producer.close();
      }
    } finally {
      if (consumer != null) {
        consumer.close();
      }
      if (reader != null) {
        reader.close();
      }
      closeEnvironment.run();
    }
  }
}
