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
  void refusesAnythingButExactlyOneZstdFrame() {
    byte[] raw = "one frame, nothing after it ".repeat(100).getBytes(StandardCharsets.UTF_8);
    byte[] frame = zstd.compress(raw, 0, raw.length);
    byte[] skippable = {0x50, 0x2a, 0x4d, 0x18, 4, 0, 0, 0, 1, 2, 3, 4};
    byte[] framePlusSkippable = java.util.Arrays.copyOf(frame, frame.length + skippable.length);
    System.arraycopy(skippable, 0, framePlusSkippable, frame.length, skippable.length);

    assertThatThrownBy(() -> zstd.decompress(framePlusSkippable, 0, framePlusSkippable.length, raw.length))
        .isInstanceOfSatisfying(CorruptChunkException.class, e -> assertThat(e.reason()).isEqualTo(Reason.MALFORMED))
        .hasMessageContaining("12 bytes follow the zstd frame");
    assertThatThrownBy(() -> zstd.decompress(skippable, 0, skippable.length, 0))
        .isInstanceOfSatisfying(CorruptChunkException.class, e -> assertThat(e.reason()).isEqualTo(Reason.MALFORMED))
        .hasMessageContaining("magic");
    assertThatThrownBy(() -> zstd.decompress(new byte[0], 0, 0, 0))
        .isInstanceOfSatisfying(CorruptChunkException.class, e -> assertThat(e.reason()).isEqualTo(Reason.MALFORMED));
    assertThatThrownBy(() -> zstd.decompress(frame, 0, frame.length - 1, raw.length))
        .isInstanceOfSatisfying(CorruptChunkException.class, e -> assertThat(e.reason()).isEqualTo(Reason.MALFORMED));
  }

  @Test
  void checksAContentChecksumWhenTheFrameHasOne() {
    byte[] raw = "checksummed ".repeat(200).getBytes(StandardCharsets.UTF_8);
    byte[] frame;
    try (ZstdCompressCtx ctx = new ZstdCompressCtx()) {
      frame = ctx.setLevel(3).setContentSize(true).setChecksum(true).compress(raw);
    }
    assertThat(zstd.decompress(frame, 0, frame.length, raw.length)).isEqualTo(raw);
    byte[] damaged = frame.clone();
    damaged[damaged.length - 1] ^= 1;
    assertThatThrownBy(() -> zstd.decompress(damaged, 0, damaged.length, raw.length))
        .isInstanceOfSatisfying(CorruptChunkException.class, e -> assertThat(e.reason()).isEqualTo(Reason.MALFORMED));
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
