package io.spillway.application.port.in;

import java.util.Optional;

/**
 * What one ingest call made durable. {@code checkpoint} is the sequence number of the last record
 * of the durable prefix of the batch (written, duplicate or dead-lettered): a consumer checkpoints
 * exactly that, and hands the {@code remaining} records after it in again.
 */
public record IngestResult(
    Optional<String> checkpoint,
    int durable,
    int written,
    int duplicates,
    int deadLettered,
    int throttled,
    int remaining,
    double writeUnits) {

  public boolean complete() {
    return remaining == 0;
  }
}
