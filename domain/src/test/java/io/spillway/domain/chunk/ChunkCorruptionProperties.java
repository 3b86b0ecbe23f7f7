package io.spillway.domain.chunk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.spillway.domain.chunk.CorruptChunkException.Reason;
import io.spillway.domain.event.Event;
import io.spillway.domain.job.JobId;
import io.spillway.domain.testing.ChunkFixtures;
import io.spillway.domain.testing.DomainArbitraries;
import io.spillway.domain.testing.TestCodecs;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.From;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/** A damaged record is refused whole, with a reason; no damage makes the reader fail any other way. */
class ChunkCorruptionProperties {
  static final JobId JOB = JobId.of("job-corrupt");

  /** The first chunk cut from a few events, compressed or stored. */
  @Provide
  Arbitrary<Chunk> chunks() {
    return Combinators.combine(DomainArbitraries.jobEvents(JOB, 1, 30, DomainArbitraries.smallPayloads(), 3), Arbitraries.of(true, false))
        .as((events, compress) -> ChunkFixtures.assemble(JOB, events, 8, compress ? TestCodecs.deflate() : TestCodecs.storing()).get(0));
  }

  /** Positions spread evenly over any record (taken modulo its length), not crowded at its start. */
  @Provide
  Arbitrary<Integer> anywhere() {
    return Arbitraries.integers().between(1, Integer.MAX_VALUE).withDistribution(net.jqwik.api.RandomDistribution.uniform());
  }

  @Property(tries = 200)
  void anyByteFlippedAfterThePrefixIsAChecksumMismatch(@ForAll("chunks") Chunk chunk, @ForAll("anywhere") int where,
      @ForAll @IntRange(min = 1, max = 255) int mask) {
    byte[] record = chunk.record();
    int index = 10 + where % (record.length - 10);
    CorruptChunkException e = catchThrowableOfType(CorruptChunkException.class, () -> ChunkFormat.parse(ChunkFixtures.flipped(record, index, mask)));
    assertThat(e).isNotNull();
    assertThat(e.reason()).isEqualTo(Reason.CHECKSUM_MISMATCH);
  }

  @Property(tries = 100)
  void anyChecksumByteFlippedIsAChecksumMismatch(@ForAll("chunks") Chunk chunk, @ForAll @IntRange(min = 6, max = 9) int index,
      @ForAll @IntRange(min = 1, max = 255) int mask) {
    CorruptChunkException e = catchThrowableOfType(CorruptChunkException.class, () -> ChunkFormat.parse(ChunkFixtures.flipped(chunk.record(), index, mask)));
    assertThat(e.reason()).isEqualTo(Reason.CHECKSUM_MISMATCH);
  }

  @Property(tries = 100)
  void anyDamageToTheMagicIsBadMagic(@ForAll("chunks") Chunk chunk, @ForAll @IntRange(min = 0, max = 3) int index,
      @ForAll @IntRange(min = 1, max = 255) int mask) {
    CorruptChunkException e = catchThrowableOfType(CorruptChunkException.class, () -> ChunkFormat.parse(ChunkFixtures.flipped(chunk.record(), index, mask)));
    assertThat(e.reason()).isEqualTo(Reason.BAD_MAGIC);
  }

  @Property(tries = 100)
  void anyOtherVersionIsUnsupported(@ForAll("chunks") Chunk chunk, @ForAll @IntRange(min = 0, max = 255) int version) {
    net.jqwik.api.Assume.that(version != ChunkFormat.VERSION && version != ChunkFormat.VERSION_SINGLE_PARTITION);
    byte[] record = chunk.record().clone();
    record[4] = (byte) version;
    CorruptChunkException e = catchThrowableOfType(CorruptChunkException.class, () -> ChunkFormat.parse(record));
    assertThat(e.reason()).isEqualTo(Reason.UNSUPPORTED_VERSION);
  }

  /**
   * The codec byte sits before the bytes the CRC32C covers, so a damaged one cannot be caught by the
   * checksum; it must still never let a record through: refused at parse or when its events are read.
   */
  @Property(tries = 100)
  void anyOtherCodecByteIsRefusedAtParseOrRead(@ForAll("chunks") Chunk chunk, @ForAll @IntRange(min = 0, max = 255) int code) {
    net.jqwik.api.Assume.that(code != chunk.header().codec().code());
    byte[] record = chunk.record().clone();
    record[5] = (byte) code;
    Throwable t = catchThrowable(() -> ChunkFormat.events(ChunkFormat.parse(record), TestCodecs.registry()));
    assertThat(t).isInstanceOf(CorruptChunkException.class);
    assertThat(((CorruptChunkException) t).reason()).isIn(Reason.UNKNOWN_CODEC, Reason.MALFORMED, Reason.RAW_SIZE_EXCEEDED);
  }

  @Property(tries = 200)
  void anyTruncationIsRefused(@ForAll("chunks") Chunk chunk, @ForAll("anywhere") int cut) {
    byte[] record = chunk.record();
    int length = record.length - 1 - (cut - 1) % record.length;
    CorruptChunkException e = catchThrowableOfType(CorruptChunkException.class, () -> ChunkFormat.parse(Arrays.copyOf(record, length)));
    assertThat(e).isNotNull();
    assertThat(e.reason()).isEqualTo(length < 10 ? Reason.TOO_SHORT : Reason.CHECKSUM_MISMATCH);
    assertThat(e.getMessage()).contains("bytes");
  }

  @Property(tries = 200)
  void anyTruncationWithARecomputedChecksumIsStillRefused(@ForAll("chunks") Chunk chunk, @ForAll("anywhere") int cut) {
    byte[] record = chunk.record();
    int length = record.length - 1 - (cut - 1) % (record.length - 10);
    CorruptChunkException e = catchThrowableOfType(CorruptChunkException.class,
        () -> ChunkFormat.parse(ChunkFixtures.resealed(Arrays.copyOf(record, length))));
    assertThat(e).as("a record cut to " + length + " of " + record.length + " bytes").isNotNull();
    assertThat(e.reason()).isIn(Reason.TRUNCATED, Reason.MALFORMED);
  }

  /**
   * Random damage behind a recomputed checksum: the reader either returns valid events or refuses
   * with a CorruptChunkException; it never throws anything else (no index errors, no OOM, no
   * invalid events).
   */
  @Property(tries = 500)
  void damageBehindAValidChecksumIsRefusedOrYieldsValidEvents(
      @ForAll("chunks") Chunk chunk, @ForAll @Size(min = 1, max = 4) List<@From("anywhere") Integer> where,
      @ForAll @Size(min = 4, max = 4) List<@IntRange(min = 0, max = 255) Integer> values) {
    byte[] record = chunk.record().clone();
    for (int i = 0; i < where.size(); i++) {
      record[10 + where.get(i) % (record.length - 10)] = (byte) (int) values.get(i);
    }
    byte[] damaged = ChunkFixtures.resealed(record);
    Throwable t = catchThrowable(() -> {
      Chunk parsed = ChunkFormat.parse(damaged);
      List<Event> events = ChunkFormat.events(parsed, TestCodecs.registry());
      assertThat(events).isNotEmpty().allSatisfy(e -> assertThat(e.jobId().value()).isNotEmpty());
      ChunkFormat.verify(parsed, TestCodecs.registry());
    });
    if (t != null) {
      assertThat(t).isInstanceOf(CorruptChunkException.class);
    }
  }

  /**
   * {@link ChunkFormat#verify} (the consumer's check before it stores a chunk, which walks the
   * envelope without building events) refuses exactly the damaged records that reading refuses,
   * for the same reason: a record it lets through must be readable, and one it refuses must not be.
   */
  @Property(tries = 500)
  void verifyRefusesExactlyWhatReadingRefuses(
      @ForAll("storedChunks") Chunk chunk, @ForAll @Size(min = 1, max = 3) List<@From("anywhere") Integer> where,
      @ForAll @Size(min = 3, max = 3) List<@IntRange(min = 0, max = 255) Integer> values) {
    byte[] record = chunk.record().clone();
    int envelopeStart = chunk.payloadOffset();
    for (int i = 0; i < where.size(); i++) {
      record[envelopeStart + where.get(i) % (record.length - envelopeStart)] = (byte) (int) values.get(i);
    }
    Chunk parsed;
    try {
      parsed = ChunkFormat.parse(ChunkFixtures.resealed(record));
    } catch (CorruptChunkException refusedAtParse) {
      return;
    }
    Throwable byVerify = catchThrowable(() -> ChunkFormat.verify(parsed, TestCodecs.registry()));
    Throwable byReading = catchThrowable(() -> ChunkFormat.events(parsed, TestCodecs.registry()));
    if (byVerify != null) {
      assertThat(byVerify).isInstanceOf(CorruptChunkException.class);
    }
    if (byReading != null) {
      assertThat(byReading).isInstanceOf(CorruptChunkException.class);
    }
    assertThat(byVerify == null).as("verify: %s, read: %s", byVerify, byReading).isEqualTo(byReading == null);
    if (byVerify != null) {
      assertThat(((CorruptChunkException) byVerify).reason()).as("verify: %s, read: %s", byVerify, byReading)
          .isEqualTo(((CorruptChunkException) byReading).reason());
    }
  }

  /** Uncompressed chunks, so damage lands in the event envelope itself rather than in a deflate stream. */
  @Provide
  Arbitrary<Chunk> storedChunks() {
    return DomainArbitraries.jobEvents(JOB, 1, 30, DomainArbitraries.smallPayloads(), 3)
        .map(events -> ChunkFixtures.assemble(JOB, events, 8, TestCodecs.storing()).get(0));
  }
}
