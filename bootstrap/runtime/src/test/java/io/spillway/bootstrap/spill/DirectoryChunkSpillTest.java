package io.spillway.bootstrap.spill;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spillway.application.contract.ContractFixtures;
import io.spillway.application.port.out.ChunkSpill.SpillRead;
import io.spillway.application.port.out.ChunkSpill.SpilledChunk;
import io.spillway.application.port.out.PermanentStoreException;
import io.spillway.domain.chunk.Chunk;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.CRC32C;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The directory spill's own promises beyond the contract: the documented file layout, what a crash
 * mid-write leaves (a temporary file, deleted at the next open, never an entry), a frame that
 * holds around a record that fails the chunk format's checks, and a directory it cannot use.
 */
class DirectoryChunkSpillTest {
  @TempDir
  Path dir;
  private final List<Chunk> chunks = ContractFixtures.jobChunks().subList(0, 3);

  private static List<String> names(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  private static byte[] framed(byte[] record) {
    CRC32C crc = new CRC32C();
    crc.update(record);
    return ByteBuffer.allocate(DirectoryChunkSpill.FRAME_BYTES + record.length)
        .put(new byte[] {'S', 'P', 'W', 'S', 1}).putInt(record.length).putInt((int) crc.getValue()).put(record).array();
  }

  @Test
  void eachChunkIsOneFileNamedByItsSequenceHoldingTheFrameAndTheRecord() throws IOException {
    DirectoryChunkSpill spill = new DirectoryChunkSpill(dir, 10_000_000);
    spill.append(chunks.get(0));
    spill.append(chunks.get(1));

    assertThat(names(dir)).containsExactly("chunk-0000000000000000000.spill", "chunk-0000000000000000001.spill");
    assertThat(Files.readAllBytes(dir.resolve("chunk-0000000000000000001.spill"))).isEqualTo(framed(chunks.get(1).record()));
  }

  @Test
  void aWriteACrashCutShortIsDeletedAtTheNextOpenAndNeverBecomesAnEntry() throws IOException {
    DirectoryChunkSpill spill = new DirectoryChunkSpill(dir, 10_000_000);
    SpilledChunk kept = spill.append(chunks.get(0)).orElseThrow();
    byte[] whole = framed(chunks.get(1).record());
    Files.write(dir.resolve("chunk-0000000000000000001.spill.tmp"), java.util.Arrays.copyOf(whole, whole.length / 2));

    DirectoryChunkSpill reopened = new DirectoryChunkSpill(dir, 10_000_000);

    assertThat(reopened.entries()).containsExactly(kept);
    assertThat(names(dir)).containsExactly("chunk-0000000000000000000.spill");
    assertThat(reopened.append(chunks.get(1)).orElseThrow().sequence()).isEqualTo(1);
  }

  @Test
  void aRecordThatFailsTheChunkFormatsChecksIsCorruptEvenInsideAnIntactFrame() throws IOException {
    DirectoryChunkSpill spill = new DirectoryChunkSpill(dir, 10_000_000);
    SpilledChunk entry = spill.append(chunks.get(0)).orElseThrow();
    byte[] record = chunks.get(0).record().clone();
    record[record.length - 1] ^= 0x01; // the chunk's own CRC32C no longer matches; the frame's is recomputed
    Files.write(spill.file(entry.sequence()), framed(record));

    SpillRead read = spill.read(entry);

    assertThat(read).isInstanceOf(SpillRead.Corrupt.class);
    assertThat(((SpillRead.Corrupt) read).reason()).contains("fails its own checks").contains("CRC32C").contains(".corrupt");
    assertThat(names(dir)).containsExactly("chunk-0000000000000000000.spill.corrupt");
  }

  @Test
  void sequencesGoOnPastEntriesSetAsideSoNoNameIsUsedTwice() throws IOException {
    DirectoryChunkSpill spill = new DirectoryChunkSpill(dir, 10_000_000);
    spill.append(chunks.get(0));
    SpilledChunk last = spill.append(chunks.get(1)).orElseThrow();
    Files.write(spill.file(last.sequence()), new byte[] {1, 2, 3});
    assertThat(spill.read(last)).isInstanceOf(SpillRead.Corrupt.class);

    DirectoryChunkSpill reopened = new DirectoryChunkSpill(dir, 10_000_000);

    assertThat(reopened.append(chunks.get(2)).orElseThrow().sequence()).isEqualTo(2);
    assertThat(reopened.corruptEntries()).isEqualTo(1);
  }

  @Test
  void aDirectoryThatCannotBeUsedFailsAtOnceNamingIt() throws IOException {
    Path file = Files.writeString(dir.resolve("a-file"), "not a directory");

    assertThatThrownBy(() -> new DirectoryChunkSpill(file.resolve("spill"), 1_000)).isInstanceOf(PermanentStoreException.class)
        .hasMessageContaining(file.resolve("spill").toString())
        .satisfies(e -> assertThat(((PermanentStoreException) e).resource()).isEqualTo(file.resolve("spill").toString()));
  }
}
