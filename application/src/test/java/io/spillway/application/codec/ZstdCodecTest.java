package io.spillway.application.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdCompressCtx;
import io.spillway.domain.chunk.Codec;
import io.spillway.domain.chunk.CodecId;
import io.spillway.domain.chunk.CorruptChunkException;
import io.spillway.domain.chunk.CorruptChunkException.Reason;
import io.spillway.domain.testing.CodecContract;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ZstdCodecTest extends CodecContract {
  private final ZstdCodec zstd = new ZstdCodec(3);

  @Override
  protected Codec codec() {
    return zstd;
  }

  @Test
  void framesDeclareTheirContentSize() {
    byte[] raw = "spillway ".repeat(1000).getBytes(StandardCharsets.UTF_8);
    byte[] compressed = zstd.compress(raw, 0, raw.length);
    assertThat(Zstd.getFrameContentSize(compressed)).isEqualTo(raw.length);
    assertThat(compressed.length).isLessThan(raw.length / 20);
  }

  @Test
  void aFrameWithoutAContentSizeIsRefusedAsMalformed() {
    byte[] raw = "no size declared".repeat(50).getBytes(StandardCharsets.UTF_8);
    byte[] frame;
    try (ZstdCompressCtx ctx = new ZstdCompressCtx()) {
      frame = ctx.setLevel(3).setContentSize(false).compress(raw);
    }
    assertThatThrownBy(() -> zstd.decompress(frame, 0, frame.length, raw.length))
        .isInstanceOfSatisfying(CorruptChunkException.class, e -> assertThat(e.reason()).isEqualTo(Reason.MALFORMED))
        .hasMessageContaining("content size");
  }

  @Test
  void bytesThatAreNotAZstdFrameAreRefusedAsMalformed() {
    byte[] garbage = "definitely not zstd".getBytes(StandardCharsets.UTF_8);
    assertThatThrownBy(() -> zstd.decompress(garbage, 0, garbage.length, 100))
        .isInstanceOfSatisfying(CorruptChunkException.class, e -> assertThat(e.reason()).isEqualTo(Reason.MALFORMED));
  }

  @Test
  void aFrameDeclaringMoreThanTheHeaderIsABomb() {
    byte[] raw = new byte[10_000_000];
    byte[] frame = zstd.compress(raw, 0, raw.length);
    assertThatThrownBy(() -> zstd.decompress(frame, 0, frame.length, 1_000))
        .isInstanceOfSatisfying(CorruptChunkException.class, e -> assertThat(e.reason()).isEqualTo(Reason.RAW_SIZE_EXCEEDED))
        .hasMessageContaining("10000000");
  }

  @Test
  void theRegistryWritesZstdAndReadsEveryCodec() {
    Codecs codecs = Codecs.standard();
    assertThat(codecs.writer().id()).isEqualTo(CodecId.ZSTD);
    for (CodecId id : CodecId.values()) {
      assertThat(codecs.codec(id).id()).isEqualTo(id);
    }
  }

  @Test
  void anOutOfRangeLevelIsRefusedByName() {
    assertThatThrownBy(() -> new ZstdCodec(99)).hasMessageContaining("codec.zstdLevel");
  }
}
