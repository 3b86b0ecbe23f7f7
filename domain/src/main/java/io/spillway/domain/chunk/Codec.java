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
   * The slice is exactly one complete compressed unit (one gzip member, one zstd frame): any byte
   * after its end, a second member or frame included, is {@code MALFORMED}. A codec with no framing
   * (NONE) cannot tell trailing bytes from content: for it they are bytes past {@code rawLength}.
   */
  byte[] decompress(byte[] src, int offset, int length, int rawLength);
}
