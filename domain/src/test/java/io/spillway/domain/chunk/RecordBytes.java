package io.spillway.domain.chunk;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32C;

/**
 * Writes chunk records field by field, independently of {@link ChunkFormat}, so tests can craft
 * records the producer would never write (lying headers, bombs) with a valid CRC32C.
 *
 * <p>Layout v1: "SPWC", version, codec, CRC32C (big-endian, over everything after these 10 bytes),
 * then as LEB128 varints / length-prefixed UTF-8: jobId, bucket, groupKey, chunkSequence,
 * eventCount, firstSequence, lastSequence, rawLength, payloadLength, then the payload. Layout v2
 * adds the partition after the bucket, and its CRC32C covers the version and codec bytes first.
 */
public final class RecordBytes {
  public String magic = "SPWC";
  public int version = 1;
  public int codec = CodecId.GZIP.code();
  public String jobId = "job-1";
  public long bucket = 0;
  public long partition = 0;
  public String groupKey = "g";
  public long chunkSequence = 0;
  public long eventCount = 1;
  public long firstSequence = 0;
  public long lastSequence = 0;
  public long rawLength;
  public Long payloadLength; // null: the real length
  public byte[] payload = new byte[0];

  /** The fields of an existing chunk, ready to be altered. */
  public static RecordBytes of(Chunk chunk) {
    RecordBytes r = new RecordBytes();
    r.codec = chunk.header().codec().code();
    r.version = chunk.header().formatVersion();
    r.jobId = chunk.id().jobId().value();
    r.bucket = chunk.id().bucket();
    r.partition = chunk.id().partition();
    r.groupKey = chunk.id().groupKey();
    r.chunkSequence = chunk.id().sequence();
    r.eventCount = chunk.header().eventCount();
    r.firstSequence = chunk.header().firstSequence();
    r.lastSequence = chunk.header().lastSequence();
    r.rawLength = chunk.header().rawLength();
    r.payload = java.util.Arrays.copyOfRange(chunk.record(), chunk.payloadOffset(), chunk.record().length);
    return r;
  }

  public byte[] build() {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    string(body, jobId);
    varint(body, bucket);
    if (version >= 2) {
      varint(body, partition);
    }
    string(body, groupKey);
    varint(body, chunkSequence);
    varint(body, eventCount);
    varint(body, firstSequence);
    varint(body, lastSequence);
    varint(body, rawLength);
    varint(body, payloadLength == null ? payload.length : payloadLength);
    body.write(payload, 0, payload.length);
    byte[] rest = body.toByteArray();

    CRC32C crc = new CRC32C();
    if (version >= 2) {
      crc.update(new byte[] {(byte) version, (byte) codec});
    }
    crc.update(rest);
    int v = (int) crc.getValue();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(magic.getBytes(StandardCharsets.US_ASCII), 0, 4);
    out.write(version);
    out.write(codec);
    out.write(v >>> 24);
    out.write(v >>> 16);
    out.write(v >>> 8);
    out.write(v);
    out.write(rest, 0, rest.length);
    return out.toByteArray();
  }

  private static void string(ByteArrayOutputStream out, String s) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    varint(out, b.length);
    out.write(b, 0, b.length);
  }

  static void varint(ByteArrayOutputStream out, long v) {
    while ((v & ~0x7FL) != 0) {
      out.write((int) ((v & 0x7F) | 0x80));
      v >>>= 7;
    }
    out.write((int) v);
  }
}
