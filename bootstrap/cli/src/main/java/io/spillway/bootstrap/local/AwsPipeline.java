package io.spillway.bootstrap.local;

import io.spillway.bootstrap.aws.Patience;
import io.spillway.bootstrap.aws.AwsClients;
import io.spillway.adapters.aws.dynamodb.DynamoDbChunks;
import io.spillway.adapters.aws.dynamodb.DynamoDbDeadLetters;
import io.spillway.adapters.aws.dynamodb.DynamoDbJobs;
import io.spillway.adapters.aws.dynamodb.SpillwayTable;
import io.spillway.adapters.aws.kcl.KclConsumer;
import io.spillway.adapters.aws.kcl.KclFailover;
import io.spillway.adapters.aws.kinesis.KinesisChunkStream;
import io.spillway.adapters.aws.kinesis.KinesisStreams;
import io.spillway.application.codec.Codecs;
import io.spillway.application.port.out.Clock;
import io.spillway.application.port.out.Jobs;
import io.spillway.application.service.AvailabilityCheck;
import io.spillway.application.service.ChunkPublisher;
import io.spillway.application.service.DatasetService;
import io.spillway.application.service.IngestService;
import io.spillway.application.service.IngestSettings;
import io.spillway.application.service.IntakeService;
import io.spillway.application.service.PublisherSettings;
import io.spillway.application.service.WriteRateGovernor;
import io.spillway.bootstrap.RandomJobIds;
import io.spillway.bootstrap.SystemClock;
import io.spillway.bootstrap.pipeline.Pipeline;
import io.spillway.domain.chunk.ChunkAssembler;
import io.spillway.application.port.out.PermanentStoreException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.services.cloudwatch.CloudWatchAsyncClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.kinesis.KinesisAsyncClient;

/**
 * Spillway on the real AWS SDK and KCL — against the local stand-ins or against AWS: producer into
 * the stream, KCL workers (leases in DynamoDB) persisting into the table, the reader on top.
 */
public final class AwsPipeline implements Pipeline, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(AwsPipeline.class);
  /** How often consumers sweep the SEALED jobs on the stand-ins. */
  public static final Duration LOCAL_SWEEP = Duration.ofSeconds(5);
  /** How often consumers sweep the SEALED jobs on AWS (a Query of a small partition and a GetItem per SEALED job). */
  public static final Duration AWS_SWEEP = Duration.ofSeconds(30);

  /**
   * Names and sizes of one setup.
   *
   * @param workerId KCL worker id, null for one from the host and the worker's slot
   * @param failover how soon a stopped consumer's shards move to the others, null for the backend's
   *     default ({@link KclConsumer.Settings#LOCAL_FAILOVER} on the stand-ins, {@link KclFailover#KCL_DEFAULT} on AWS)
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
  private final DynamoDbClient dynamo;
  private final DynamoDbAsyncClient dynamoAsync;
  private final KinesisAsyncClient kinesis;
  private final CloudWatchAsyncClient cloudWatch;
  private final IntakeService intake;
  private final ChunkPublisher publisher;
  private final IngestService ingest;
  private final DynamoDbJobs jobs;
  private final DatasetService datasets;
  private final AvailabilityCheck completion;
  private final CompletableFuture<PermanentStoreException> failed = new CompletableFuture<>();

  /** Sets up with {@link Patience#BRIEF brief} patience for a stream or table that is slow to answer. */
  public AwsPipeline(AwsClients clients, Settings settings) {
    this(clients, settings, Patience.BRIEF);
  }

  /**
   * @param patience how long to keep retrying the setup calls (create-if-absent on the stand-ins,
   *     existence checks on AWS) while they fail in a way a retry may fix
   */
  public AwsPipeline(AwsClients clients, Settings settings, Patience patience) {
    this.settings = settings;
    this.clients = clients;
    this.dynamo = clients.dynamo();
    this.dynamoAsync = clients.dynamoAsync();
    this.kinesis = clients.kinesis();
    this.cloudWatch = clients.cloudWatch();

    SpillwayTable table = new SpillwayTable(dynamo, settings.tableName());
    if (clients.local()) {
      patience.retry("creating stream " + settings.streamName() + " and table " + settings.tableName(), () ->
          setup(clients, settings.tableName(), new SpillwayTable.Billing.OnDemand(), settings.streamName(), settings.shards(), Duration.ofHours(24)));
    } else if (!patience.retry("looking up table " + settings.tableName(), table::exists)
        || !patience.retry("looking up stream " + settings.streamName(), () -> new KinesisStreams(kinesis).exists(settings.streamName()))) {
      throw new IllegalStateException("table " + settings.tableName() + " or stream " + settings.streamName()
          + " does not exist: create them with `spillway setup --backend aws`");
    }

    Clock clock = new SystemClock();
    Codecs codecs = Codecs.standard();
    this.jobs = new DynamoDbJobs(table);
    DynamoDbChunks chunks = new DynamoDbChunks(table, clock, Optional.empty());
    // producers in many processes throttled together must not retry together: jitter from the OS's entropy
    this.publisher = new ChunkPublisher(new KinesisChunkStream(kinesis, settings.streamName()), clock, PublisherSettings.defaults(),
        () -> java.util.concurrent.ThreadLocalRandom.current().nextDouble());
    this.intake = new IntakeService(jobs, new RandomJobIds(), clock, publisher, codecs.writer(), ChunkAssembler.Settings.defaults(),
        new AvailabilityCheck(jobs, chunks, clock), Duration.ofMinutes(5));
    IngestSettings ingestSettings = IngestSettings.defaults().withWriteUnitsPerSecond(settings.writeUnitsPerSecond());
    this.completion = clients.local()
        ? new AvailabilityCheck(jobs, chunks, clock, LOCAL_SWEEP.multipliedBy(2), Duration.ofMinutes(2))
        : new AvailabilityCheck(jobs, chunks, clock, AWS_SWEEP.multipliedBy(2), Duration.ofHours(1));
    this.ingest = new IngestService(chunks, new DynamoDbDeadLetters(table), completion,
        new WriteRateGovernor(clock, settings.writeUnitsPerSecond()), codecs, clock, ingestSettings);
    this.datasets = new DatasetService(jobs, chunks, codecs, 4);
  }

  @Override
  public IntakeService intake() {
    return intake;
  }

  @Override
  public ChunkPublisher publisher() {
    return publisher;
  }

  @Override
  public IngestService ingest() {
    return ingest;
  }

  @Override
  public Jobs jobs() {
    return jobs;
  }

  @Override
  public DatasetService datasets() {
    return datasets;
  }

  /**
   * Starts the consumers and, beside them, the availability sweep: every {@link #LOCAL_SWEEP} on the
   * stand-ins ({@link #AWS_SWEEP} on AWS) it looks at the SEALED jobs, so a job whose last chunk
   * was stored by a consumer that died before counting it still becomes AVAILABLE.
   */
  @Override
  public AutoCloseable startConsumers() {
    List<KclConsumer> workers = new ArrayList<>();
    for (int i = 0; i < settings.consumers(); i++) {
      String id = settings.workerId() == null ? workerId(i) : settings.consumers() == 1 ? settings.workerId() : settings.workerId() + "-" + i;
      KclConsumer.Settings kcl = KclConsumer.Settings.local(settings.streamName(), consumerApplication(settings.streamName()), id)
          .withRetrieval(settings.retrieval());
      if (!clients.local()) {
        kcl = kcl.onAws();
      }
      if (settings.failover() != null) {
        kcl = kcl.withFailover(settings.failover());
      }
      KclConsumer worker = KclConsumer.start(ingest, kcl, kinesis, dynamoAsync, cloudWatch);
      worker.failed().thenAccept(failed::complete);
      workers.add(worker);
    }
    ScheduledExecutorService sweeper = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "spillway-availability-sweep");
      t.setDaemon(true);
      return t;
    });
    Duration every = clients.local() ? LOCAL_SWEEP : AWS_SWEEP;
    sweeper.scheduleWithFixedDelay(this::sweep, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
    return () -> {
      sweeper.shutdownNow();
      workers.forEach(KclConsumer::close);
    };
  }

  /** Completes, with the failure, when a consumer worker stopped on a failure no retry fixes (its records stay in the stream). */
  public CompletableFuture<PermanentStoreException> consumerFailure() {
    return failed;
  }

  private void sweep() {
    try {
      AvailabilityCheck.Sweep sweep = completion.sweep();
      if (sweep.madeAvailable() > 0 || sweep.recounted() > 0) {
        log.info("availability sweep: {} job(s) made AVAILABLE, {} recounted, {} still SEALED", sweep.madeAvailable(), sweep.recounted(),
            sweep.sealed());
      }
    } catch (RuntimeException e) {
      log.warn("availability sweep failed, will run again: {}", e.toString());
    }
  }

  /** The KCL application (lease table, fan-out consumer) of a stream's consumers. */
  public static String consumerApplication(String streamName) {
    return "spillway-" + streamName;
  }

  /** Stable for one host and worker slot, so a restarted worker finds its leases at once. */
  private static String workerId(int slot) {
    String host = System.getenv().getOrDefault("HOSTNAME", "localhost");
    return "spillway-" + host + "-" + slot;
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
    datasets.close();
    clients.close();
  }
}
