package io.spillway.domain.chunk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.spillway.domain.chunk.CorruptChunkException.Reason;
import io.spillway.domain.event.Event;
import io.spillway.domain.job.JobId;
import io.spillway.domain.testing.TestCodecs;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * The event envelope inside a chunk, written by hand: the documented columns decode to the events
 * they describe, and every invalid value is refused — identically by reading (events) and by the
 * consumer's verify.
 */
class EventEnvelopeTest {
  static final byte[] UUID_BYTES = {0x12, 0x34, 0x56, 0x78, (byte) 0x9a, (byte) 0xbc, (byte) 0xde, (byte) 0xf0,
      0x01, 0x23, 0x45, 0x67, (byte) 0x89, (byte) 0xab, (byte) 0xcd, (byte) 0xef};
  static final long MIN_MS = Event.MIN_TIME.toEpochMilli();
  static final long MAX_MS = Event.MAX_TIME.toEpochMilli();

  static EnvelopeBytes valid() {
    return new EnvelopeBytes()
        .event(7, -1, 999_999, 0, "click", UUID_BYTES, new byte[] {1, 2, 3})
        .event(9, 1_700_000_000_123L, 456, 65_535, "ビュー", "free text id", new byte[0])
        .event(8, MAX_MS, 999_999, 3, "click", "🚀", new byte[] {42});
  }

  @Test
  void theDocumentedColumnsDecodeToTheirEvents() {
    Chunk chunk = ChunkFormat.parse(valid().record());
    List<Event> events = ChunkFormat.events(chunk, TestCodecs.registry());
    JobId job = JobId.of("job-envelope");

    assertThat(events).containsExactly(
        new Event(job, 7, "12345678-9abc-def0-0123-456789abcdef", Instant.parse("1969-12-31T23:59:59.999999999Z"), "click", "g", 0, new byte[] {1, 2, 3}),
        new Event(job, 9, "free text id", Instant.ofEpochMilli(1_700_000_000_123L).plusNanos(456), "ビュー", "g", 65_535, new byte[0]),
        new Event(job, 8, "🚀", Event.MAX_TIME, "click", "g", 3, new byte[] {42}));
    ChunkFormat.verify(chunk, TestCodecs.registry());
  }

  @Test
  void theAssemblerWritesTheSameColumns() {
    JobId job = JobId.of("job-envelope");
    List<Event> events = List.of(
        new Event(job, 0, "12345678-9abc-def0-0123-456789abcdef", Instant.ofEpochMilli(-1).plusNanos(999_999), "click", "g", 0, new byte[] {1, 2, 3}),
        new Event(job, 1, "free text id", Instant.ofEpochMilli(1_700_000_000_123L).plusNanos(456), "ビュー", "g", 65_535, new byte[0]));
    Chunk chunk = io.spillway.domain.testing.ChunkFixtures.assemble(job, events, 1, TestCodecs.storing()).get(0);
    byte[] expected = new EnvelopeBytes()
        .event(0, -1, 999_999, 0, "click", UUID_BYTES, new byte[] {1, 2, 3})
        .event(1, 1_700_000_000_123L, 456, 65_535, "ビュー", "free text id", new byte[0])
        .build();
    assertThat(java.util.Arrays.copyOfRange(chunk.record(), chunk.payloadOffset(), chunk.record().length)).isEqualTo(expected);
  }

  @Test
  void refusesValuesNoEventCanHave() {
    assertRefused(e -> e.millis.set(2, MAX_MS + 1), "after the last valid time");
    assertRefused(e -> e.millis.set(0, MIN_MS - 1), "before the first valid time");
    assertRefused(e -> e.millis.set(1, Long.MAX_VALUE), "far past any instant");
    assertRefused(e -> e.nanos.set(0, 1_000_000L), "a millisecond of nanos");
    assertRefused(e -> e.schemas.set(1, 65_536L), "schema past 65535");
    assertRefused(e -> e.sequences.set(1, -5L), "negative sequence");
    assertRefused(e -> e.typeIndexes.set(2, 2L), "type index past the dictionary");
    assertRefused(e -> e.types.set(1, ""), "empty type");
    assertRefused(e -> e.types.set(1, "t".repeat(65)), "type over 64 bytes");
    assertRefused(e -> e.types.set(1, "bad\u0001type"), "control char in a type");
    assertRefused(e -> e.ids.set(1, ""), "empty text id");
    assertRefused(e -> e.ids.set(1, "x".repeat(129)), "text id over 128 bytes");
    assertRefused(e -> e.ids.set(1, "tab\tid"), "control char in an id");
    assertRefused(e -> e.ids.set(1, 2), "unknown id tag");
    assertRefused(e -> e.payloads.set(0, new byte[Event.MAX_PAYLOAD_BYTES + 1]), "payload over the limit");
    assertRefused(e -> e.declaredCount = 2L, "fewer events than declared columns");
  }

  @Test
  void refusesATypeThatIsNotUtf8() {
    EnvelopeBytes e = valid();
    byte[] record = e.record();
    int at = indexOf(record, "click".getBytes(java.nio.charset.StandardCharsets.UTF_8));
    record[at] = (byte) 0xFF;
    byte[] resealed = io.spillway.domain.testing.ChunkFixtures.resealed(record);
    assertThat(refusedByReading(resealed)).isEqualTo(Reason.MALFORMED);
    assertThat(refusedByVerify(resealed)).isEqualTo(Reason.MALFORMED);
  }

  @Test
  void refusesPayloadLengthsThatDoNotAddUp() {
    byte[] raw = valid().build();
    byte[] longer = java.util.Arrays.copyOf(raw, raw.length + 1);
    RecordBytes r = new RecordBytes();
    r.codec = CodecId.NONE.code();
    r.jobId = "job-envelope";
    r.eventCount = 3;
    r.firstSequence = 7;
    r.lastSequence = 9;
    r.rawLength = longer.length;
    r.payload = longer;
    assertThat(refusedByReading(r.build())).isEqualTo(Reason.MALFORMED);
    assertThat(refusedByVerify(r.build())).isEqualTo(Reason.MALFORMED);
  }

  @Test
  void refusesPayloadLengthsThatAddUpPastTheEndAsMalformed() {
    // the lengths declare 4 payload bytes; the envelope ends 1 byte short of them
    byte[] raw = valid().build();
    byte[] shorter = java.util.Arrays.copyOf(raw, raw.length - 1);
    assertThat(refusedByReading(noneRecord(shorter))).isEqualTo(Reason.MALFORMED);
    assertThat(refusedByVerify(noneRecord(shorter))).isEqualTo(Reason.MALFORMED);

    // one length alone far past the end (within the 400,000-byte limit): still MALFORMED, not TRUNCATED
    EnvelopeBytes e = valid();
    e.payloads.set(2, new byte[Event.MAX_PAYLOAD_BYTES]);
    byte[] big = e.build();
    byte[] cut = java.util.Arrays.copyOf(big, big.length - Event.MAX_PAYLOAD_BYTES + 1);
    CorruptChunkException read = catchThrowableOfType(CorruptChunkException.class,
        () -> ChunkFormat.events(ChunkFormat.parse(noneRecord(cut)), TestCodecs.registry()));
    assertThat(read.reason()).isEqualTo(Reason.MALFORMED);
    assertThat(read.getMessage()).contains("payload lengths add up to 400003 bytes, 4 remain");
    assertThat(refusedByVerify(noneRecord(cut))).isEqualTo(Reason.MALFORMED);
  }

  @Test
  void refusesAnInvalidTypeDictionaryEntryEvenWhenNoEventUsesIt() {
    for (String unused : new String[] {"", "bad\u0001type", "del\u007f", "c1\u0085", "t".repeat(65)}) {
      EnvelopeBytes e = valid();
      e.types.add(unused);
      assertThat(refusedByReading(e.record())).as("read: %s", unused).isEqualTo(Reason.MALFORMED);
      assertThat(refusedByVerify(e.record())).as("verify: %s", unused).isEqualTo(Reason.MALFORMED);
    }
    EnvelopeBytes fine = valid();
    fine.types.add("never-used");
    Chunk chunk = ChunkFormat.parse(fine.record());
    assertThat(ChunkFormat.events(chunk, TestCodecs.registry())).hasSize(3);
    ChunkFormat.verify(chunk, TestCodecs.registry());
  }

  @Test
  void acceptsEveryCharacterButTheIsoControlsInTypesAndIds() {
    for (String ok : new String[] {" ", "\u00a0", "\u00a0x\u2028\u200b\ufeff\ufffd\uffff", "\ud83d\ude80", "~"}) {
      EnvelopeBytes e = new EnvelopeBytes().event(1, 0, 0, 0, ok, ok, new byte[0]);
      Chunk chunk = ChunkFormat.parse(e.record());
      assertThat(ChunkFormat.events(chunk, TestCodecs.registry()).get(0).type()).isEqualTo(ok);
      ChunkFormat.verify(chunk, TestCodecs.registry());
    }
    for (int cp : new int[] {0x00, 0x09, 0x0a, 0x1f, 0x7f, 0x80, 0x85, 0x9f}) {
      String bad = "a" + (char) cp + "b";
      assertRefused(e -> e.types.set(0, bad), "type with U+" + Integer.toHexString(cp));
      assertRefused(e -> e.ids.set(1, bad), "id with U+" + Integer.toHexString(cp));
    }
  }

  @Test
  void theFirstBadValueDecidesTheReasonForVerifyAndReadingAlike() {
    List<Consumer<EnvelopeBytes>> damages = List.of(
        e -> e.sequences.set(1, -5L),
        e -> e.millis.set(0, MAX_MS + 1),
        e -> e.types.set(1, "bad\u0001type"),
        e -> e.ids.set(1, "tab\tid"));
    for (Consumer<EnvelopeBytes> damage : damages) {
      EnvelopeBytes e = valid();
      damage.accept(e);
      byte[] raw = e.build();
      // cut inside the payload-length column: reading on would also run past the end
      byte[] record = noneRecord(java.util.Arrays.copyOf(raw, raw.length - 5));
      assertThat(refusedByReading(record)).isEqualTo(Reason.MALFORMED);
      assertThat(refusedByVerify(record)).isEqualTo(Reason.MALFORMED);
    }
    byte[] raw = valid().build();
    byte[] truncatedOnly = noneRecord(java.util.Arrays.copyOf(raw, raw.length - 5));
    assertThat(refusedByReading(truncatedOnly)).isEqualTo(Reason.TRUNCATED);
    assertThat(refusedByVerify(truncatedOnly)).isEqualTo(Reason.TRUNCATED);
  }

  /** A stored (NONE) record around these envelope bytes, its header matching valid()'s events. */
  private static byte[] noneRecord(byte[] raw) {
    RecordBytes r = new RecordBytes();
    r.codec = CodecId.NONE.code();
    r.jobId = "job-envelope";
    r.eventCount = 3;
    r.firstSequence = 7;
    r.lastSequence = 9;
    r.rawLength = raw.length;
    r.payload = raw;
    return r.build();
  }

  private static void assertRefused(Consumer<EnvelopeBytes> damage, String what) {
    EnvelopeBytes e = valid();
    damage.accept(e);
    byte[] record = e.record();
    assertThat(refusedByReading(record)).as("read: " + what).isIn(Reason.MALFORMED, Reason.TRUNCATED);
    assertThat(refusedByVerify(record)).as("verify: " + what).isIn(Reason.MALFORMED, Reason.TRUNCATED);
  }

  static Reason refusedByReading(byte[] record) {
    CorruptChunkException e = catchThrowableOfType(CorruptChunkException.class, () -> ChunkFormat.events(ChunkFormat.parse(record), TestCodecs.registry()));
    assertThat(e).as("refused when read").isNotNull();
    return e.reason();
  }

  static Reason refusedByVerify(byte[] record) {
    CorruptChunkException e = catchThrowableOfType(CorruptChunkException.class, () -> ChunkFormat.verify(ChunkFormat.parse(record), TestCodecs.registry()));
    assertThat(e).as("refused by verify").isNotNull();
    return e.reason();
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i <= haystack.length - needle.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) continue outer;
      }
      return i;
    }
    throw new AssertionError("not found");
  }
}
