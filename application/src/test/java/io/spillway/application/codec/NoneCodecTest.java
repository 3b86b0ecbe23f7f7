package io.spillway.application.codec;

import io.spillway.domain.chunk.Codec;
import io.spillway.domain.chunk.CorruptChunkException.Reason;
import io.spillway.domain.testing.CodecContract;

class NoneCodecTest extends CodecContract {
  @Override
  protected Codec codec() {
    return new NoneCodec();
  }

  /** No framing: bytes after the payload are payload bytes past the declared raw length. */
  @Override
  protected Reason trailingBytesReason() {
    return Reason.RAW_SIZE_EXCEEDED;
  }
}
