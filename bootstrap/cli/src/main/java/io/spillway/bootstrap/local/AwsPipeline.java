package io.spillway.bootstrap.local;

import io.spillway.adapters.aws.dynamodb.SpillwayTable;
import io.spillway.adapters.aws.kcl.KclConsumer;
import io.spillway.adapters.aws.kcl.KclFailover;
import io.spillway.adapters.aws.kinesis.KinesisStreams;
import io.spillway.application.port.out.Jobs;
import io.spillway.application.port.out.PermanentStoreException;
import io.spillway.application.service.ChunkPublisher;
import io.spillway.application.service.DatasetService;
import io.spillway.application.service.IngestService;
import io.spillway.application.service.IntakeService;
import io.spillway.bootstrap.Spillway;
import io.spillway.bootstrap.SpillwayConfig;
import io.spillway.bootstrap.SpillwayConsumer;
import io.spillway.bootstrap.aws.AwsClients;
import io.spillway.bootstrap.aws.AwsSettings;
import io.spillway.bootstrap.aws.Patience;
import io.spillway.bootstrap.pipeline.Pipeline;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The command line's runs and benches on the AWS environment (the local stand-ins or AWS), as the
 * {@link Pipeline} they drive: a {@link Spillway} built on the runtime, whose consumer the run
 * starts beside the producer.
 */
public final class AwsPipeline implements Pipeline, AutoCloseable {
  /** How often consumers sweep the SEALED jobs on the stand-ins. */
  public static final Duration LOCAL_SWEEP = Duration.ofSeconds(5);

  /**
   * Names and sizes of one setup.
   *
   * @param workerId KCL worker id, null for one from the host and the worker's slot
   * @param failover how soon a stopped consumer's shards move to the others, null for the backend's default
   * @param retrieval how the consumers read the shards: polling, or enhanced fan-out
   */
  public record Settings(String streamName, String tableName, int shards, int consumers, double writeUnitsPerSecond, String workerId,
      KclFailover failover, KclConsumer.Retrieval retrieval) {
    public Settings {
      java.util.Objects.requireNonNull(retrieval, "retrieval");
    }

    public Settings(String streamName, String tableName, int shards, int consumers, double writeUnitsPerSecond) {
      this(streamName, tableName, shards, consumers, writeUnitsPerSecond, null, null, KclConsumer.Retrieval.POLLING);
    }

    public Settings withRetrieval(KclConsumer.Retrieval retrieval) {
      return new Settings(streamName, tableName, shards, consumers, writeUnitsPerSecond, workerId, failover, retrieval);
    }
  }

  /** Creates the table and the stream if absent (what `spillway setup` does); safe to run twice. */
  public static void setup(AwsClients clients, String tableName, SpillwayTable.Billing billing, String streamName, int shards,
      Duration retention) {
    new SpillwayTable(clients.dynamo(), tableName).createIfAbsent(billing);
    new KinesisStreams(clients.kinesis()).createIfAbsent(streamName, shards, retention);
  }

  private final Settings settings;
  private final AwsClients clients;
  private final Spillway spillway;

  /** Sets up with {@link Patience#BRIEF brief} patience for a stream or table that is slow to answer. */
  public AwsPipeline(AwsClients clients, Settings settings) {
    this(clients, settings, Patience.BRIEF);
  }

  public AwsPipeline(AwsClients clients, Settings settings, Patience patience) {
    this(clients, settings, patience, SpillwayConfig.defaults());
  }

  /**
   * @param patience how long to keep retrying the setup calls while they fail in a way a retry may fix
   * @param config the pipeline's settings; the write budget is the settings' {@code writeUnitsPerSecond}
   */
  public AwsPipeline(AwsClients clients, Settings settings, Patience patience, SpillwayConfig config) {
    this.settings = settings;
    this.clients = clients;
    this.spillway = Spillway.onAws(configFor(config, settings, clients.local()), awsSettings(settings, clients, patience), clients);
  }

  /** The runtime's settings for these: where the stream and table are, and the worker's shape. */
  public static AwsSettings awsSettings(Settings settings, AwsClients clients, Patience patience) {
    AwsSettings aws = clients.local()
        ? AwsSettings.onStandIns(settings.streamName(), settings.tableName(), clients.dynamoDbEndpoint().orElseThrow(),
            clients.kinesisEndpoint().orElseThrow(), settings.shards())
        : AwsSettings.onAws(settings.streamName(), settings.tableName()).withEndpoints(clients.dynamoDbEndpoint(), clients.kinesisEndpoint());
    aws = aws.withWorkers(settings.consumers(), Optional.ofNullable(settings.workerId())).withRetrieval(settings.retrieval()).withPatience(patience);
    return settings.failover() == null ? aws : aws.withFailover(settings.failover());
  }

  /** The configuration with the settings' write budget; on the stand-ins, a quicker sweep unless the configuration chose one. */
  private static SpillwayConfig configFor(SpillwayConfig config, Settings settings, boolean standIns) {
    SpillwayConfig paced = config.withIngest(config.ingest().withWriteUnitsPerSecond(settings.writeUnitsPerSecond()));
    boolean defaultSweep = config.availabilitySweep().equals(SpillwayConfig.defaults().availabilitySweep())
        && config.maxRecountInterval().equals(SpillwayConfig.defaults().maxRecountInterval());
    return standIns && defaultSweep ? paced.withAvailabilitySweep(LOCAL_SWEEP, Duration.ofMinutes(2)) : paced;
  }

  @Override
  public IntakeService intake() {
    return spillway.services().intake();
  }

  @Override
  public ChunkPublisher publisher() {
    return spillway.services().publisher();
  }

  @Override
  public IngestService ingest() {
    return spillway.services().ingest();
  }

  @Override
  public Jobs jobs() {
    return spillway.services().jobs();
  }

  @Override
  public DatasetService datasets() {
    return spillway.services().datasets();
  }

  /** The Spillway this harness runs. */
  public Spillway spillway() {
    return spillway;
  }

  /** Starts this process's consumer: KCL workers and the availability sweep beside them. */
  @Override
  public AutoCloseable startConsumers() {
    SpillwayConsumer consumer = spillway.consumer().start();
    return consumer::close;
  }

  /** Completes, with the failure, when a consumer worker stopped on a failure no retry fixes (its records stay in the stream). */
  public CompletableFuture<PermanentStoreException> consumerFailure() {
    return spillway.consumer().failure();
  }

  /** The KCL application (lease table, fan-out consumer) of a stream's consumers. */
  public static String consumerApplication(String streamName) {
    return "spillway-" + streamName;
  }

  /** The SDK clients this pipeline runs on. */
  public AwsClients clients() {
    return clients;
  }

  /** The SDK clients this pipeline runs on. */
  public AwsClients clientsForTests() {
    return clients;
  }

  @Override
  public String describe() {
    return (clients.local() ? "local backend (SDK + KCL against DynamoDB Local and kinesis-mock)" : "aws backend") + ": stream "
        + settings.streamName() + " with "
        + settings.shards() + " shards, table " + settings.tableName() + ", " + settings.consumers() + " KCL worker(s), "
        + (settings.retrieval() == KclConsumer.Retrieval.POLLING ? "polling" : "enhanced fan-out");
  }

  @Override
  public void close() {
    spillway.close();
  }
}
