package io.spillway.application.codec;

import io.spillway.domain.chunk.Codec;
import io.spillway.domain.chunk.CodecId;
import io.spillway.domain.chunk.CorruptChunkException;
import io.spillway.domain.chunk.CorruptChunkException.Reason;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.GZIPOutputStream;
import java.util.zip.Inflater;

/**
 * RFC 1952 gzip from the JDK: slower and larger than zstd, but readable by any tool. A payload is
 * exactly one gzip member: the reader parses the member header itself and inflates with a raw
 * {@link Inflater} (not {@code GZIPInputStream}, which reads on into a following member and skips
 * trailing garbage), so it knows where the member ends and refuses anything after it.
 */
public final class GzipCodec implements Codec {
  private static final int ID1 = 0x1f;
  private static final int ID2 = 0x8b;
  private static final int CM_DEFLATE = 8;
  private static final int FHCRC = 0x02;
  private static final int FEXTRA = 0x04;
  private static final int FNAME = 0x08;
  private static final int FCOMMENT = 0x10;
  private static final int FRESERVED = 0xE0;
  private static final int FIXED_HEADER_BYTES = 10;
  private static final int TRAILER_BYTES = 8;

  @Override
  public CodecId id() {
    return CodecId.GZIP;
  }

  @Override
  public byte[] compress(byte[] src, int offset, int length) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(64, length / 4));
    try (GZIPOutputStream gz = new GZIPOutputStream(out, 64 * 1024)) {
      gz.write(src, offset, length);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  @Override
  public byte[] decompress(byte[] src, int offset, int length, int rawLength) {
    int end = offset + length;
    int deflateAt = afterHeader(src, offset, end);
    byte[] dst = new byte[rawLength];
    Inflater inflater = new Inflater(true);
    try {
      inflater.setInput(src, deflateAt, end - deflateAt);
      int filled = 0;
      while (filled < rawLength && !inflater.finished()) {
        long read = inflater.getBytesRead();
        int n = inflater.inflate(dst, filled, rawLength - filled);
        filled += n;
        if (n == 0 && !inflater.finished() && inflater.getBytesRead() == read) {
          throw new CorruptChunkException(Reason.MALFORMED, "gzip payload's deflate data ends after " + filled + " of " + rawLength + " bytes");
        }
      }
      if (filled < rawLength) {
        throw new CorruptChunkException(Reason.MALFORMED, "gzip payload inflated to " + filled + " bytes, header declares " + rawLength);
      }
      // the declared size is reached: one more byte of output is a bomb, refused before anything else is looked at
      byte[] one = new byte[1];
      while (!inflater.finished()) {
        long read = inflater.getBytesRead();
        if (inflater.inflate(one) > 0) {
          throw new CorruptChunkException(Reason.RAW_SIZE_EXCEEDED, "gzip payload inflates past the declared " + rawLength + " bytes");
        }
        if (!inflater.finished() && inflater.getBytesRead() == read) {
          throw new CorruptChunkException(Reason.MALFORMED, "gzip payload's deflate data does not end after " + rawLength + " bytes");
        }
      }
      int after = inflater.getRemaining();
      if (after < TRAILER_BYTES) {
        throw new CorruptChunkException(Reason.MALFORMED, "gzip member is cut short: " + after + " of its " + TRAILER_BYTES + " trailer bytes");
      }
      int trailerAt = end - after;
      CRC32 crc = new CRC32();
      crc.update(dst, 0, rawLength);
      if (readIntLe(src, trailerAt) != (int) crc.getValue()) {
        throw new CorruptChunkException(Reason.MALFORMED, "gzip trailer's CRC32 does not match the inflated bytes");
      }
      if (readIntLe(src, trailerAt + 4) != rawLength) {
        throw new CorruptChunkException(Reason.MALFORMED, "gzip trailer's ISIZE " + Integer.toUnsignedString(readIntLe(src, trailerAt + 4))
            + " is not the inflated " + rawLength + " bytes");
      }
      if (after > TRAILER_BYTES) {
        throw new CorruptChunkException(Reason.MALFORMED, (after - TRAILER_BYTES)
            + " bytes follow the gzip member (a payload is exactly one member, with nothing after it)");
      }
      return dst;
    } catch (DataFormatException e) {
      throw new CorruptChunkException(Reason.MALFORMED, "gzip payload's deflate data is corrupt: " + e.getMessage(), e);
    } finally {
      inflater.end();
    }
  }

  /** Checks an RFC 1952 member header at {@code src[at, end)} and returns where its deflate data starts. */
  private static int afterHeader(byte[] src, int at, int end) {
    int start = at;
    if (end - at < FIXED_HEADER_BYTES + TRAILER_BYTES) {
      throw new CorruptChunkException(Reason.MALFORMED, "gzip payload of " + (end - at) + " bytes is shorter than a member's header and trailer");
    }
    if ((src[at] & 0xFF) != ID1 || (src[at + 1] & 0xFF) != ID2 || (src[at + 2] & 0xFF) != CM_DEFLATE) {
      throw new CorruptChunkException(Reason.MALFORMED, "payload does not start with a gzip member header (1f 8b 08)");
    }
    int flags = src[at + 3] & 0xFF;
    if ((flags & FRESERVED) != 0) {
      throw new CorruptChunkException(Reason.MALFORMED, "gzip header sets reserved flag bits (FLG " + flags + ")");
    }
    at += FIXED_HEADER_BYTES;
    if ((flags & FEXTRA) != 0) {
      headerNeeds(at, 2, end);
      int xlen = (src[at] & 0xFF) | (src[at + 1] & 0xFF) << 8;
      at += 2;
      headerNeeds(at, xlen, end);
      at += xlen;
    }
    if ((flags & FNAME) != 0) {
      at = afterZero(src, at, end);
    }
    if ((flags & FCOMMENT) != 0) {
      at = afterZero(src, at, end);
    }
    if ((flags & FHCRC) != 0) {
      headerNeeds(at, 2, end);
      CRC32 crc = new CRC32();
      crc.update(src, start, at - start);
      int declared = (src[at] & 0xFF) | (src[at + 1] & 0xFF) << 8;
      if (declared != ((int) crc.getValue() & 0xFFFF)) {
        throw new CorruptChunkException(Reason.MALFORMED, "gzip header CRC16 does not match the header");
      }
      at += 2;
    }
    return at;
  }

  private static void headerNeeds(int at, int n, int end) {
    if (n > end - at) {
      throw new CorruptChunkException(Reason.MALFORMED, "gzip header runs past the end of the payload");
    }
  }

  private static int afterZero(byte[] src, int at, int end) {
    while (at < end) {
      if (src[at++] == 0) {
        return at;
      }
    }
    throw new CorruptChunkException(Reason.MALFORMED, "gzip header runs past the end of the payload");
  }

  private static int readIntLe(byte[] b, int at) {
    return (b[at] & 0xFF) | (b[at + 1] & 0xFF) << 8 | (b[at + 2] & 0xFF) << 16 | (b[at + 3] & 0xFF) << 24;
  }
}
