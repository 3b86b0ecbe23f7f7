package io.spillway.bootstrap.local;

import io.spillway.adapters.aws.dynamodb.DynamoDbChunks;
import io.spillway.adapters.aws.dynamodb.DynamoDbDeadLetters;
import io.spillway.adapters.aws.dynamodb.DynamoDbJobs;
import io.spillway.adapters.aws.dynamodb.SpillwayTable;
import io.spillway.adapters.aws.kcl.KclConsumer;
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
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.Protocol;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudwatch.CloudWatchAsyncClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.kinesis.KinesisAsyncClient;

/**
 * Spillway on the real SDK and KCL against the local stand-ins: producer into kinesis-mock, KCL
 * workers (leases in DynamoDB Local) persisting into DynamoDB Local, the reader on top.
 */
public final class LocalPipeline implements Pipeline, AutoCloseable {

  /** Names and sizes of one local setup. */
  public record Settings(String streamName, String tableName, int shards, int consumers, double writeUnitsPerSecond) {}

  private final Settings settings;
  private final DynamoDbClient dynamo;
  private final DynamoDbAsyncClient dynamoAsync;
  private final KinesisAsyncClient kinesis;
  private final CloudWatchAsyncClient cloudWatch;
  private final IntakeService intake;
  private final ChunkPublisher publisher;
  private final IngestService ingest;
  private final DynamoDbJobs jobs;
  private final DatasetService datasets;

  public LocalPipeline(LocalStandIns.State state, Settings settings) {
    this.settings = settings;
    StaticCredentialsProvider credentials = StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local"));
    this.dynamo = DynamoDbClient.builder().endpointOverride(state.dynamoDb()).region(Region.US_EAST_1).credentialsProvider(credentials).build();
    this.dynamoAsync = DynamoDbAsyncClient.builder().endpointOverride(state.dynamoDb()).region(Region.US_EAST_1).credentialsProvider(credentials).build();
    this.kinesis = KinesisAsyncClient.builder().endpointOverride(state.kinesis()).region(Region.US_EAST_1).credentialsProvider(credentials)
        .httpClientBuilder(NettyNioAsyncHttpClient.builder().protocol(Protocol.HTTP1_1)).build();
    // KCL insists on a CloudWatch client; its null metrics factory never calls it
    this.cloudWatch = CloudWatchAsyncClient.builder().endpointOverride(URI.create("http://127.0.0.1:9")).region(Region.US_EAST_1)
        .credentialsProvider(credentials).build();

    SpillwayTable table = new SpillwayTable(dynamo, settings.tableName());
    table.createIfAbsent(new SpillwayTable.Billing.OnDemand());
    new KinesisStreams(kinesis).createIfAbsent(settings.streamName(), settings.shards(), Duration.ofHours(24));

    Clock clock = new SystemClock();
    Codecs codecs = Codecs.standard();
    this.jobs = new DynamoDbJobs(table);
    DynamoDbChunks chunks = new DynamoDbChunks(table, clock, Optional.empty());
    this.publisher = new ChunkPublisher(new KinesisChunkStream(kinesis, settings.streamName()), clock, PublisherSettings.defaults());
    this.intake = new IntakeService(jobs, new RandomJobIds(), clock, publisher, codecs.writer(), ChunkAssembler.Settings.defaults(),
        new AvailabilityCheck(jobs, chunks, clock), Duration.ofMinutes(5));
    IngestSettings ingestSettings = IngestSettings.defaults().withWriteUnitsPerSecond(settings.writeUnitsPerSecond());
    this.ingest = new IngestService(chunks, new DynamoDbDeadLetters(table), new AvailabilityCheck(jobs, chunks, clock),
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

  @Override
  public AutoCloseable startConsumers() {
    List<KclConsumer> workers = new ArrayList<>();
    for (int i = 0; i < settings.consumers(); i++) {
      workers.add(KclConsumer.start(ingest, KclConsumer.Settings.local(settings.streamName(), "spillway-" + settings.streamName(), workerId(i)),
          kinesis, dynamoAsync, cloudWatch));
    }
    return () -> workers.forEach(KclConsumer::close);
  }

  /** Stable for one host and worker slot, so a restarted worker finds its leases at once. */
  private static String workerId(int slot) {
    String host = System.getenv().getOrDefault("HOSTNAME", "localhost");
    return "spillway-" + host + "-" + slot;
  }

  @Override
  public String describe() {
    return "local backend (SDK + KCL against DynamoDB Local and kinesis-mock): stream " + settings.streamName() + " with "
        + settings.shards() + " shards, table " + settings.tableName() + ", " + settings.consumers() + " KCL worker(s)";
  }

  @Override
  public void close() {
    datasets.close();
    kinesis.close();
    dynamoAsync.close();
    dynamo.close();
    cloudWatch.close();
  }
}
