package io.spillway.bootstrap.metrics;

import io.micrometer.cloudwatch2.CloudWatchConfig;
import io.micrometer.cloudwatch2.CloudWatchMeterRegistry;
import io.micrometer.core.instrument.Clock;
import java.time.Duration;
import software.amazon.awssdk.services.cloudwatch.CloudWatchAsyncClient;

/**
 * Spillway's meters sent to Amazon CloudWatch through Micrometer's CloudWatch registry: every
 * {@code step} (one minute by default, CloudWatch's standard resolution) PutMetricData calls of up to 1,000
 * metrics, under {@code namespace}. Closing the registry sends what the last step gathered.
 */
public final class CloudWatchMetrics {
  private CloudWatchMetrics() {}

  /** A registry publishing to CloudWatch through {@code client}; bind {@link SpillwayMetrics} to it, close it when done. */
  public static CloudWatchMeterRegistry registry(CloudWatchAsyncClient client, String namespace, Duration step) {
    CloudWatchConfig config = new CloudWatchConfig() {
      @Override
      public String get(String key) {
        return null;
      }

      @Override
      public String namespace() {
        return namespace;
      }

      @Override
      public Duration step() {
        return step;
      }
    };
    return new CloudWatchMeterRegistry(config, Clock.SYSTEM, client);
  }
}
