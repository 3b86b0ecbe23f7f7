package io.spillway.adapters.aws;

import com.amazonaws.services.dynamodbv2.local.embedded.DynamoDBEmbedded;
import com.amazonaws.services.dynamodbv2.local.shared.access.AmazonDynamoDBLocal;
import io.spillway.adapters.aws.dynamodb.SpillwayTable;
import io.spillway.adapters.aws.kinesis.KinesisStreams;
import io.spillway.bootstrap.standins.KinesisMock;
import io.spillway.application.port.out.Clock;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
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
 * The local stand-ins for AWS, one of each per test run: AWS's DynamoDB Local inside this JVM and
 * kinesis-mock on loopback (installed into the project's .spillway/ folder on first use, stopped
 * when the JVM exits). Every test takes a fresh table or stream of its own.
 */
public final class LocalStandIns {
  private static final AtomicInteger NAMES = new AtomicInteger();
  private static AmazonDynamoDBLocal dynamo;
  private static KinesisMock mock;
  private static KinesisAsyncClient kinesis;

  private LocalStandIns() {}

  public static synchronized DynamoDbClient dynamo() {
    return local().dynamoDbClient();
  }

  public static synchronized DynamoDbAsyncClient dynamoAsync() {
    return local().dynamoDbAsyncClient();
  }

  private static AmazonDynamoDBLocal local() {
    if (dynamo == null) {
      // telemetry is off through DDB_LOCAL_TELEMETRY=0, set by Surefire
      dynamo = DynamoDBEmbedded.create();
      Runtime.getRuntime().addShutdownHook(new Thread(() -> dynamo.shutdownNow(), "dynamodb-local-shutdown"));
    }
    return dynamo;
  }

  public static synchronized KinesisAsyncClient kinesis() {
    if (kinesis == null) {
      mock = KinesisMock.start(KinesisMock.projectInstallation(), Duration.ofSeconds(60));
      Runtime.getRuntime().addShutdownHook(new Thread(mock::close, "kinesis-mock-shutdown"));
      kinesis = KinesisAsyncClient.builder()
          .endpointOverride(mock.endpoint())
          .region(Region.US_EAST_1)
          .credentialsProvider(credentials())
          .httpClientBuilder(NettyNioAsyncHttpClient.builder().protocol(Protocol.HTTP1_1))
          .build();
    }
    return kinesis;
  }

  /** KCL insists on a CloudWatch client; with its null metrics factory nothing is ever sent. */
  public static CloudWatchAsyncClient cloudWatch() {
    return CloudWatchAsyncClient.builder().endpointOverride(URI.create("http://127.0.0.1:9")).region(Region.US_EAST_1)
        .credentialsProvider(credentials()).build();
  }

  public static SpillwayTable freshTable() {
    SpillwayTable table = new SpillwayTable(dynamo(), "spillway-test-" + NAMES.incrementAndGet());
    table.createIfAbsent(new SpillwayTable.Billing.OnDemand());
    return table;
  }

  public static String freshStream(int shards) {
    String name = "spillway-test-" + NAMES.incrementAndGet();
    new KinesisStreams(kinesis()).createIfAbsent(name, shards, Duration.ofHours(24));
    return name;
  }

  public static Clock wallClock() {
    return new Clock() {
      @Override
      public Instant now() {
        return Instant.now();
      }

      @Override
      public void sleep(Duration duration) throws InterruptedException {
        Thread.sleep(duration.toMillis(), (int) (duration.toNanos() % 1_000_000));
      }
    };
  }

  /** Waits for a condition the system under test brings about on its own threads, up to the timeout. */
  public static void await(Duration timeout, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("condition not met within " + timeout);
      }
      Thread.sleep(100);
    }
  }

  private static StaticCredentialsProvider credentials() {
    return StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local"));
  }
}
