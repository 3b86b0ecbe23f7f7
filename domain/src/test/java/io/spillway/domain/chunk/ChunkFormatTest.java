package io.spillway.domain.chunk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.spillway.domain.chunk.CorruptChunkException.Reason;
import io.spillway.domain.event.Event;
import io.spillway.domain.job.JobId;
import io.spillway.domain.testing.ChunkFixtures;
import io.spillway.domain.testing.DomainArbitraries;
import io.spillway.domain.testing.TestCodecs;
import java.lang.management.ManagementFactory;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.Deflater;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Chunk records: the documented layout, and the refusal, whole and with a reason, of every record that cannot be trusted. */
class ChunkFormatTest {
  static final JobId JOB = JobId.of("job-format");

  static List<Event> events(int n, String group) {
    List<Event> events = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      events.add(new Event(JOB, i, java.util.UUID.nameUUIDFromBytes(new byte[] {(byte) i}).toString(),
          Instant.parse("2025-02-03T04:05:06.000000007Z").plusMillis(i), i % 2 == 0 ? "click" : "view", group, 3, DomainArbitraries.jsonLike(i, 300)));
    }
    return events;
  }

  static Chunk compressedChunk() {
    List<Chunk> chunks = ChunkFixtures.assemble(JOB, events(20, "orders"), 4, TestCodecs.deflate());
    assertThat(chunks).hasSize(1);
    assertThat(chunks.get(0).header().codec()).isEqualTo(CodecId.GZIP);
    return chunks.get(0);
  }

  static Chunk storedChunk() {
    List<Chunk> chunks = ChunkFixtures.assemble(JOB, events(5, "orders"), 4, TestCodecs.storing());
    assertThat(chunks.get(0).header().codec()).isEqualTo(CodecId.NONE);
    return chunks.get(0);
  }

  static Reason refusal(byte[] record) {
    CorruptChunkException e = catchThrowableOfType(CorruptChunkException.class, () -> ChunkFormat.events(ChunkFormat.parse(record), TestCodecs.registry()));
    assertThat(e).as("refused").isNotNull();
    assertThat(e.getMessage()).startsWith(e.reason() + ": ").hasSizeGreaterThan(e.reason().name().length() + 10);
    return e.reason();
  }

  /** What the consumer's verify says of a record reading refuses: the same refusal, whatever the reason. */
  static Reason verifyRefusal(byte[] record) {
    CorruptChunkException e = catchThrowableOfType(CorruptChunkException.class, () -> ChunkFormat.verify(ChunkFormat.parse(record), TestCodecs.registry()));
    assertThat(e).as("refused by verify").isNotNull();
    return e.reason();
  }

  static CorruptChunkException parseRefusal(byte[] record) {
    CorruptChunkException e = catchThrowableOfType(CorruptChunkException.class, () -> ChunkFormat.parse(record));
    assertThat(e).as("refused at parse").isNotNull();
    return e;
  }

  // ------------------------------------------------------------------ layout

  @Test
  void writesTheDocumentedLayoutByteForByte() {
    for (Chunk chunk : List.of(compressedChunk(), storedChunk())) {
      assertThat(RecordBytes.of(chunk).build()).isEqualTo(chunk.record());
      assertThat(new String(chunk.record(), 0, 4, java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("SPWC");
      assertThat(chunk.record()[4]).isEqualTo((byte) ChunkFormat.VERSION_SINGLE_PARTITION);
      assertThat(chunk.record()[5]).isEqualTo((byte) chunk.header().codec().code());
    }
  }

  @Test
  void parsesBackTheChunkItWasWrittenAs() {
    Chunk chunk = compressedChunk();
    Chunk parsed = ChunkFormat.parse(chunk.record().clone());
    assertThat(parsed).isEqualTo(chunk);
    assertThat(parsed.header()).isEqualTo(chunk.header());
    assertThat(parsed.payloadOffset()).isEqualTo(chunk.payloadOffset());
    assertThat(parsed.header().payloadLength()).isEqualTo(chunk.record().length - chunk.payloadOffset());
    assertThat(ChunkFormat.events(parsed, TestCodecs.registry())).isEqualTo(events(20, "orders"));
    org.assertj.core.api.Assertions.assertThatCode(() -> ChunkFormat.verify(parsed, TestCodecs.registry())).doesNotThrowAnyException();
  }

  // ------------------------------------------------------------------ the prefix

  @Test
  void refusesARecordShorterThanThePrefix() {
    assertThat(parseRefusal(null).reason()).isEqualTo(Reason.TOO_SHORT);
    for (int n = 0; n < 10; n++) {
      assertThat(parseRefusal(java.util.Arrays.copyOf(compressedChunk().record(), n)).reason()).isEqualTo(Reason.TOO_SHORT);
    }
  }

  @Test
  void refusesAnyDamageToTheMagic() {
    byte[] record = compressedChunk().record();
    for (int i = 0; i < 4; i++) {
      CorruptChunkException e = parseRefusal(ChunkFixtures.flipped(record, i, 0x20));
      assertThat(e.reason()).isEqualTo(Reason.BAD_MAGIC);
      assertThat(e.getMessage()).contains("SPWC");
    }
  }

  @Test
  void writesAChunkOfAnotherPartitionAsVersionTwoByteForByte() {
    ChunkId id = new ChunkId(io.spillway.domain.job.JobId.of("job-7"), 3, 1, "grp", 5);
    Chunk chunk = ChunkFormat.write(id, CodecId.NONE, 1, 9, 9, 4, new byte[] {1, 2, 3, 4}, 4);
    assertThat(chunk.record()[4]).isEqualTo((byte) 2);
    assertThat(RecordBytes.of(chunk).build()).isEqualTo(chunk.record());
    assertThat(ChunkFormat.parse(chunk.record()).id()).isEqualTo(id);
  }

  @Test
  void aRecordRelabelledWithTheOtherKnownVersionFailsItsChecksum() {
    Chunk v1 = compressedChunk();
    byte[] asV2 = v1.record().clone();
    asV2[4] = 2;
    assertThat(parseRefusal(asV2).reason()).isEqualTo(Reason.CHECKSUM_MISMATCH);
    Chunk v2 = ChunkFormat.write(new ChunkId(io.spillway.domain.job.JobId.of("job-7"), 3, 1, "grp", 5), CodecId.NONE, 1, 9, 9, 4, new byte[] {1, 2, 3, 4}, 4);
    byte[] asV1 = v2.record().clone();
    asV1[4] = 1;
    assertThat(parseRefusal(asV1).reason()).isEqualTo(Reason.CHECKSUM_MISMATCH);
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 3, 0x81, 255})
  void refusesAnUnknownFormatVersionNamingIt(int version) {
    byte[] record = compressedChunk().record().clone();
    record[4] = (byte) version;
    CorruptChunkException e = parseRefusal(record);
    assertThat(e.reason()).isEqualTo(Reason.UNSUPPORTED_VERSION);
    assertThat(e.getMessage()).contains("version " + version);
  }

  @ParameterizedTest
  @ValueSource(ints = {3, 4, 127, 255})
  void refusesAnUnknownCodecByte(int code) {
    byte[] record = compressedChunk().record().clone();
    record[5] = (byte) code;
    CorruptChunkException e = parseRefusal(record);
    assertThat(e.reason()).isEqualTo(Reason.UNKNOWN_CODEC);
    assertThat(e.getMessage()).contains(String.valueOf(code));
  }

  @Test
  void aCodecMissingFromThisProcessIsAProcessFailureNotAPoisonRecord() {
    Chunk chunk = compressedChunk();
    io.spillway.domain.chunk.CodecRegistry none = id -> {
      throw new IllegalStateException("no " + id + " codec is installed in this process");
    };
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> ChunkFormat.events(chunk, none))
        .isExactlyInstanceOf(IllegalStateException.class)
        .hasMessageContaining("GZIP");
  }

  @Test
  void refusesADamagedChecksumShowingBothValues() {
    byte[] record = compressedChunk().record();
    for (int i = 6; i < 10; i++) {
      CorruptChunkException e = parseRefusal(ChunkFixtures.flipped(record, i, 1));
      assertThat(e.reason()).isEqualTo(Reason.CHECKSUM_MISMATCH);
      assertThat(e.getMessage()).contains("declared CRC32C").contains("computed");
    }
  }

  // ------------------------------------------------------------------ truncation

  @Test
  void refusesATruncatedRecordAsAChecksumMismatch() {
    byte[] record = compressedChunk().record();
    for (int cut : new int[] {1, 2, 17, record.length - record.length / 2, record.length - 11}) {
      byte[] truncated = java.util.Arrays.copyOf(record, record.length - cut);
      CorruptChunkException e = parseRefusal(truncated);
      assertThat(e.reason()).isEqualTo(Reason.CHECKSUM_MISMATCH);
      assertThat(e.getMessage()).contains("over " + (truncated.length - 10) + " bytes");
    }
  }

  @Test
  void refusesATruncatedRecordWhoseChecksumWasRecomputedAsTruncated() {
    byte[] record = compressedChunk().record();
    CorruptChunkException e = parseRefusal(ChunkFixtures.resealed(java.util.Arrays.copyOf(record, record.length - 1)));
    assertThat(e.reason()).isEqualTo(Reason.TRUNCATED);
    assertThat(e.getMessage()).contains("payloadLength");
    // cut inside the header fields: a varint or a string runs past the end
    assertThat(parseRefusal(ChunkFixtures.resealed(java.util.Arrays.copyOf(record, 13))).reason()).isEqualTo(Reason.TRUNCATED);
  }

  @Test
  void refusesAPayloadLengthThatDisagreesWithWhatFollows() {
    RecordBytes r = RecordBytes.of(compressedChunk());
    r.payloadLength = (long) r.payload.length + 1;
    assertThat(parseRefusal(r.build()).reason()).isEqualTo(Reason.TRUNCATED);
    r.payloadLength = (long) r.payload.length - 1;
    assertThat(parseRefusal(r.build()).reason()).isEqualTo(Reason.TRUNCATED);
  }

  // ------------------------------------------------------------------ lying headers (valid CRC)

  @Test
  void refusesHeadersThatCannotDescribeAChunk() {
    Chunk chunk = compressedChunk();
    assertMalformed(chunk, r -> r.eventCount = 0);
    assertMalformed(chunk, r -> r.eventCount = r.rawLength + 1);
    assertMalformed(chunk, r -> r.firstSequence = r.lastSequence + 1);
    assertMalformed(chunk, r -> r.firstSequence = -1);
    assertMalformed(chunk, r -> r.bucket = 1024);
    assertMalformed(chunk, r -> r.chunkSequence = ChunkId.MAX_SEQUENCE + 1);
    assertMalformed(chunk, r -> r.chunkSequence = -1);
    assertMalformed(chunk, r -> r.jobId = "job/with/slashes");
    assertMalformed(chunk, r -> r.jobId = "");
    assertMalformed(chunk, r -> r.groupKey = "tab\there");
    assertMalformed(chunk, r -> r.groupKey = "");
    assertMalformed(chunk, r -> r.eventCount = 1L << 40);
  }

  @Test
  void refusesAnOverlongJobIdOrGroupKeyBeforeReadingIt() {
    Chunk chunk = compressedChunk();
    assertMalformed(chunk, r -> r.jobId = "j".repeat(65));
    assertMalformed(chunk, r -> r.groupKey = "g".repeat(256));
  }

  @Test
  void refusesAGroupKeyThatIsNotUtf8() {
    byte[] record = RecordBytes.of(compressedChunk()).build();
    int groupAt = 10 + 1 + JOB.value().length() + 1 + 1; // jobId string, bucket varint, group length varint
    record[groupAt] = (byte) 0xC3; // starts a two-byte sequence ...
    record[groupAt + 1] = (byte) 0x28; // ... that does not continue
    CorruptChunkException e = parseRefusal(ChunkFixtures.resealed(record));
    assertThat(e.reason()).isEqualTo(Reason.MALFORMED);
    assertThat(e.getMessage()).contains("groupKey").contains("UTF-8");
  }

  @Test
  void refusesAVarintLongerThanTenBytes() {
    byte[] record = RecordBytes.of(compressedChunk()).build();
    int bucketAt = 10 + 1 + JOB.value().length();
    byte[] longVarint = new byte[record.length + 10];
    System.arraycopy(record, 0, longVarint, 0, bucketAt);
    java.util.Arrays.fill(longVarint, bucketAt, bucketAt + 11, (byte) 0x80);
    System.arraycopy(record, bucketAt + 1, longVarint, bucketAt + 11, record.length - bucketAt - 1);
    CorruptChunkException e = parseRefusal(ChunkFixtures.resealed(longVarint));
    assertThat(e.reason()).isEqualTo(Reason.MALFORMED);
    assertThat(e.getMessage()).contains("varint");
  }

  @Test
  void refusesAnUncompressedPayloadWhoseSizeDisagreesWithTheRawLength() {
    RecordBytes r = RecordBytes.of(storedChunk());
    r.rawLength = r.payload.length + 1;
    assertThat(parseRefusal(r.build()).reason()).isEqualTo(Reason.MALFORMED);
  }

  @Test
  void refusesEventsThatDisagreeWithTheirHeader() {
    Chunk stored = storedChunk();
    assertThat(refusalOf(stored, r -> r.lastSequence = r.lastSequence + 1)).isEqualTo(Reason.MALFORMED);
    assertThat(refusalOf(stored, r -> r.firstSequence = 1)).isEqualTo(Reason.MALFORMED);
    assertThat(refusalOf(stored, r -> r.eventCount = r.eventCount - 1)).isEqualTo(Reason.MALFORMED);
    assertThat(refusalOf(stored, r -> r.eventCount = r.eventCount + 1)).isEqualTo(Reason.MALFORMED);
    Chunk compressed = compressedChunk();
    assertThat(refusalOf(compressed, r -> r.rawLength = r.rawLength + 1)).isEqualTo(Reason.MALFORMED);
    assertThat(refusalOf(compressed, r -> r.rawLength = r.rawLength - 1)).isEqualTo(Reason.RAW_SIZE_EXCEEDED);
    assertThat(refusalOf(compressed, r -> r.codec = CodecId.NONE.code())).isEqualTo(Reason.MALFORMED);
    assertThat(refusalOf(stored, r -> r.codec = CodecId.GZIP.code())).isEqualTo(Reason.MALFORMED);
  }

  @Test
  void aDecodedEnvelopeBelongsToTheJobAndGroupItsHeaderNames() {
    RecordBytes r = RecordBytes.of(storedChunk());
    r.groupKey = "another-group";
    List<Event> events = ChunkFormat.events(ChunkFormat.parse(r.build()), TestCodecs.registry());
    assertThat(events).allSatisfy(e -> assertThat(e.groupKey()).isEqualTo("another-group"));
  }

  private static Reason refusalOf(Chunk chunk, java.util.function.Consumer<RecordBytes> lie) {
    RecordBytes r = RecordBytes.of(chunk);
    lie.accept(r);
    Reason byReading = refusal(r.build());
    assertThat(verifyRefusal(r.build())).as("verify refuses it for the same reason").isEqualTo(byReading);
    return byReading;
  }

  private static void assertMalformed(Chunk chunk, java.util.function.Consumer<RecordBytes> lie) {
    RecordBytes r = RecordBytes.of(chunk);
    lie.accept(r);
    CorruptChunkException e = parseRefusal(r.build());
    assertThat(e.reason()).isEqualTo(Reason.MALFORMED);
  }

  // ------------------------------------------------------------------ decompression bounds

  @Test
  void refusesADeclaredRawLengthPastTheHardLimitAtParse() {
    RecordBytes r = RecordBytes.of(compressedChunk());
    r.rawLength = ChunkFormat.MAX_RAW_BYTES + 1L;
    CorruptChunkException e = parseRefusal(r.build());
    assertThat(e.reason()).isEqualTo(Reason.RAW_SIZE_EXCEEDED);
    assertThat(e.getMessage()).contains(String.valueOf(ChunkFormat.MAX_RAW_BYTES));

    r.rawLength = Integer.MAX_VALUE;
    assertThat(parseRefusal(r.build()).reason()).isEqualTo(Reason.RAW_SIZE_EXCEEDED);

    r.rawLength = ChunkFormat.MAX_RAW_BYTES; // the limit itself parses (and fails only on inflation)
    assertThatCode(() -> ChunkFormat.parse(r.build())).doesNotThrowAnyException();
  }

  @Test
  void refusesADecompressionBombWithoutAllocatingPastTheDeclaredSize() {
    Chunk honest = compressedChunk();
    int bombBytes = 64 * 1024 * 1024;
    RecordBytes r = RecordBytes.of(honest); // an honest header (rawLength ~ 7 KB) ...
    r.payload = deflatedZeros(bombBytes); // ... over a payload that inflates to 64 MiB
    byte[] bomb = r.build();
    Chunk parsed = ChunkFormat.parse(bomb); // the CRC is right: only the bomb check can catch it

    AtomicInteger askedFor = new AtomicInteger(-1);
    CodecRegistry recording = id -> new Codec() {
      @Override
      public CodecId id() {
        return id;
      }

      @Override
      public byte[] compress(byte[] src, int offset, int length) {
        throw new UnsupportedOperationException();
      }

      @Override
      public byte[] decompress(byte[] src, int offset, int length, int rawLength) {
        askedFor.set(rawLength);
        return TestCodecs.registry().codec(id).decompress(src, offset, length, rawLength);
      }
    };

    long allocated = allocatedBy(() -> {
      CorruptChunkException e = catchThrowableOfType(CorruptChunkException.class, () -> ChunkFormat.events(parsed, recording));
      assertThat(e).isNotNull();
      assertThat(e.reason()).isEqualTo(Reason.RAW_SIZE_EXCEEDED);
      CorruptChunkException v = catchThrowableOfType(CorruptChunkException.class, () -> ChunkFormat.verify(parsed, recording));
      assertThat(v).isNotNull();
      assertThat(v.reason()).isEqualTo(Reason.RAW_SIZE_EXCEEDED);
    });

    assertThat(askedFor.get()).isEqualTo(honest.header().rawLength());
    assertThat(allocated).as("bytes allocated while refusing a 64 MiB bomb").isLessThan(2L * 1024 * 1024);
  }

  @Test
  void refusesABombThatDeclaresTheHardLimitWithoutInflatingPastIt() {
    RecordBytes r = RecordBytes.of(compressedChunk());
    r.rawLength = ChunkFormat.MAX_RAW_BYTES;
    r.payload = deflatedZeros(ChunkFormat.MAX_RAW_BYTES + 1024);
    Chunk parsed = ChunkFormat.parse(r.build());
    CorruptChunkException e = catchThrowableOfType(CorruptChunkException.class, () -> ChunkFormat.events(parsed, TestCodecs.registry()));
    assertThat(e.reason()).isEqualTo(Reason.RAW_SIZE_EXCEEDED);
  }

  /** A gzip member (the test codec's format) of {@code n} zero bytes, deflated in slices so the zeros never sit in memory. */
  static byte[] deflatedZeros(int n) {
    Deflater d = new Deflater(Deflater.BEST_COMPRESSION, true);
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    out.write(new byte[] {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, (byte) 0xff}, 0, 10);
    byte[] zeros = new byte[1 << 20];
    byte[] buf = new byte[1 << 16];
    java.util.zip.CRC32 crc = new java.util.zip.CRC32();
    for (int left = n; left > 0; ) {
      int k = Math.min(left, zeros.length);
      d.setInput(zeros, 0, k);
      crc.update(zeros, 0, k);
      while (!d.needsInput()) {
        int w = d.deflate(buf);
        out.write(buf, 0, w);
      }
      left -= k;
    }
    d.finish();
    while (!d.finished()) {
      int w = d.deflate(buf);
      out.write(buf, 0, w);
    }
    d.end();
    int c = (int) crc.getValue();
    for (int v : new int[] {c, n}) {
      out.write(v);
      out.write(v >>> 8);
      out.write(v >>> 16);
      out.write(v >>> 24);
    }
    return out.toByteArray();
  }

  static long allocatedBy(Runnable action) {
    java.lang.management.ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    Assumptions.assumeTrue(mx instanceof com.sun.management.ThreadMXBean, "needs per-thread allocation counters");
    com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) mx;
    Assumptions.assumeTrue(threads.isThreadAllocatedMemorySupported() && threads.isThreadAllocatedMemoryEnabled());
    long before = threads.getCurrentThreadAllocatedBytes();
    action.run();
    return threads.getCurrentThreadAllocatedBytes() - before;
  }
}
