package io.spillway.domain.chunk;

import io.spillway.domain.chunk.CorruptChunkException.Reason;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;

/** Reads the chunk format from a bounded slice; every overrun is a {@link CorruptChunkException}. */
final class ByteReader {
  private final byte[] buf;
  private int pos;
  private final int end;

  ByteReader(byte[] buf, int offset, int length) {
    this.buf = buf;
    this.pos = offset;
    this.end = offset + length;
  }

  int position() {
    return pos;
  }

  int remaining() {
    return end - pos;
  }

  byte[] array() {
    return buf;
  }

  void need(int n, String what) {
    if (n < 0 || n > end - pos) {
      throw new CorruptChunkException(Reason.TRUNCATED, what + " needs " + n + " bytes, " + (end - pos) + " left");
    }
  }

  int readByte(String what) {
    need(1, what);
    return buf[pos++] & 0xFF;
  }

  int readInt32(String what) {
    need(4, what);
    int v = ((buf[pos] & 0xFF) << 24) | ((buf[pos + 1] & 0xFF) << 16) | ((buf[pos + 2] & 0xFF) << 8) | (buf[pos + 3] & 0xFF);
    pos += 4;
    return v;
  }

  long readVarLong(String what) {
    long result = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (pos >= end) {
        throw new CorruptChunkException(Reason.TRUNCATED, what + ": varint runs past the end");
      }
      byte b = buf[pos++];
      result |= (long) (b & 0x7F) << shift;
      if ((b & 0x80) == 0) {
        return result;
      }
    }
    throw new CorruptChunkException(Reason.MALFORMED, what + ": varint longer than 10 bytes");
  }

  /** A non-negative varint no larger than max. */
  int readVarInt(String what, int max) {
    long v = readVarLong(what);
    if (v < 0 || v > max) {
      throw new CorruptChunkException(Reason.MALFORMED, what + " = " + v + " exceeds " + max);
    }
    return (int) v;
  }

  long readZigZag(String what) {
    long v = readVarLong(what);
    return (v >>> 1) ^ -(v & 1);
  }

  String readString(String what, int maxBytes) {
    int len = readVarInt(what + " length", maxBytes);
    need(len, what);
    try {
      String s = StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(buf, pos, len))
          .toString();
      pos += len;
      return s;
    } catch (CharacterCodingException e) {
      throw new CorruptChunkException(Reason.MALFORMED, what + " is not valid UTF-8", e);
    }
  }

  void skip(int n, String what) {
    need(n, what);
    pos += n;
  }
}
