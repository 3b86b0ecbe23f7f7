package io.spillway.application.service;

import io.spillway.application.port.out.ChunkStream;
import io.spillway.domain.InvalidFieldException;
import io.spillway.domain.chunk.StoredItemLayout;
import java.time.Duration;

/**
 * The producer's buffer and retry policy.
 *
 * @param maxBufferedBytes bound on chunk bytes waiting for the stream (at least 4 items)
 * @param batchRecords records per publish call (at most 500)
 * @param batchBytes bytes per publish call (at most 5 MiB)
 * @param backoffBase first wait after a throttled publish; doubles up to {@code backoffMax}
 * @param backpressure what a full buffer does to the appending caller
 * @param blockTimeout how long {@link Backpressure#BLOCK} waits before giving up
 */
public record PublisherSettings(
    long maxBufferedBytes,
    int batchRecords,
    int batchBytes,
    Duration backoffBase,
    Duration backoffMax,
    Backpressure backpressure,
    Duration blockTimeout) {

  /** What a caller meets when the buffer is full. */
  public enum Backpressure {
    /** Wait (publishing with backoff) up to the block timeout, then refuse. */
    BLOCK,
    /** Refuse at once. */
    FAIL_FAST
  }

  public PublisherSettings {
    if (maxBufferedBytes < 4L * StoredItemLayout.ITEM_LIMIT_BYTES) {
      throw new InvalidFieldException("publisher.maxBufferedBytes", maxBufferedBytes, "at least " + 4L * StoredItemLayout.ITEM_LIMIT_BYTES + " (four items)");
    }
    if (batchRecords < 1 || batchRecords > ChunkStream.MAX_RECORDS_PER_CALL) {
      throw new InvalidFieldException("publisher.batchRecords", batchRecords, "1.." + ChunkStream.MAX_RECORDS_PER_CALL);
    }
    if (batchBytes < StoredItemLayout.ITEM_LIMIT_BYTES || batchBytes > ChunkStream.MAX_BYTES_PER_CALL) {
      throw new InvalidFieldException("publisher.batchBytes", batchBytes, StoredItemLayout.ITEM_LIMIT_BYTES + ".." + ChunkStream.MAX_BYTES_PER_CALL);
    }
    if (backoffBase.isNegative() || backoffBase.isZero() || backoffMax.compareTo(backoffBase) < 0) {
      throw new InvalidFieldException("publisher.backoff", backoffBase + ".." + backoffMax, "0 < base <= max");
    }
    if (backpressure == null) {
      throw new InvalidFieldException("publisher.backpressure", null, "BLOCK or FAIL_FAST");
    }
    if (blockTimeout.isNegative()) {
      throw new InvalidFieldException("publisher.blockTimeout", blockTimeout, ">= 0");
    }
  }

  public static PublisherSettings defaults() {
    return new PublisherSettings(64L * 1024 * 1024, 500, ChunkStream.MAX_BYTES_PER_CALL - 64 * 1024,
        Duration.ofMillis(50), Duration.ofSeconds(5), Backpressure.BLOCK, Duration.ofSeconds(60));
  }

  public PublisherSettings withMaxBufferedBytes(long bytes) {
    return new PublisherSettings(bytes, batchRecords, batchBytes, backoffBase, backoffMax, backpressure, blockTimeout);
  }

  public PublisherSettings withBackpressure(Backpressure mode, Duration timeout) {
    return new PublisherSettings(maxBufferedBytes, batchRecords, batchBytes, backoffBase, backoffMax, mode, timeout);
  }
}
