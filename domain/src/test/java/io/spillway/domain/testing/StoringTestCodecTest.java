package io.spillway.domain.testing;

import io.spillway.domain.chunk.Codec;
import io.spillway.domain.chunk.CorruptChunkException.Reason;

class StoringTestCodecTest extends CodecContract {
  @Override
  protected Codec codec() {
    return TestCodecs.storing();
  }

  /** No framing: bytes after the payload are payload bytes past the declared raw length. */
  @Override
  protected Reason trailingBytesReason() {
    return Reason.RAW_SIZE_EXCEEDED;
  }
}
