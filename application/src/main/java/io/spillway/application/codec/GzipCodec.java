package io.spillway.application.codec;

import io.spillway.domain.chunk.Codec;
import io.spillway.domain.chunk.CodecId;
import io.spillway.domain.chunk.CorruptChunkException;
import io.spillway.domain.chunk.CorruptChunkException.Reason;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/** RFC 1952 gzip from the JDK: slower and larger than zstd, but readable by any tool. */
public final class GzipCodec implements Codec {
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
    byte[] dst = new byte[rawLength];
    try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(src, offset, length), 64 * 1024)) {
      int filled = in.readNBytes(dst, 0, rawLength);
      if (filled < rawLength) {
        throw new CorruptChunkException(Reason.MALFORMED, "gzip payload inflated to " + filled + " bytes, header declares " + rawLength);
      }
      if (in.read() != -1) {
        throw new CorruptChunkException(Reason.RAW_SIZE_EXCEEDED, "gzip payload inflates past the declared " + rawLength + " bytes");
      }
    } catch (IOException e) {
      throw new CorruptChunkException(Reason.MALFORMED, "gzip payload is unreadable: " + e.getMessage(), e);
    }
    return dst;
  }
}
