package io.spillway.application.contract;

import static org.assertj.core.api.Assertions.assertThat;

import io.spillway.application.port.out.ChunkSpill;
import io.spillway.application.port.out.ChunkSpill.SpillRead;
import io.spillway.application.port.out.ChunkSpill.SpilledChunk;
import io.spillway.domain.chunk.Chunk;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What every {@link ChunkSpill} adapter must do: hand back what was appended, intact and oldest
 * first; never hold more than its capacity (refusing, with nothing written, what would pass it);
 * forget what was removed; keep its entries, their order and their sequence for a spill opened
 * again over the same storage; and set a damaged entry aside, reported and counted, never handing
 * it back as a chunk.
 */
public abstract class ChunkSpillContract {

  /** A new, empty spill of the capacity. */
  protected abstract ChunkSpill newSpill(long capacityBytes);

  /** The spill a new process would open over the same storage (the same object where storage is the object). */
  protected abstract ChunkSpill reopen(ChunkSpill spill);

  /** Damages the entry's stored bytes as a failing disk or a torn write would. */
  protected abstract void damage(ChunkSpill spill, SpilledChunk entry);

  private static final List<Chunk> CHUNKS = ContractFixtures.jobChunks().subList(0, 12);

  private static long bytes(List<Chunk> chunks) {
    return chunks.stream().mapToLong(c -> c.record().length).sum();
  }

  private static List<SpilledChunk> appendAll(ChunkSpill spill, List<Chunk> chunks) {
    List<SpilledChunk> entries = new ArrayList<>();
    for (Chunk c : chunks) {
      entries.add(spill.append(c).orElseThrow(() -> new AssertionError("refused " + c)));
    }
    return entries;
  }

  private static Chunk intact(ChunkSpill spill, SpilledChunk entry) {
    SpillRead read = spill.read(entry);
    assertThat(read).as("entry %s", entry).isInstanceOf(SpillRead.Intact.class);
    return ((SpillRead.Intact) read).chunk();
  }

  @Test
  void aNewSpillIsEmptyWithItsCapacity() {
    ChunkSpill spill = newSpill(1_000_000);

    assertThat(spill.capacityBytes()).isEqualTo(1_000_000);
    assertThat(spill.sizeBytes()).isZero();
    assertThat(spill.entries()).isEmpty();
    assertThat(spill.corruptEntries()).isZero();
  }

  @Test
  void appendedChunksComeBackIntactOldestFirstWithGrowingSequences() {
    ChunkSpill spill = newSpill(10_000_000);

    List<SpilledChunk> entries = appendAll(spill, CHUNKS);

    assertThat(spill.entries()).containsExactlyElementsOf(entries);
    for (int i = 1; i < entries.size(); i++) {
      assertThat(entries.get(i).sequence()).isGreaterThan(entries.get(i - 1).sequence());
    }
    for (int i = 0; i < entries.size(); i++) {
      assertThat(entries.get(i).bytes()).isEqualTo(CHUNKS.get(i).record().length);
      assertThat(intact(spill, entries.get(i))).isEqualTo(CHUNKS.get(i));
    }
    assertThat(spill.sizeBytes()).isEqualTo(bytes(CHUNKS));
  }

  @Test
  void aChunkThatWouldPassTheCapacityIsRefusedAndNothingIsWritten() {
    List<Chunk> fitting = CHUNKS.subList(0, 3);
    ChunkSpill spill = newSpill(bytes(fitting));
    List<SpilledChunk> entries = appendAll(spill, fitting);

    assertThat(spill.append(CHUNKS.get(3))).isEmpty();

    assertThat(spill.sizeBytes()).isEqualTo(spill.capacityBytes());
    assertThat(spill.entries()).containsExactlyElementsOf(entries);
    assertThat(reopen(spill).entries()).containsExactlyElementsOf(entries);
  }

  @Test
  void aRemovedEntryIsForgottenAndItsRoomComesBack() {
    List<Chunk> fitting = CHUNKS.subList(0, 3);
    ChunkSpill spill = newSpill(bytes(fitting));
    List<SpilledChunk> entries = appendAll(spill, fitting);

    spill.remove(entries.get(1));
    spill.remove(entries.get(1));

    assertThat(spill.entries()).containsExactly(entries.get(0), entries.get(2));
    assertThat(spill.sizeBytes()).isEqualTo(bytes(fitting) - fitting.get(1).record().length);
    SpilledChunk again = spill.append(fitting.get(1)).orElseThrow();
    assertThat(again.sequence()).isGreaterThan(entries.get(2).sequence());
    assertThat(spill.entries()).containsExactly(entries.get(0), entries.get(2), again);
  }

  @Test
  void aReopenedSpillHoldsWhatWasLeftInOrderAndAppendsBehindIt() {
    ChunkSpill spill = newSpill(10_000_000);
    List<SpilledChunk> entries = appendAll(spill, CHUNKS.subList(0, 5));
    spill.remove(entries.get(0));

    ChunkSpill reopened = reopen(spill);

    assertThat(reopened.entries()).containsExactlyElementsOf(entries.subList(1, 5));
    assertThat(reopened.sizeBytes()).isEqualTo(bytes(CHUNKS.subList(1, 5)));
    for (int i = 1; i < 5; i++) {
      assertThat(intact(reopened, entries.get(i))).isEqualTo(CHUNKS.get(i));
    }
    SpilledChunk next = reopened.append(CHUNKS.get(5)).orElseThrow();
    assertThat(next.sequence()).isGreaterThan(entries.get(4).sequence());
    assertThat(reopened.entries()).last().isEqualTo(next);
  }

  @Test
  void aDamagedEntryIsReportedSetAsideAndNeverHandedBack() {
    ChunkSpill spill = newSpill(10_000_000);
    List<SpilledChunk> entries = appendAll(spill, CHUNKS.subList(0, 3));
    damage(spill, entries.get(1));

    SpillRead read = spill.read(entries.get(1));

    assertThat(read).isInstanceOf(SpillRead.Corrupt.class);
    assertThat(((SpillRead.Corrupt) read).entry()).isEqualTo(entries.get(1));
    assertThat(((SpillRead.Corrupt) read).reason()).isNotBlank();
    assertThat(spill.entries()).containsExactly(entries.get(0), entries.get(2));
    assertThat(spill.sizeBytes()).isEqualTo(CHUNKS.get(0).record().length + CHUNKS.get(2).record().length);
    assertThat(spill.corruptEntries()).isEqualTo(1);
    assertThat(spill.read(entries.get(1))).as("set aside, not handed back later").isInstanceOf(SpillRead.Corrupt.class);
    assertThat(intact(spill, entries.get(2))).isEqualTo(CHUNKS.get(2));

    ChunkSpill reopened = reopen(spill);
    assertThat(reopened.entries()).containsExactly(entries.get(0), entries.get(2));
    assertThat(reopened.corruptEntries()).as("kept for an operator, across a restart").isEqualTo(1);
  }
}
