package io.spillway.domain.chunk;

/** Finds the codec a chunk record names. */
@FunctionalInterface
public interface CodecRegistry {
  /**
   * The codec for the id. A codec this process lacks is the process's failure, not the record's:
   * it throws {@link IllegalStateException}, so the record is retried elsewhere, never dead-lettered.
   */
  Codec codec(CodecId id);
}
