package io.spillway.application.codec;

import io.spillway.domain.chunk.Codec;
import io.spillway.domain.chunk.CodecId;
import io.spillway.domain.chunk.CorruptChunkException;
import io.spillway.domain.chunk.CorruptChunkException.Reason;
import java.util.Arrays;

/** No compression: the payload is the raw envelope. */
public final class NoneCodec implements Codec {
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
    if (length != rawLength) {
      throw new CorruptChunkException(length > rawLength ? Reason.RAW_SIZE_EXCEEDED : Reason.MALFORMED,
          "uncompressed payload of " + length + " bytes, header declares " + rawLength);
    }
    return Arrays.copyOfRange(src, offset, offset + length);
  }
}
