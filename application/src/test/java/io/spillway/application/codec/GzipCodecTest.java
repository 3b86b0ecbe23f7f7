package io.spillway.application.codec;

import static org.assertj.core.api.Assertions.assertThat;

import io.spillway.domain.chunk.Codec;
import io.spillway.domain.testing.CodecContract;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

class GzipCodecTest extends CodecContract {
  @Override
  protected Codec codec() {
    return new GzipCodec();
  }

  @Test
  void writesPlainGzipThatAnyToolReads() throws Exception {
    byte[] raw = "readable by gunzip ".repeat(100).getBytes(StandardCharsets.UTF_8);
    byte[] gz = new GzipCodec().compress(raw, 0, raw.length);
    try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gz))) {
      assertThat(in.readAllBytes()).isEqualTo(raw);
    }
  }
}
