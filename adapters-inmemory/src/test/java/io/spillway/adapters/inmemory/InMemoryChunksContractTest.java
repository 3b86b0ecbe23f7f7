package io.spillway.adapters.inmemory;

import io.spillway.application.contract.ChunksContract;
import io.spillway.application.port.out.Chunks;

/** The chunk contract against the in-memory table, its capacity model switched off. */
class InMemoryChunksContractTest extends ChunksContract {
  @Override
  protected Chunks newChunks() {
    ManualClock clock = ManualClock.atEpochDay();
    return new InMemoryChunks(new TableCapacity(TableCapacity.Settings.unlimited(), clock.now()), clock);
  }
}
