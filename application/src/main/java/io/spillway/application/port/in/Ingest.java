package io.spillway.application.port.in;

import java.util.List;

/** The consumer's side: persist a batch of stream records, idempotently, and say what is durable. */
public interface Ingest {
  /**
   * Verifies each record, puts its chunk if absent, dead-letters poison records, and stops at the
   * first record it cannot make durable (after retries): nothing after it counts as done.
   */
  IngestResult ingest(List<StreamRecord> records);
}
