package io.spillway.adapters.inmemory;

import io.spillway.application.contract.ChunkStreamContract;
import io.spillway.application.port.out.ChunkStream;

/**
 * The stream contract against the in-memory stream with limits that never bind, as kinesis-mock's
 * do not: the per-shard limits are {@link InMemoryStreamLimitsTest}'s business.
 */
class InMemoryStreamContractTest extends ChunkStreamContract {
  @Override
  protected ChunkStream newStream() {
    return new InMemoryStream(StreamLimits.unbounded(4), ManualClock.atEpochDay());
  }
}
