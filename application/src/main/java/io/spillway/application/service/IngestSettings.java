package io.spillway.application.service;

import io.spillway.domain.InvalidFieldException;
import java.time.Duration;

/**
 * The consumer's write policy.
 *
 * @param writeUnitsPerSecond the write budget this consumer paces itself to
 * @param maxPutAttempts attempts per chunk before the batch stops (the rest is redelivered)
 * @param backoffBase first wait after a throttled put; doubles up to {@code backoffMax}
 * @param verifyPayload decompress and decode every chunk before storing it (catches payloads a
 *     CRC cannot: a producer that wrote garbage correctly)
 */
public record IngestSettings(double writeUnitsPerSecond, int maxPutAttempts, Duration backoffBase, Duration backoffMax, boolean verifyPayload) {
  public IngestSettings {
    if (!(writeUnitsPerSecond > 0)) {
      throw new InvalidFieldException("ingest.writeUnitsPerSecond", writeUnitsPerSecond, "> 0");
    }
    if (maxPutAttempts < 1) {
      throw new InvalidFieldException("ingest.maxPutAttempts", maxPutAttempts, ">= 1");
    }
    if (backoffBase.isNegative() || backoffBase.isZero() || backoffMax.compareTo(backoffBase) < 0) {
      throw new InvalidFieldException("ingest.backoff", backoffBase + ".." + backoffMax, "0 < base <= max");
    }
  }

  public static IngestSettings defaults() {
    return new IngestSettings(10_000, 8, Duration.ofMillis(25), Duration.ofSeconds(2), true);
  }

  public IngestSettings withWriteUnitsPerSecond(double wcu) {
    return new IngestSettings(wcu, maxPutAttempts, backoffBase, backoffMax, verifyPayload);
  }
}
