package io.spillway.domain.chunk;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes a raw event envelope (v1) column by column, independently of {@link EventEnvelope}, so
 * tests can build envelopes with any value, valid or not: count; zigzag sequence deltas; zigzag
 * epoch-millisecond deltas; sub-millisecond nanos; schema versions; the type dictionary and each
 * event's type index; event ids (tag 0 + 16 bytes for a canonical UUID, tag 1 + string); payload
 * lengths; payloads.
 */
final class EnvelopeBytes {
  final List<Long> sequences = new ArrayList<>();
  final List<Long> millis = new ArrayList<>();
  final List<Long> nanos = new ArrayList<>();
  final List<Long> schemas = new ArrayList<>();
  final List<String> types = new ArrayList<>();
  final List<Long> typeIndexes = new ArrayList<>();
  final List<Object> ids = new ArrayList<>(); // String: text id; byte[16]: UUID; Integer: a bare (bad) tag
  final List<byte[]> payloads = new ArrayList<>();
  Long declaredCount;

  EnvelopeBytes event(long sequence, long epochMillis, long subMilliNanos, long schema, String type, Object id, byte[] payload) {
    sequences.add(sequence);
    millis.add(epochMillis);
    nanos.add(subMilliNanos);
    schemas.add(schema);
    int t = types.indexOf(type);
    if (t < 0) {
      types.add(type);
      t = types.size() - 1;
    }
    typeIndexes.add((long) t);
    ids.add(id);
    payloads.add(payload);
    return this;
  }

  byte[] build() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    RecordBytes.varint(out, declaredCount == null ? sequences.size() : declaredCount);
    long prev = 0;
    for (long s : sequences) {
      zigzag(out, s - prev);
      prev = s;
    }
    prev = 0;
    for (long ms : millis) {
      zigzag(out, ms - prev);
      prev = ms;
    }
    nanos.forEach(n -> RecordBytes.varint(out, n));
    schemas.forEach(v -> RecordBytes.varint(out, v));
    RecordBytes.varint(out, types.size());
    for (String t : types) {
      byte[] b = t.getBytes(StandardCharsets.UTF_8);
      RecordBytes.varint(out, b.length);
      out.write(b, 0, b.length);
    }
    typeIndexes.forEach(i -> RecordBytes.varint(out, i));
    for (Object id : ids) {
      if (id instanceof byte[] uuid) {
        out.write(0);
        out.write(uuid, 0, 16);
      } else if (id instanceof Integer badTag) {
        out.write(badTag);
      } else {
        byte[] b = ((String) id).getBytes(StandardCharsets.UTF_8);
        out.write(1);
        RecordBytes.varint(out, b.length);
        out.write(b, 0, b.length);
      }
    }
    payloads.forEach(p -> RecordBytes.varint(out, p.length));
    payloads.forEach(p -> out.write(p, 0, p.length));
    return out.toByteArray();
  }

  /** A stored (NONE) chunk record holding this envelope, its header consistent with it. */
  byte[] record() {
    byte[] raw = build();
    RecordBytes r = new RecordBytes();
    r.codec = CodecId.NONE.code();
    r.jobId = "job-envelope";
    r.groupKey = "g";
    r.eventCount = declaredCount == null ? sequences.size() : declaredCount;
    r.firstSequence = sequences.stream().mapToLong(Long::longValue).min().orElse(0);
    r.lastSequence = sequences.stream().mapToLong(Long::longValue).max().orElse(0);
    r.rawLength = raw.length;
    r.payload = raw;
    return r.build();
  }

  private static void zigzag(ByteArrayOutputStream out, long v) {
    RecordBytes.varint(out, (v << 1) ^ (v >> 63));
  }
}
