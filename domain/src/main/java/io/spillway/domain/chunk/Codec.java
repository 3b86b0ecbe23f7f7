package io.spillway.domain.chunk;

/**
 * Compresses chunk payloads. Implementations are thread-safe and live outside the domain (the
 * domain depends on the JDK only).
 */
public interface Codec {
  CodecId id();

  /** The compressed form of {@code src[offset, offset + length)}. */
  byte[] compress(byte[] src, int offset, int length);

  /**
   * Exactly {@code rawLength} bytes inflated from {@code src[offset, offset + length)}. Refuses,
   * with {@link CorruptChunkException} ({@code RAW_SIZE_EXCEEDED}, {@code MALFORMED}), input that
   * would inflate past {@code rawLength} or stops short of it: a bomb never gets to allocate more.
   */
  byte[] decompress(byte[] src, int offset, int length, int rawLength);
}
