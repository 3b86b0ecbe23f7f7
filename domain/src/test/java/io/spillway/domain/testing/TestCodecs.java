package io.spillway.domain.testing;

import io.spillway.domain.chunk.Codec;
import io.spillway.domain.chunk.CodecId;
import io.spillway.domain.chunk.CodecRegistry;
import io.spillway.domain.chunk.CorruptChunkException;
import io.spillway.domain.chunk.CorruptChunkException.Reason;
import java.util.Arrays;

/** The codecs domain-level tests read and write with: {@link DeflateTestCodec} for GZIP, a storing codec for NONE. */
public final class TestCodecs {
  private TestCodecs() {}

  private static final DeflateTestCodec DEFLATE = new DeflateTestCodec();
  private static final Codec STORING = new StoringCodec();

  /** The gzip-compatible test codec (thread-safe, shared). */
  public static DeflateTestCodec deflate() {
    return DEFLATE;
  }

  /** A codec that never shrinks anything, so an assembler writing with it stores every chunk uncompressed (NONE). */
  public static Codec storing() {
    return STORING;
  }

  /**
   * Reads NONE and GZIP chunks. The domain tests have no zstd: a ZSTD chunk here is one whose codec
   * byte was damaged, and its payload is refused as MALFORMED, as a zstd codec refuses bytes that are
   * not a zstd frame.
   */
  public static CodecRegistry registry() {
    return id -> switch (id) {
      case NONE -> STORING;
      case GZIP -> DEFLATE;
      case ZSTD -> new Codec() {
        @Override
        public CodecId id() {
          return CodecId.ZSTD;
        }

        @Override
        public byte[] compress(byte[] src, int offset, int length) {
          throw new UnsupportedOperationException("the domain tests write no zstd");
        }

        @Override
        public byte[] decompress(byte[] src, int offset, int length, int rawLength) {
          throw new CorruptChunkException(Reason.MALFORMED, "payload is not a zstd frame (domain tests)");
        }
      };
    };
  }

  private static final class StoringCodec implements Codec {
    @Override
    public CodecId id() {
      return CodecId.NONE;
    }

    @Override
    public byte[] compress(byte[] src, int offset, int length) {
      return Arrays.copyOfRange(src, offset, offset + length);
    }

    @Override
    public byte[] decompress(byte[] src, int offset, int length, int rawLength) {
      if (length > rawLength) {
        throw new CorruptChunkException(Reason.RAW_SIZE_EXCEEDED, length + " stored bytes exceed the declared " + rawLength);
      }
      if (length < rawLength) {
        throw new CorruptChunkException(Reason.MALFORMED, length + " stored bytes, header declares " + rawLength);
      }
      return Arrays.copyOfRange(src, offset, offset + length);
    }

    @Override
    public String toString() {
      return "StoringTestCodec";
    }
  }
}
