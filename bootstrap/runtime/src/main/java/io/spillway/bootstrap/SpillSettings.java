package io.spillway.bootstrap;

import io.spillway.domain.InvalidFieldException;
import io.spillway.domain.chunk.StoredItemLayout;
import java.nio.file.Path;

/**
 * Where a producer spills chunks the stream cannot take yet, and how much it may put there
 * (docs/spill.md). One directory per producer process: two processes over one directory would
 * publish, and remove, each other's chunks.
 *
 * @param directory created if missing; what a previous process left in it is published first
 * @param maxBytes bound on the chunk record bytes the directory holds (at least one item)
 */
public record SpillSettings(Path directory, long maxBytes) {
  /** The bound when only a directory is given: 1 GiB. */
  public static final long DEFAULT_MAX_BYTES = 1L << 30;

  public SpillSettings {
    if (directory == null) {
      throw new InvalidFieldException("spillway.publisher.spillDirectory", null, "a directory path");
    }
    if (maxBytes < StoredItemLayout.ITEM_LIMIT_BYTES) {
      throw new InvalidFieldException("spillway.publisher.spillMaxBytes", maxBytes, "at least " + StoredItemLayout.ITEM_LIMIT_BYTES + " (one item)");
    }
  }

  public static SpillSettings in(Path directory) {
    return new SpillSettings(directory, DEFAULT_MAX_BYTES);
  }
}
