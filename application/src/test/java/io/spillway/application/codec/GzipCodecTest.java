package io.spillway.application.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spillway.domain.chunk.Codec;
import io.spillway.domain.chunk.CorruptChunkException;
import io.spillway.domain.chunk.CorruptChunkException.Reason;
import io.spillway.domain.testing.CodecContract;
import io.spillway.domain.testing.DomainArbitraries;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.CRC32;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

class GzipCodecTest extends CodecContract {
  private final GzipCodec gzip = new GzipCodec();

  @Override
  protected Codec codec() {
    return gzip;
  }

  @Test
  void writesPlainGzipThatAnyToolReads() throws Exception {
    byte[] raw = "readable by gunzip ".repeat(100).getBytes(StandardCharsets.UTF_8);
    byte[] gz = gzip.compress(raw, 0, raw.length);
    assertThat(Arrays.copyOf(gz, 10)).containsExactly(0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff);
    try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gz))) {
      assertThat(in.readAllBytes()).isEqualTo(raw);
    }
  }

  @Test
  void readsEveryOptionalHeaderFieldOfRfc1952() throws Exception {
    byte[] raw = DomainArbitraries.jsonLike(21, 4_000);
    byte[] member = withHeader(gzip.compress(raw, 0, raw.length), 0x02 | 0x04 | 0x08 | 0x10 | 0x01, true);
    try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(member))) {
      assertThat(in.readAllBytes()).as("the JDK reads the crafted member too").isEqualTo(raw);
    }
    assertThat(gzip.decompress(member, 0, member.length, raw.length)).isEqualTo(raw);
  }

  @Test
  void refusesAHeaderThatIsNotRfc1952() {
    byte[] raw = DomainArbitraries.jsonLike(23, 4_000);
    byte[] member = gzip.compress(raw, 0, raw.length);
    assertMalformed(withHeader(member, 0x20, true), raw.length, "reserved flag");
    assertMalformed(withHeader(member, 0x02 | 0x08, false), raw.length, "CRC16");
    byte[] notDeflate = member.clone();
    notDeflate[2] = 7;
    assertMalformed(notDeflate, raw.length, "1f 8b 08");
    byte[] nameRunsOff = Arrays.copyOf(member, 40);
    nameRunsOff[3] = 0x08;
    Arrays.fill(nameRunsOff, 10, 40, (byte) 'n');
    assertMalformed(nameRunsOff, raw.length, "runs past the end");
  }

  @Test
  void refusesADamagedTrailer() {
    byte[] raw = DomainArbitraries.jsonLike(25, 4_000);
    byte[] member = gzip.compress(raw, 0, raw.length);
    byte[] badCrc = member.clone();
    badCrc[member.length - 8] ^= 1;
    assertMalformed(badCrc, raw.length, "CRC32");
    byte[] badSize = member.clone();
    badSize[member.length - 1] ^= 1;
    assertMalformed(badSize, raw.length, "ISIZE");
    assertMalformed(Arrays.copyOf(member, member.length - 3), raw.length, "trailer");
  }

  @Test
  void namesWhatFollowsTheMember() {
    byte[] raw = DomainArbitraries.jsonLike(27, 4_000);
    byte[] member = gzip.compress(raw, 0, raw.length);
    byte[] twoMembers = Arrays.copyOf(member, member.length * 2);
    System.arraycopy(member, 0, twoMembers, member.length, member.length);
    assertMalformed(twoMembers, raw.length, member.length + " bytes follow the gzip member");
  }

  /** The member with the JDK's fixed header replaced by one with these flags and their fields. */
  private static byte[] withHeader(byte[] member, int flags, boolean rightHeaderCrc) {
    ByteArrayOutputStream h = new ByteArrayOutputStream();
    h.write(0x1f);
    h.write(0x8b);
    h.write(8);
    h.write(flags);
    h.writeBytes(new byte[] {0x78, 0x56, 0x34, 0x12, 2, 3}); // MTIME, XFL, OS
    if ((flags & 0x04) != 0) {
      h.writeBytes(new byte[] {5, 0, 'A', 'B', 2, 0, 9});
    }
    if ((flags & 0x08) != 0) {
      h.writeBytes("chunk.bin\0".getBytes(StandardCharsets.ISO_8859_1));
    }
    if ((flags & 0x10) != 0) {
      h.writeBytes("a comment\0".getBytes(StandardCharsets.ISO_8859_1));
    }
    if ((flags & 0x02) != 0) {
      CRC32 crc = new CRC32();
      crc.update(h.toByteArray());
      int v = (int) crc.getValue() ^ (rightHeaderCrc ? 0 : 1);
      h.write(v);
      h.write(v >>> 8);
    }
    h.write(member, 10, member.length - 10);
    return h.toByteArray();
  }

  private void assertMalformed(byte[] payload, int rawLength, String because) {
    assertThatThrownBy(() -> gzip.decompress(payload, 0, payload.length, rawLength))
        .isInstanceOfSatisfying(CorruptChunkException.class, e -> assertThat(e.reason()).isEqualTo(Reason.MALFORMED))
        .hasMessageContaining(because);
  }
}
