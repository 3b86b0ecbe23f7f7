package io.spillway.bootstrap.spill;

import io.spillway.application.contract.ChunkSpillContract;
import io.spillway.application.port.out.ChunkSpill;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The spill contract against a directory: reopening is opening the directory again, as a new process would. */
class DirectoryChunkSpillContractTest extends ChunkSpillContract {
  @TempDir
  Path root;
  private int spills;

  @Override
  protected ChunkSpill newSpill(long capacityBytes) {
    return new DirectoryChunkSpill(root.resolve("spill-" + spills++), capacityBytes);
  }

  @Override
  protected ChunkSpill reopen(ChunkSpill spill) {
    DirectoryChunkSpill directory = (DirectoryChunkSpill) spill;
    return new DirectoryChunkSpill(directory.directory(), directory.capacityBytes());
  }

  @Override
  protected void damage(ChunkSpill spill, ChunkSpill.SpilledChunk entry) {
    Path file = ((DirectoryChunkSpill) spill).file(entry.sequence());
    try {
      byte[] bytes = Files.readAllBytes(file);
      bytes[bytes.length - 1] ^= 0x01; // one flipped bit in the payload
      Files.write(file, bytes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
