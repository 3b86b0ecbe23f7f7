package io.spillway.adapters.inmemory;

import io.spillway.application.contract.ChunkSpillContract;
import io.spillway.application.port.out.ChunkSpill;

/** The spill contract against the in-memory spill; its storage is the object, so reopening is taking it again. */
class InMemoryChunkSpillContractTest extends ChunkSpillContract {
  @Override
  protected ChunkSpill newSpill(long capacityBytes) {
    return new InMemoryChunkSpill(capacityBytes);
  }

  @Override
  protected ChunkSpill reopen(ChunkSpill spill) {
    return spill;
  }

  @Override
  protected void damage(ChunkSpill spill, ChunkSpill.SpilledChunk entry) {
    ((InMemoryChunkSpill) spill).damage(entry);
  }
}
