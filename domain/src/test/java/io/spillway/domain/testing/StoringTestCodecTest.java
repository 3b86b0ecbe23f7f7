package io.spillway.domain.testing;

import io.spillway.domain.chunk.Codec;

class StoringTestCodecTest extends CodecContract {
  @Override
  protected Codec codec() {
    return TestCodecs.storing();
  }
}
