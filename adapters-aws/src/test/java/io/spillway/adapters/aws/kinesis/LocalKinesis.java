package io.spillway.adapters.aws.kinesis;

import io.spillway.adapters.aws.local.KinesisMock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.Protocol;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kinesis.KinesisAsyncClient;

/**
 * One kinesis-mock for the test run (installed into the project's .spillway/ folder on first use,
 * stopped when the JVM exits) and a fresh stream per test: the emulator slows as a shard fills.
 */
final class LocalKinesis {
  private static final AtomicInteger STREAMS = new AtomicInteger();
  private static KinesisMock mock;
  private static KinesisAsyncClient client;

  private LocalKinesis() {}

  static synchronized KinesisAsyncClient client() {
    if (client == null) {
      mock = KinesisMock.start(projectRoot().resolve(".spillway").resolve("kinesis-mock"), Duration.ofSeconds(60));
      Runtime.getRuntime().addShutdownHook(new Thread(mock::close, "kinesis-mock-shutdown"));
      client = KinesisAsyncClient.builder()
          .endpointOverride(mock.endpoint())
          .region(Region.US_EAST_1)
          .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
          .httpClientBuilder(NettyNioAsyncHttpClient.builder().protocol(Protocol.HTTP1_1))
          .build();
    }
    return client;
  }

  /** A new stream with the given shards, ACTIVE. */
  static String freshStream(int shards) {
    String name = "spillway-test-" + STREAMS.incrementAndGet();
    new KinesisStreams(client()).createIfAbsent(name, shards, Duration.ofHours(24));
    return name;
  }

  /** The repository root: the nearest folder upwards holding the Maven wrapper's .mvn folder. */
  static Path projectRoot() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null && !Files.isDirectory(dir.resolve(".mvn"))) {
      dir = dir.getParent();
    }
    if (dir == null) {
      throw new IllegalStateException("no .mvn folder above " + Path.of("").toAbsolutePath());
    }
    return dir;
  }
}
