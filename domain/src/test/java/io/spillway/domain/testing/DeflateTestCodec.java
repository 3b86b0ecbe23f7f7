package io.spillway.domain.testing;

import io.spillway.domain.chunk.Codec;
import io.spillway.domain.chunk.CodecId;
import io.spillway.domain.chunk.CorruptChunkException;
import io.spillway.domain.chunk.CorruptChunkException.Reason;
import java.io.ByteArrayOutputStream;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * A JDK-only {@link CodecId#GZIP} codec for tests of modules that cannot see the real codecs: RFC
 * 1952 gzip (so its chunks read back with any gzip reader) built on {@link Deflater} and
 * {@link Inflater}, honouring the decompress contract — it inflates into exactly {@code rawLength}
 * bytes and refuses, without allocating more, input that would inflate past it.
 */
public final class DeflateTestCodec implements Codec {
  private static final int HEADER_BYTES = 10;
  private static final int TRAILER_BYTES = 8;

  private final int level;

  public DeflateTestCodec() {
    this(Deflater.DEFAULT_COMPRESSION);
  }

  public DeflateTestCodec(int level) {
    this.level = level;
  }

  @Override
  public CodecId id() {
    return CodecId.GZIP;
  }

  @Override
  public byte[] compress(byte[] src, int offset, int length) {
    Deflater deflater = new Deflater(level, true);
    try {
      deflater.setInput(src, offset, length);
      deflater.finish();
      ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(64, length / 3));
      out.write(new byte[] {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, (byte) 0xff}, 0, HEADER_BYTES);
      byte[] buf = new byte[64 * 1024];
      while (!deflater.finished()) {
        int n = deflater.deflate(buf);
        out.write(buf, 0, n);
      }
      CRC32 crc = new CRC32();
      crc.update(src, offset, length);
      writeIntLe(out, (int) crc.getValue());
      writeIntLe(out, length);
      return out.toByteArray();
    } finally {
      deflater.end();
    }
  }

  @Override
  public byte[] decompress(byte[] src, int offset, int length, int rawLength) {
    if (rawLength < 0) {
      throw new CorruptChunkException(Reason.MALFORMED, "negative raw length " + rawLength);
    }
    if (length < HEADER_BYTES + TRAILER_BYTES) {
      throw new CorruptChunkException(Reason.MALFORMED, "gzip payload of " + length + " bytes is shorter than its header and trailer");
    }
    if ((src[offset] & 0xFF) != 0x1f || (src[offset + 1] & 0xFF) != 0x8b || src[offset + 2] != 8) {
      throw new CorruptChunkException(Reason.MALFORMED, "payload is not gzip/deflate");
    }
    if (src[offset + 3] != 0) {
      throw new CorruptChunkException(Reason.MALFORMED, "gzip header flags " + (src[offset + 3] & 0xFF) + " are not supported by the test codec");
    }
    Inflater inflater = new Inflater(true);
    try {
      inflater.setInput(src, offset + HEADER_BYTES, length - HEADER_BYTES);
      byte[] dst = new byte[rawLength];
      int filled = 0;
      while (filled < rawLength) {
        int n = inflater.inflate(dst, filled, rawLength - filled);
        filled += n;
        if (n == 0) {
          if (inflater.finished()) {
            break;
          }
          if (inflater.needsInput() || inflater.needsDictionary()) {
            throw new CorruptChunkException(Reason.MALFORMED, "deflate stream ends after " + filled + " of " + rawLength + " bytes");
          }
        }
      }
      if (filled < rawLength) {
        throw new CorruptChunkException(Reason.MALFORMED, "payload inflated to " + filled + " bytes, header declares " + rawLength);
      }
      if (!inflater.finished()) {
        int more = inflater.inflate(new byte[1]);
        if (more > 0) {
          throw new CorruptChunkException(Reason.RAW_SIZE_EXCEEDED, "payload inflates past the declared " + rawLength + " bytes");
        }
        if (!inflater.finished()) {
          throw new CorruptChunkException(Reason.MALFORMED, "deflate stream does not end after " + rawLength + " bytes");
        }
      }
      int remaining = inflater.getRemaining();
      if (remaining != TRAILER_BYTES) {
        throw new CorruptChunkException(Reason.MALFORMED, "gzip trailer has " + remaining + " bytes, expected " + TRAILER_BYTES);
      }
      int at = offset + length - TRAILER_BYTES;
      CRC32 crc = new CRC32();
      crc.update(dst, 0, rawLength);
      if (readIntLe(src, at) != (int) crc.getValue() || readIntLe(src, at + 4) != rawLength) {
        throw new CorruptChunkException(Reason.MALFORMED, "gzip trailer does not match the inflated bytes");
      }
      return dst;
    } catch (DataFormatException e) {
      throw new CorruptChunkException(Reason.MALFORMED, "deflate stream is corrupt: " + e.getMessage(), e);
    } finally {
      inflater.end();
    }
  }

  private static void writeIntLe(ByteArrayOutputStream out, int v) {
    out.write(v);
    out.write(v >>> 8);
    out.write(v >>> 16);
    out.write(v >>> 24);
  }

  private static int readIntLe(byte[] b, int at) {
    return (b[at] & 0xFF) | (b[at + 1] & 0xFF) << 8 | (b[at + 2] & 0xFF) << 16 | (b[at + 3] & 0xFF) << 24;
  }

  @Override
  public String toString() {
    return "DeflateTestCodec[gzip, level " + level + "]";
  }
}
