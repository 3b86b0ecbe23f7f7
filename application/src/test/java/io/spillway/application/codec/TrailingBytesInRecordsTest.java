package io.spillway.application.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.spillway.domain.chunk.Chunk;
import io.spillway.domain.chunk.ChunkFormat;
import io.spillway.domain.chunk.CodecId;
import io.spillway.domain.chunk.CorruptChunkException;
import io.spillway.domain.chunk.CorruptChunkException.Reason;
import io.spillway.domain.event.Event;
import io.spillway.domain.job.JobId;
import io.spillway.domain.testing.ChunkFixtures;
import io.spillway.domain.testing.DomainArbitraries;
import java.io.ByteArrayOutputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A compressed payload is exactly one gzip member or one zstd frame: a record whose payload goes on
 * after it (garbage, or a second member or frame, with payloadLength and CRC32C to match) is refused
 * as MALFORMED by the consumer's verify and by reading, so the ingest service dead-letters it.
 */
class TrailingBytesInRecordsTest {
  private static final JobId JOB = JobId.of("job-trailing");
  private static final Codecs CODECS = Codecs.standard();

  @ParameterizedTest
  @EnumSource(value = CodecId.class, names = {"GZIP", "ZSTD"})
  void aRecordWhosePayloadGoesOnAfterItsCompressedUnitIsMalformed(CodecId codec) {
    Chunk chunk = compressedChunk(codec);
    byte[] payload = Arrays.copyOfRange(chunk.record(), chunk.payloadOffset(), chunk.record().length);
    byte[] empty = CODECS.codec(codec).compress(new byte[0], 0, 0);

    for (byte[] after : List.of(new byte[] {0}, new byte[9], "garbage".getBytes(), payload, empty)) {
      byte[] record = withPayload(chunk, concat(payload, after));
      Chunk parsed = ChunkFormat.parse(record); // payloadLength and CRC32C agree: only the codec can tell
      assertThat(refusal(() -> ChunkFormat.verify(parsed, CODECS))).isEqualTo(Reason.MALFORMED);
      assertThat(refusal(() -> ChunkFormat.events(parsed, CODECS))).isEqualTo(Reason.MALFORMED);
    }
    assertThatCode(() -> ChunkFormat.verify(ChunkFormat.parse(withPayload(chunk, payload)), CODECS)).doesNotThrowAnyException();
  }

  private static Chunk compressedChunk(CodecId codec) {
    List<Event> events = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      events.add(new Event(JOB, i, "e-" + i, Instant.parse("2025-03-04T05:06:07Z").plusMillis(i), "t", "g", 1, DomainArbitraries.jsonLike(i, 200)));
    }
    Chunk chunk = ChunkFixtures.assemble(JOB, events, 1, Codecs.writingWith(codec, 3).writer()).get(0);
    assertThat(chunk.header().codec()).isEqualTo(codec);
    return chunk;
  }

  /** The chunk's record with another payload: payloadLength rewritten, CRC32C recomputed. */
  private static byte[] withPayload(Chunk chunk, byte[] payload) {
    int oldLength = chunk.header().payloadLength();
    int lengthAt = chunk.payloadOffset() - varint(oldLength).length;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(chunk.record(), 0, lengthAt);
    out.writeBytes(varint(payload.length));
    out.writeBytes(payload);
    return ChunkFixtures.resealed(out.toByteArray());
  }

  private static byte[] varint(long v) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    while ((v & ~0x7FL) != 0) {
      out.write((int) ((v & 0x7F) | 0x80));
      v >>>= 7;
    }
    out.write((int) v);
    return out.toByteArray();
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] joined = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, joined, a.length, b.length);
    return joined;
  }

  private static Reason refusal(Runnable read) {
    CorruptChunkException e = catchThrowableOfType(CorruptChunkException.class, read::run);
    assertThat(e).as("refused").isNotNull();
    return e.reason();
  }
}
