package io.spillway.domain.chunk;

/** Finds the codec a chunk record names. */
@FunctionalInterface
public interface CodecRegistry {
  /** The codec for the id; throws {@link CorruptChunkException} (UNKNOWN_CODEC) when none is installed. */
  Codec codec(CodecId id);
}
