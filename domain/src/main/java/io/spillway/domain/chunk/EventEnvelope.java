package io.spillway.domain.chunk;

import io.spillway.domain.InvalidFieldException;
import io.spillway.domain.chunk.CorruptChunkException.Reason;
import io.spillway.domain.event.Event;
import io.spillway.domain.job.JobId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The raw (pre-compression) encoding of a chunk's events, v1: column by column, so that like bytes
 * sit together for the compressor. Job and group are shared by every event of a chunk and live in
 * the record header; sequences and times are delta-encoded; types go through a per-chunk dictionary;
 * canonical UUID event ids take 16 bytes.
 */
final class EventEnvelope {
  static final int ID_UUID = 0;
  static final int ID_TEXT = 1;

  private EventEnvelope() {}

  /** A cheap upper estimate of the bytes {@code e} adds to an envelope. */
  static int estimate(Event e) {
    return e.payload().length + e.eventId().length() * 3 + 32;
  }

  static void encode(List<Event> events, int from, int to, ByteWriter w) {
    int n = to - from;
    w.writeVarLong(n);
    long prev = 0;
    for (int i = from; i < to; i++) {
      long s = events.get(i).sequence();
      w.writeZigZag(s - prev);
      prev = s;
    }
    prev = 0;
    for (int i = from; i < to; i++) {
      long ms = millis(events.get(i).eventTime());
      w.writeZigZag(ms - prev);
      prev = ms;
    }
    for (int i = from; i < to; i++) {
      w.writeVarLong(events.get(i).eventTime().getNano() % 1_000_000);
    }
    for (int i = from; i < to; i++) {
      w.writeVarLong(events.get(i).schemaVersion());
    }
    Map<String, Integer> dictionary = new HashMap<>();
    List<String> types = new ArrayList<>();
    for (int i = from; i < to; i++) {
      String t = events.get(i).type();
      if (dictionary.putIfAbsent(t, types.size()) == null) {
        types.add(t);
      }
    }
    w.writeVarLong(types.size());
    for (String t : types) {
      w.writeString(t);
    }
    for (int i = from; i < to; i++) {
      w.writeVarLong(dictionary.get(events.get(i).type()));
    }
    for (int i = from; i < to; i++) {
      writeEventId(events.get(i).eventId(), w);
    }
    for (int i = from; i < to; i++) {
      w.writeVarLong(events.get(i).payload().length);
    }
    for (int i = from; i < to; i++) {
      byte[] p = events.get(i).payload();
      w.writeBytes(p, 0, p.length);
    }
  }

  /**
   * Walks an envelope with every check {@link #decode} makes, without building the events: what a
   * consumer runs before storing a chunk. Returns the lowest and highest sequence.
   */
  static long[] check(byte[] raw, int expectedCount) {
    Columns c = read(raw, expectedCount, false);
    return new long[] {c.lo, c.hi};
  }

  static List<Event> decode(byte[] raw, JobId jobId, int partition, String groupKey, int expectedCount) {
    Columns c = read(raw, expectedCount, true);
    List<Event> events = new ArrayList<>(c.n);
    int at = c.payloadsAt;
    try {
      for (int i = 0; i < c.n; i++) {
        byte[] payload = java.util.Arrays.copyOfRange(raw, at, at + c.lengths[i]);
        at += c.lengths[i];
        Instant time = Instant.ofEpochMilli(c.millis[i]).plusNanos(c.nanos[i]);
        events.add(new Event(jobId, partition, c.sequences[i], c.ids[i], time, c.typeOf[i], groupKey, c.schemas[i], payload));
      }
    } catch (InvalidFieldException | java.time.DateTimeException | ArithmeticException e) {
      // unreachable: read() has checked every value an Event checks
      throw new CorruptChunkException(Reason.MALFORMED, "decoded event is invalid: " + e.getMessage(), e);
    }
    return events;
  }

  /** An envelope's columns as read; the per-event values only when kept. */
  private static final class Columns {
    final int n;
    long lo = Long.MAX_VALUE;
    long hi = Long.MIN_VALUE;
    long[] sequences;
    long[] millis;
    int[] nanos;
    int[] schemas;
    String[] typeOf;
    String[] ids;
    int[] lengths;
    int payloadsAt;

    Columns(int n, boolean keep) {
      this.n = n;
      if (keep) {
        sequences = new long[n];
        millis = new long[n];
        nanos = new int[n];
        schemas = new int[n];
        typeOf = new String[n];
        ids = new String[n];
        lengths = new int[n];
      }
    }
  }

  /**
   * Reads an envelope front to back, checking every value as it is read, so the first invalid or
   * missing byte decides the reason (the same for {@link #check} and {@link #decode}): a value out
   * of its range or an invalid event field is MALFORMED where it stands, a read past the end
   * TRUNCATED. Every type dictionary entry is checked, used or not.
   */
  private static Columns read(byte[] raw, int expectedCount, boolean keep) {
    ByteReader r = new ByteReader(raw, 0, raw.length);
    int n = r.readVarInt("eventCount", raw.length);
    if (n != expectedCount) {
      throw new CorruptChunkException(Reason.MALFORMED, "envelope holds " + n + " events, header declares " + expectedCount);
    }
    Columns c = new Columns(n, keep);
    long prev = 0;
    for (int i = 0; i < n; i++) {
      prev += r.readZigZag("sequence");
      if (prev < 0) {
        throw new CorruptChunkException(Reason.MALFORMED, "negative sequence " + prev);
      }
      c.lo = Math.min(c.lo, prev);
      c.hi = Math.max(c.hi, prev);
      if (keep) c.sequences[i] = prev;
    }
    long minMillis = Event.MIN_TIME.toEpochMilli();
    long maxMillis = Event.MAX_TIME.toEpochMilli();
    prev = 0;
    for (int i = 0; i < n; i++) {
      prev += r.readZigZag("eventTime");
      if (prev < minMillis || prev > maxMillis) {
        throw new CorruptChunkException(Reason.MALFORMED, "eventTime " + prev + " ms is outside " + Event.MIN_TIME + ".." + Event.MAX_TIME);
      }
      if (keep) c.millis[i] = prev;
    }
    for (int i = 0; i < n; i++) {
      int nanos = r.readVarInt("eventTime nanos", 999_999);
      if (keep) c.nanos[i] = nanos;
    }
    for (int i = 0; i < n; i++) {
      int schema = r.readVarInt("schemaVersion", Event.MAX_SCHEMA_VERSION);
      if (keep) c.schemas[i] = schema;
    }
    int typeCount = r.readVarInt("type dictionary size", n);
    String[] types = keep ? new String[typeCount] : null;
    try {
      for (int t = 0; t < typeCount; t++) {
        String type = io.spillway.domain.Checks.text("event.type", r.readString("type", Event.MAX_TYPE_BYTES), 1, Event.MAX_TYPE_BYTES);
        if (keep) types[t] = type;
      }
      for (int i = 0; i < n; i++) {
        int index = r.readVarInt("type index", typeCount - 1);
        if (keep) c.typeOf[i] = types[index];
      }
      for (int i = 0; i < n; i++) {
        String id = readEventId(r, keep);
        if (keep) c.ids[i] = id;
      }
    } catch (InvalidFieldException e) {
      throw new CorruptChunkException(Reason.MALFORMED, "decoded event is invalid: " + e.getMessage(), e);
    }
    long total = 0;
    for (int i = 0; i < n; i++) {
      int length = r.readVarInt("payload length", Event.MAX_PAYLOAD_BYTES);
      total += length;
      if (keep) c.lengths[i] = length;
    }
    if (total != r.remaining()) {
      throw new CorruptChunkException(Reason.MALFORMED, "payload lengths add up to " + total + " bytes, " + r.remaining() + " remain");
    }
    c.payloadsAt = r.position();
    return c;
  }

  private static long millis(Instant t) {
    return t.getEpochSecond() * 1000L + t.getNano() / 1_000_000;
  }

  private static void writeEventId(String id, ByteWriter w) {
    if (!writeIfCanonicalUuid(id, w)) {
      w.writeByte(ID_TEXT);
      w.writeString(id);
    }
  }

  /** Hex digit values for '0'-'9' and 'a'-'f'; -1 for every other character below 128. */
  private static final byte[] HEX_VALUE = new byte[128];

  static {
    java.util.Arrays.fill(HEX_VALUE, (byte) -1);
    for (int c = '0'; c <= '9'; c++) HEX_VALUE[c] = (byte) (c - '0');
    for (int c = 'a'; c <= 'f'; c++) HEX_VALUE[c] = (byte) (c - 'a' + 10);
  }

  /** Writes tag 0 and the 16 bytes when the id is a canonical lowercase UUID; false (nothing written) otherwise. */
  private static boolean writeIfCanonicalUuid(String s, ByteWriter w) {
    if (s.length() != 36 || s.charAt(8) != '-' || s.charAt(13) != '-' || s.charAt(18) != '-' || s.charAt(23) != '-') {
      return false;
    }
    long a = hex(s, 0, 8);
    long b = hex(s, 9, 13);
    long c = hex(s, 14, 18);
    long d = hex(s, 19, 23);
    long e = hex(s, 24, 36);
    if ((a | b | c | d | e) < 0) {
      return false;
    }
    w.writeByte(ID_UUID);
    w.writeLong((a << 32) | (b << 16) | c);
    w.writeLong((d << 48) | e);
    return true;
  }

  /** The hex value of s[from, to), or -1 when a character is not a lowercase hex digit. */
  private static long hex(String s, int from, int to) {
    long v = 0;
    for (int i = from; i < to; i++) {
      char c = s.charAt(i);
      int d = c < 128 ? HEX_VALUE[c] : -1;
      if (d < 0) {
        return -1;
      }
      v = (v << 4) | d;
    }
    return v;
  }

  private static final char[] HEX = "0123456789abcdef".toCharArray();

  /** Reads one event id (tag, then body) and checks it; the id itself only when kept. */
  private static String readEventId(ByteReader r, boolean keep) {
    int tag = r.readByte("eventId tag");
    if (tag == ID_TEXT) {
      return io.spillway.domain.Checks.text("event.eventId", r.readString("eventId", Event.MAX_EVENT_ID_BYTES), 1, Event.MAX_EVENT_ID_BYTES);
    }
    if (tag != ID_UUID) {
      throw new CorruptChunkException(Reason.MALFORMED, "eventId tag " + tag);
    }
    r.need(16, "eventId uuid");
    String id = null;
    if (keep) {
      byte[] b = r.array();
      int p = r.position();
      char[] out = new char[36];
      int o = 0;
      for (int i = 0; i < 16; i++) {
        if (i == 4 || i == 6 || i == 8 || i == 10) out[o++] = '-';
        out[o++] = HEX[(b[p + i] >> 4) & 0xF];
        out[o++] = HEX[b[p + i] & 0xF];
      }
      id = new String(out);
    }
    r.skip(16, "eventId uuid");
    return id;
  }

  static boolean isCanonicalUuid(String s) {
    return writeIfCanonicalUuid(s, new ByteWriter(17));
  }

}
