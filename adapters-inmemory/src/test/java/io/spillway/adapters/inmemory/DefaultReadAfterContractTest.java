package io.spillway.adapters.inmemory;

import io.spillway.application.contract.ChunksContract;
import io.spillway.application.port.out.Chunks;
import io.spillway.application.port.out.PutOutcome;
import io.spillway.domain.chunk.Chunk;
import io.spillway.domain.job.JobId;
import java.util.Optional;
import java.util.stream.Stream;

/** The chunk contract for a store that does not override {@link Chunks#readAfter}: the port's default must keep it too. */
class DefaultReadAfterContractTest extends ChunksContract {
  @Override
  protected Chunks newChunks() {
    ManualClock clock = ManualClock.atEpochDay();
    InMemoryChunks table = new InMemoryChunks(new TableCapacity(TableCapacity.Settings.unlimited(), clock.now()), clock);
    return new Chunks() {
      @Override
      public PutOutcome putIfAbsent(Chunk chunk) {
        return table.putIfAbsent(chunk);
      }

      @Override
      public Stream<Chunk> read(JobId job, int bucket, Optional<String> group) {
        return table.read(job, bucket, group);
      }

      @Override
      public long count(JobId job, int bucket) {
        return table.count(job, bucket);
      }

      @Override
      public Stream<io.spillway.application.port.out.StoredItem> items(JobId job, int bucket) {
        return table.items(job, bucket);
      }

      @Override
      public long deleteAll(JobId job, int bucket) {
        return table.deleteAll(job, bucket);
      }
    };
  }
}
