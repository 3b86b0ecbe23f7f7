package io.spillway.bootstrap.aws;

import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;

/**
 * The EventBridge client for job announcements, built only when a bus is configured: the same
 * region and credential chains as {@link AwsClients} (dummy credentials and us-east-1 on the
 * stand-ins), and the endpoint override of {@link AwsSettings#eventBridgeEndpoint()}.
 */
final class EventBridgeClients {
  private EventBridgeClients() {}

  static EventBridgeClient of(AwsSettings settings) {
    var builder = EventBridgeClient.builder();
    if (settings.standIns()) {
      builder.region(Region.US_EAST_1).credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")));
    } else {
      Optional<String> region = settings.region();
      builder.region(region.map(Region::of).orElseGet(() -> new DefaultAwsRegionProviderChain().getRegion()))
          .credentialsProvider(DefaultCredentialsProvider.builder().build());
    }
    settings.eventBridgeEndpoint().ifPresent(builder::endpointOverride);
    return builder.build();
  }
}
