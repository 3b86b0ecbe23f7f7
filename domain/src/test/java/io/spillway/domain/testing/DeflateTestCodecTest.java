package io.spillway.domain.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spillway.domain.chunk.Codec;
import io.spillway.domain.chunk.CodecId;
import io.spillway.domain.chunk.CorruptChunkException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

class DeflateTestCodecTest extends CodecContract {

  @Override
  protected Codec codec() {
    return TestCodecs.deflate();
  }

  @Test
  void writesGzipThatTheJdkReads() throws IOException {
    byte[] raw = DomainArbitraries.jsonLike(3, 20_000);
    byte[] compressed = codec().compress(raw, 0, raw.length);
    try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(compressed))) {
      assertThat(in.readAllBytes()).isEqualTo(raw);
    }
    assertThat(compressed.length).isLessThan(raw.length / 2);
    assertThat(codec().id()).isEqualTo(CodecId.GZIP);
  }

  @Test
  void readsGzipThatTheJdkWrites() throws IOException {
    byte[] raw = DomainArbitraries.jsonLike(5, 20_000);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(raw);
    }
    byte[] compressed = out.toByteArray();
    assertThat(codec().decompress(compressed, 0, compressed.length, raw.length)).isEqualTo(raw);
  }

  @Test
  void refusesGarbageAndADamagedTrailer() {
    byte[] garbage = DomainArbitraries.randomBytes(1, 1000);
    assertThatThrownBy(() -> codec().decompress(garbage, 0, garbage.length, 1000)).isInstanceOf(CorruptChunkException.class);

    byte[] raw = DomainArbitraries.jsonLike(9, 2_000);
    byte[] compressed = codec().compress(raw, 0, raw.length);
    compressed[compressed.length - 6] ^= 1; // inside the CRC32 of the trailer
    assertThatThrownBy(() -> codec().decompress(compressed, 0, compressed.length, raw.length))
        .isInstanceOf(CorruptChunkException.class)
        .hasMessageContaining("trailer");
  }
}
