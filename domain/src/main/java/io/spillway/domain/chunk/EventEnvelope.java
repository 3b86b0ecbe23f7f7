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
    ByteReader r = new ByteReader(raw, 0, raw.length);
    int n = r.readVarInt("eventCount", raw.length);
    if (n != expectedCount) {
      throw new CorruptChunkException(Reason.MALFORMED, "envelope holds " + n + " events, header declares " + expectedCount);
    }
    long prev = 0;
    long lo = Long.MAX_VALUE;
    long hi = Long.MIN_VALUE;
    for (int i = 0; i < n; i++) {
      prev += r.readZigZag("sequence");
      if (prev < 0) {
        throw new CorruptChunkException(Reason.MALFORMED, "negative sequence " + prev);
      }
      lo = Math.min(lo, prev);
      hi = Math.max(hi, prev);
    }
    long minMillis = Event.MIN_TIME.toEpochMilli();
    long maxMillis = Event.MAX_TIME.toEpochMilli();
    prev = 0;
    for (int i = 0; i < n; i++) {
      prev += r.readZigZag("eventTime");
      if (prev < minMillis || prev > maxMillis) {
        throw new CorruptChunkException(Reason.MALFORMED, "eventTime " + prev + " ms is outside " + Event.MIN_TIME + ".." + Event.MAX_TIME);
      }
    }
    for (int i = 0; i < n; i++) {
      r.readVarInt("eventTime nanos", 999_999);
    }
    for (int i = 0; i < n; i++) {
      r.readVarInt("schemaVersion", Event.MAX_SCHEMA_VERSION);
    }
    int typeCount = r.readVarInt("type dictionary size", n);
    try {
      for (int t = 0; t < typeCount; t++) {
        io.spillway.domain.Checks.text("event.type", r.readString("type", Event.MAX_TYPE_BYTES), 1, Event.MAX_TYPE_BYTES);
      }
      for (int i = 0; i < n; i++) {
        r.readVarInt("type index", typeCount - 1);
      }
      for (int i = 0; i < n; i++) {
        int tag = r.readByte("eventId tag");
        if (tag == ID_UUID) {
          r.skip(16, "eventId uuid");
        } else if (tag == ID_TEXT) {
          io.spillway.domain.Checks.text("event.eventId", r.readString("eventId", Event.MAX_EVENT_ID_BYTES), 1, Event.MAX_EVENT_ID_BYTES);
        } else {
          throw new CorruptChunkException(Reason.MALFORMED, "eventId tag " + tag);
        }
      }
    } catch (InvalidFieldException e) {
      throw new CorruptChunkException(Reason.MALFORMED, "decoded event is invalid: " + e.getMessage(), e);
    }
    long total = 0;
    for (int i = 0; i < n; i++) {
      total += r.readVarInt("payload length", Event.MAX_PAYLOAD_BYTES);
    }
    if (total != r.remaining()) {
      throw new CorruptChunkException(Reason.MALFORMED, "payload lengths add up to " + total + " bytes, " + r.remaining() + " remain");
    }
    return new long[] {lo, hi};
  }

  static List<Event> decode(byte[] raw, JobId jobId, String groupKey, int expectedCount) {
    ByteReader r = new ByteReader(raw, 0, raw.length);
    int n = r.readVarInt("eventCount", raw.length);
    if (n != expectedCount) {
      throw new CorruptChunkException(Reason.MALFORMED, "envelope holds " + n + " events, header declares " + expectedCount);
    }
    long[] seq = new long[n];
    long prev = 0;
    for (int i = 0; i < n; i++) {
      prev += r.readZigZag("sequence");
      seq[i] = prev;
    }
    long[] ms = new long[n];
    prev = 0;
    for (int i = 0; i < n; i++) {
      prev += r.readZigZag("eventTime");
      ms[i] = prev;
    }
    int[] nanos = new int[n];
    for (int i = 0; i < n; i++) {
      nanos[i] = r.readVarInt("eventTime nanos", 999_999);
    }
    int[] schema = new int[n];
    for (int i = 0; i < n; i++) {
      schema[i] = r.readVarInt("schemaVersion", Event.MAX_SCHEMA_VERSION);
    }
    int typeCount = r.readVarInt("type dictionary size", n);
    String[] types = new String[typeCount];
    for (int t = 0; t < typeCount; t++) {
      types[t] = r.readString("type", Event.MAX_TYPE_BYTES);
    }
    String[] typeOf = new String[n];
    for (int i = 0; i < n; i++) {
      typeOf[i] = types[r.readVarInt("type index", typeCount - 1)];
    }
    String[] ids = new String[n];
    for (int i = 0; i < n; i++) {
      ids[i] = readEventId(r);
    }
    int[] lengths = new int[n];
    long total = 0;
    for (int i = 0; i < n; i++) {
      lengths[i] = r.readVarInt("payload length", Event.MAX_PAYLOAD_BYTES);
      total += lengths[i];
    }
    if (total != r.remaining()) {
      throw new CorruptChunkException(Reason.MALFORMED, "payload lengths add up to " + total + " bytes, " + r.remaining() + " remain");
    }
    List<Event> events = new ArrayList<>(n);
    try {
      for (int i = 0; i < n; i++) {
        byte[] payload = new byte[lengths[i]];
        System.arraycopy(raw, r.position(), payload, 0, lengths[i]);
        r.skip(lengths[i], "payload");
        Instant time = Instant.ofEpochMilli(ms[i]).plusNanos(nanos[i]);
        events.add(new Event(jobId, seq[i], ids[i], time, typeOf[i], groupKey, schema[i], payload));
      }
    } catch (InvalidFieldException | java.time.DateTimeException | ArithmeticException e) {
      throw new CorruptChunkException(Reason.MALFORMED, "decoded event is invalid: " + e.getMessage(), e);
    }
    return events;
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

  private static String readEventId(ByteReader r) {
    int tag = r.readByte("eventId tag");
    if (tag == ID_TEXT) {
      return r.readString("eventId", Event.MAX_EVENT_ID_BYTES);
    }
    if (tag != ID_UUID) {
      throw new CorruptChunkException(Reason.MALFORMED, "eventId tag " + tag);
    }
    r.need(16, "eventId uuid");
    byte[] b = r.array();
    int p = r.position();
    char[] out = new char[36];
    int o = 0;
    for (int i = 0; i < 16; i++) {
      if (i == 4 || i == 6 || i == 8 || i == 10) out[o++] = '-';
      out[o++] = HEX[(b[p + i] >> 4) & 0xF];
      out[o++] = HEX[b[p + i] & 0xF];
    }
    r.skip(16, "eventId uuid");
    return new String(out);
  }

  static boolean isCanonicalUuid(String s) {
    return writeIfCanonicalUuid(s, new ByteWriter(17));
  }

}
