package io.spillway.application.port.out;

import io.spillway.domain.InvalidFieldException;
import io.spillway.domain.chunk.Chunk;
import java.util.List;
import java.util.Optional;

/**
 * A bounded, durable overflow for chunks the stream cannot take yet: what it holds survives the
 * process, and a damaged entry is reported and set aside, never handed back as a chunk.
 *
 * <p>Entries keep the order they were appended in ({@link SpilledChunk#sequence()} grows), across
 * restarts. Sizes count chunk record bytes, not the adapter's own framing. An adapter is safe for
 * concurrent use. I/O failures are {@link RetryableStoreException}s (the caller keeps the chunk).
 */
public interface ChunkSpill {

  /** Bytes of chunk records the spill may hold at most. */
  long capacityBytes();

  /** Bytes of chunk records it holds now (entries set aside as corrupt are not counted). */
  long sizeBytes();

  /**
   * Writes the chunk behind everything held; on return it survives a crash of the process. Empty,
   * with nothing written, when it would take the spill past {@link #capacityBytes()}.
   */
  Optional<SpilledChunk> append(Chunk chunk);

  /**
   * The entry's chunk, its framing and its own record checks verified. A damaged entry is set
   * aside (kept for an operator, no longer held or counted) and answered {@link SpillRead.Corrupt}.
   */
  SpillRead read(SpilledChunk entry);

  /** Forgets an entry once the stream accepted its chunk; removing one not held does nothing. */
  void remove(SpilledChunk entry);

  /** Every entry held, oldest first: on start, what a previous process left behind. */
  List<SpilledChunk> entries();

  /** Entries set aside as corrupt, since this spill was opened and before (an operator's to inspect). */
  long corruptEntries();

  /** One entry of a spill: its place in the order and the bytes of its chunk record. */
  record SpilledChunk(long sequence, int bytes) {
    public SpilledChunk {
      if (sequence < 0) {
        throw new InvalidFieldException("spill.sequence", sequence, ">= 0");
      }
      if (bytes < 1) {
        throw new InvalidFieldException("spill.bytes", bytes, ">= 1");
      }
    }
  }

  /** What reading an entry found. */
  sealed interface SpillRead {
    /** The chunk, as it was appended. */
    record Intact(Chunk chunk) implements SpillRead {}

    /** The entry failed its checks and was set aside; {@code reason} says which and where it went. */
    record Corrupt(SpilledChunk entry, String reason) implements SpillRead {}
  }
}
