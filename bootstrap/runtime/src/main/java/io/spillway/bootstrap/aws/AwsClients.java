package io.spillway.bootstrap.aws;

import java.net.URI;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkSystemSetting;
import software.amazon.awssdk.http.Protocol;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudwatch.CloudWatchAsyncClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbAsyncClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.kinesis.KinesisAsyncClient;
import software.amazon.awssdk.services.kinesis.KinesisAsyncClientBuilder;

/**
 * The SDK clients one Spillway process needs, for real AWS (the SDK's default credential chain,
 * the given or default region, optional endpoint overrides) or for the local stand-ins (loopback
 * endpoints, dummy credentials). Credentials are never logged.
 *
 * <p>Against the stand-in, Kinesis speaks JSON rather than the SDK's default CBOR: kinesis-mock
 * (Scala.js on one Node core) handles the same records for less CPU in JSON — measured with 400 KB
 * records and the launcher's Node options, ~6 against ~5 MB per CPU-second for PutRecords and
 * ~8–9 against ~5.5 for GetRecords — and that core is what the local pipeline waits on. Real
 * Kinesis keeps CBOR.
 */
public record AwsClients(DynamoDbClient dynamo, DynamoDbAsyncClient dynamoAsync, KinesisAsyncClient kinesis, CloudWatchAsyncClient cloudWatch,
    boolean local, Optional<URI> dynamoDbEndpoint, Optional<URI> kinesisEndpoint) implements AutoCloseable {

  /** Clients for the endpoints and region the settings name. */
  public static AwsClients of(AwsSettings settings) {
    if (settings.standIns()) {
      return local(settings.dynamoDbEndpoint().orElseThrow(), settings.kinesisEndpoint().orElseThrow());
    }
    return aws(settings.region(), settings.dynamoDbEndpoint(), settings.kinesisEndpoint());
  }

  /** Clients for local stand-ins (DynamoDB Local and kinesis-mock) at these endpoints. */
  public static AwsClients local(URI dynamoDb, URI kinesis) {
    AwsCredentialsProvider credentials = StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local"));
    return build(Region.US_EAST_1, credentials, Optional.of(dynamoDb), Optional.of(kinesis),
        Optional.of(URI.create("http://127.0.0.1:9")), true);
  }

  /** Clients for real AWS: region from the argument or the SDK's region chain, credentials from its default chain. */
  public static AwsClients aws(Optional<String> region, Optional<URI> dynamoEndpoint, Optional<URI> kinesisEndpoint) {
    Region r = region.map(Region::of).orElseGet(() -> new software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain().getRegion());
    return build(r, DefaultCredentialsProvider.builder().build(), dynamoEndpoint, kinesisEndpoint, Optional.empty(), false);
  }

  private static AwsClients build(Region region, AwsCredentialsProvider credentials, Optional<URI> dynamoEndpoint, Optional<URI> kinesisEndpoint,
      Optional<URI> cloudWatchEndpoint, boolean local) {
    var dynamo = DynamoDbClient.builder().region(region).credentialsProvider(credentials);
    var dynamoAsync = DynamoDbAsyncClient.builder().region(region).credentialsProvider(credentials);
    dynamoEndpoint.ifPresent(e -> {
      dynamo.endpointOverride(e);
      dynamoAsync.endpointOverride(e);
    });
    var kinesis = KinesisAsyncClient.builder().region(region).credentialsProvider(credentials);
    kinesisEndpoint.ifPresent(kinesis::endpointOverride);
    if (kinesisEndpoint.map(e -> "http".equals(e.getScheme())).orElse(false)) {
      // a plain-HTTP endpoint (the stand-in) speaks HTTP/1.1; real Kinesis negotiates HTTP/2 over TLS
      kinesis.httpClientBuilder(NettyNioAsyncHttpClient.builder().protocol(Protocol.HTTP1_1));
    }
    var cloudWatch = CloudWatchAsyncClient.builder().region(region).credentialsProvider(credentials);
    cloudWatchEndpoint.ifPresent(cloudWatch::endpointOverride);
    KinesisAsyncClient kinesisClient = local ? buildSpeakingJson(kinesis) : kinesis.build();
    return new AwsClients(dynamo.build(), dynamoAsync.build(), kinesisClient, cloudWatch.build(), local, dynamoEndpoint, kinesisEndpoint);
  }

  /**
   * Builds a Kinesis client that sends JSON instead of CBOR. The SDK has no per-client switch: it
   * reads {@code aws.cborEnabled} once, while a client is built, so the property is set for that
   * moment only (under a lock, and put back as it was).
   */
  static KinesisAsyncClient buildSpeakingJson(KinesisAsyncClientBuilder builder) {
    String property = SdkSystemSetting.CBOR_ENABLED.property();
    synchronized (AwsClients.class) {
      String before = System.getProperty(property);
      System.setProperty(property, "false");
      try {
        return builder.build();
      } finally {
        if (before == null) {
          System.clearProperty(property);
        } else {
          System.setProperty(property, before);
        }
      }
    }
  }

  @Override
  public void close() {
    kinesis.close();
    dynamoAsync.close();
    dynamo.close();
    cloudWatch.close();
  }
}
