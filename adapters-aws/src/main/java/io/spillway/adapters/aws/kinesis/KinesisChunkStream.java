package io.spillway.adapters.aws.kinesis;

import io.spillway.application.port.out.ChunkStream;
import io.spillway.application.port.out.PublishOutcome;
import io.spillway.application.port.out.PermanentStoreException;
import io.spillway.application.port.out.RetryableStoreException;
import io.spillway.domain.chunk.Chunk;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.kinesis.KinesisAsyncClient;
import software.amazon.awssdk.services.kinesis.model.KinesisException;
import software.amazon.awssdk.services.kinesis.model.LimitExceededException;
import software.amazon.awssdk.services.kinesis.model.ProvisionedThroughputExceededException;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResultEntry;

/**
 * Publishes chunks with Kinesis PutRecords (SDK v2): one call per batch, partition key from the
 * chunk's identity, one outcome per record — records the stream refused (throughput exceeded,
 * internal failure) come back Throttled for the publisher to retry with backoff, while the others
 * are accepted and never sent twice by this call. A timeout, a lost connection or a 5xx answer is a
 * {@link RetryableStoreException}; anything else (the stream is missing, access is refused, the
 * request is invalid) a {@link PermanentStoreException} naming the stream.
 */
public final class KinesisChunkStream implements ChunkStream {
  private final KinesisAsyncClient client;
  private final String streamName;

  public KinesisChunkStream(KinesisAsyncClient client, String streamName) {
    this.client = client;
    this.streamName = streamName;
  }

  @Override
  public List<PublishOutcome> publish(List<Chunk> chunks) {
    if (chunks.size() > MAX_RECORDS_PER_CALL) {
      throw new IllegalArgumentException("PutRecords takes at most " + MAX_RECORDS_PER_CALL + " records, got " + chunks.size());
    }
    long bytes = 0;
    List<PutRecordsRequestEntry> entries = new ArrayList<>(chunks.size());
    for (Chunk c : chunks) {
      String key = c.id().streamPartitionKey();
      bytes += c.record().length + key.length();
      entries.add(PutRecordsRequestEntry.builder().partitionKey(key).data(SdkBytes.fromByteArray(c.record())).build());
    }
    if (bytes > MAX_BYTES_PER_CALL) {
      throw new IllegalArgumentException("PutRecords takes at most " + MAX_BYTES_PER_CALL + " bytes, got " + bytes);
    }
    if (chunks.isEmpty()) {
      return List.of();
    }
    PutRecordsResponse response;
    try {
      response = client.putRecords(r -> r.streamName(streamName).records(entries)).join();
    } catch (CompletionException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      if (cause instanceof ProvisionedThroughputExceededException || cause instanceof LimitExceededException) {
        List<PublishOutcome> all = new ArrayList<>();
        for (int i = 0; i < chunks.size(); i++) all.add(new PublishOutcome.Throttled(cause.getMessage()));
        return all;
      }
      if (cause instanceof SdkClientException || (cause instanceof KinesisException k && k.statusCode() >= 500)) {
        throw new RetryableStoreException("PutRecords to " + streamName + " failed: " + cause.getMessage(), cause);
      }
      // the stream is gone, access is refused, the request is invalid: no retry fixes that
      throw new PermanentStoreException("stream " + streamName, "PutRecords to Kinesis stream " + streamName
          + " failed and cannot succeed on retry: " + firstLine(cause), cause);
    }
    List<PublishOutcome> outcomes = new ArrayList<>(chunks.size());
    for (PutRecordsResultEntry result : response.records()) {
      if (result.errorCode() == null) {
        outcomes.add(new PublishOutcome.Accepted(result.shardId(), result.sequenceNumber()));
      } else {
        outcomes.add(new PublishOutcome.Throttled(result.errorCode() + ": " + result.errorMessage()));
      }
    }
    if (outcomes.size() != chunks.size()) {
      throw new IllegalStateException("PutRecords answered " + outcomes.size() + " results for " + chunks.size() + " records");
    }
    return outcomes;
  }

  private static String firstLine(Throwable t) {
    String m = t instanceof KinesisException k && k.awsErrorDetails() != null && k.awsErrorDetails().errorMessage() != null
        ? k.awsErrorDetails().errorCode() + ": " + k.awsErrorDetails().errorMessage()
        : t.getClass().getSimpleName() + ": " + t.getMessage();
    int nl = m.indexOf('\n');
    return nl < 0 ? m : m.substring(0, nl);
  }
}
