package io.spillway.adapters.aws.kinesis;

import java.time.Duration;
import java.util.concurrent.CompletionException;
import software.amazon.awssdk.services.kinesis.KinesisAsyncClient;
import software.amazon.awssdk.services.kinesis.model.ResourceInUseException;
import software.amazon.awssdk.services.kinesis.model.ResourceNotFoundException;
import software.amazon.awssdk.services.kinesis.model.StreamStatus;

/** Creates Spillway's stream if absent (safe to run twice) and sets its retention. */
public final class KinesisStreams {
  private final KinesisAsyncClient client;

  public KinesisStreams(KinesisAsyncClient client) {
    this.client = client;
  }

  /** Creates the stream unless it exists, waits until it is ACTIVE, and raises the retention if asked. */
  public void createIfAbsent(String name, int shards, Duration retention) {
    if (!exists(name)) {
      try {
        client.createStream(r -> r.streamName(name).shardCount(shards)).join();
      } catch (CompletionException e) {
        if (!(e.getCause() instanceof ResourceInUseException)) {
          throw e;
        }
      }
    }
    awaitActive(name, Duration.ofMinutes(5));
    int current = client.describeStreamSummary(r -> r.streamName(name)).join().streamDescriptionSummary().retentionPeriodHours();
    long wanted = retention.toHours();
    if (wanted > current) {
      client.increaseStreamRetentionPeriod(r -> r.streamName(name).retentionPeriodHours((int) wanted)).join();
    }
  }

  /**
   * Polls until the stream is ACTIVE (the SDK's waiter polls every 10 s; a stream is usually
   * active within a second or two).
   */
  void awaitActive(String name, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    long pauseMillis = 50;
    while (true) {
      StreamStatus status = client.describeStreamSummary(r -> r.streamName(name)).join().streamDescriptionSummary().streamStatus();
      if (status == StreamStatus.ACTIVE) {
        return;
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("stream " + name + " is still " + status + " after " + timeout);
      }
      try {
        Thread.sleep(pauseMillis);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for stream " + name, e);
      }
      pauseMillis = Math.min(1_000, pauseMillis * 2);
    }
  }

  /** The stream's retention, as DescribeStreamSummary reports it. */
  public Duration retention(String name) {
    return Duration.ofHours(client.describeStreamSummary(r -> r.streamName(name)).join().streamDescriptionSummary().retentionPeriodHours());
  }

  public boolean exists(String name) {
    try {
      StreamStatus status = client.describeStreamSummary(r -> r.streamName(name)).join().streamDescriptionSummary().streamStatus();
      return status != null;
    } catch (CompletionException e) {
      if (e.getCause() instanceof ResourceNotFoundException) {
        return false;
      }
      throw e;
    }
  }
}
