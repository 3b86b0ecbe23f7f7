package io.spillway.application.codec;

import io.spillway.domain.chunk.Codec;
import io.spillway.domain.testing.CodecContract;

class NoneCodecTest extends CodecContract {
  @Override
  protected Codec codec() {
    return new NoneCodec();
  }
}
