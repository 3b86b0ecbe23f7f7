package io.spillway.domain.chunk;

import io.spillway.domain.InvalidFieldException;
import io.spillway.domain.chunk.CorruptChunkException.Reason;
import io.spillway.domain.event.Event;
import io.spillway.domain.job.JobId;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * Chunk record format (docs/chunk-format.md): a fixed 10-byte prefix (magic, version, codec,
 * CRC32C of the rest), the header fields as varints, then the compressed payload. Version 1 is a
 * chunk of partition 0; version 2 adds the partition after the bucket. A writer writes version 1
 * for partition 0, so single-partition jobs store exactly what they stored before partitions.
 */
public final class ChunkFormat {
  /** The newest version this code writes and reads. */
  public static final int VERSION = 2;
  /** The version of a chunk of partition 0 (no partition field). */
  public static final int VERSION_SINGLE_PARTITION = 1;
  static final byte[] MAGIC = {'S', 'P', 'W', 'C'};
  static final int PREFIX_BYTES = 10;
  static final int CRC_OFFSET = 6;
  /** The hard limit on a chunk's raw (decompressed) size, whatever its header declares. */
  public static final int MAX_RAW_BYTES = 16 * 1024 * 1024;

  private ChunkFormat() {}

  /** Writes a record for {@code payload[0, payloadLength)} and returns it parsed. */
  static Chunk write(ChunkId id, CodecId codec, int eventCount, long firstSequence, long lastSequence,
      int rawLength, byte[] payload, int payloadLength) {
    ByteWriter w = new ByteWriter(payloadLength + 64 + id.groupKey().length() * 3);
    int version = id.partition() == 0 ? VERSION_SINGLE_PARTITION : VERSION;
    w.writeBytes(MAGIC, 0, MAGIC.length);
    w.writeByte(version);
    w.writeByte(codec.code());
    w.writeInt32(0);
    w.writeString(id.jobId().value());
    w.writeVarLong(id.bucket());
    if (version >= 2) {
      w.writeVarLong(id.partition());
    }
    w.writeString(id.groupKey());
    w.writeVarLong(id.sequence());
    w.writeVarLong(eventCount);
    w.writeVarLong(firstSequence);
    w.writeVarLong(lastSequence);
    w.writeVarLong(rawLength);
    w.writeVarLong(payloadLength);
    int payloadOffset = w.size();
    w.writeBytes(payload, 0, payloadLength);
    int crc = recordCrc(w.array(), version, w.size());
    w.setInt32(CRC_OFFSET, crc);
    byte[] record = w.toByteArray();
    ChunkHeader header = new ChunkHeader(version, codec, crc, eventCount, firstSequence, lastSequence, rawLength, payloadLength);
    return new Chunk(id, header, record, payloadOffset);
  }

  /** Bytes a record adds around its payload, at most, for these keys. */
  static int maxOverhead(ChunkId id) {
    return PREFIX_BYTES
        + 1 + id.jobId().value().length()
        + 2
        + (id.partition() == 0 ? 0 : 2)
        + 2 + io.spillway.domain.Checks.utf8Length(id.groupKey())
        + 5 + 5 + 10 + 10 + 4 + 4;
  }

  /**
   * Parses and verifies a record: magic, version, codec, CRC32C, every length. The payload is not
   * decompressed here.
   */
  public static Chunk parse(byte[] record) {
    if (record == null || record.length < PREFIX_BYTES) {
      throw new CorruptChunkException(Reason.TOO_SHORT, "record of " + (record == null ? 0 : record.length) + " bytes is shorter than the " + PREFIX_BYTES + "-byte prefix");
    }
    for (int i = 0; i < MAGIC.length; i++) {
      if (record[i] != MAGIC[i]) {
        throw new CorruptChunkException(Reason.BAD_MAGIC, "record does not start with SPWC");
      }
    }
    int version = record[4] & 0xFF;
    if (version != VERSION && version != VERSION_SINGLE_PARTITION) {
      throw new CorruptChunkException(Reason.UNSUPPORTED_VERSION, "format version " + version + " (this reader knows " + VERSION_SINGLE_PARTITION + " and " + VERSION + ")");
    }
    CodecId codec = CodecId.fromCode(record[5] & 0xFF);
    ByteReader r = new ByteReader(record, CRC_OFFSET, record.length - CRC_OFFSET);
    int declaredCrc = r.readInt32("crc32c");
    int actualCrc = recordCrc(record, version, record.length);
    if (declaredCrc != actualCrc) {
      throw new CorruptChunkException(Reason.CHECKSUM_MISMATCH,
          String.format("declared CRC32C %08x, computed %08x over %d bytes", declaredCrc, actualCrc, record.length - PREFIX_BYTES));
    }
    ChunkId id;
    int eventCount;
    long first;
    long last;
    int rawLength;
    int payloadLength;
    try {
      String jobId = r.readString("jobId", JobId.MAX_LENGTH);
      int bucket = r.readVarInt("bucket", Integer.MAX_VALUE);
      int partition = version >= 2 ? r.readVarInt("partition", Integer.MAX_VALUE) : 0;
      if (version >= 2 && partition == 0) {
        throw new CorruptChunkException(Reason.MALFORMED, "a version 2 record of partition 0 (partition 0 is written as version 1)");
      }
      String group = r.readString("groupKey", Event.MAX_GROUP_KEY_BYTES);
      long chunkSeq = r.readVarLong("chunkSequence");
      id = new ChunkId(new JobId(jobId), partition, bucket, group, chunkSeq);
      eventCount = r.readVarInt("eventCount", Integer.MAX_VALUE);
      first = r.readVarLong("firstSequence");
      last = r.readVarLong("lastSequence");
      rawLength = r.readVarInt("rawLength", Integer.MAX_VALUE);
      payloadLength = r.readVarInt("payloadLength", Integer.MAX_VALUE);
    } catch (InvalidFieldException e) {
      throw new CorruptChunkException(Reason.MALFORMED, e.getMessage(), e);
    }
    if (rawLength > MAX_RAW_BYTES) {
      throw new CorruptChunkException(Reason.RAW_SIZE_EXCEEDED, "declared raw length " + rawLength + " exceeds the hard limit of " + MAX_RAW_BYTES + " bytes");
    }
    if (eventCount < 1 || eventCount > rawLength) {
      throw new CorruptChunkException(Reason.MALFORMED, "eventCount " + eventCount + " does not fit a raw length of " + rawLength);
    }
    if (first < 0 || last < first) {
      throw new CorruptChunkException(Reason.MALFORMED, "sequence range " + first + ".." + last);
    }
    if (payloadLength != r.remaining()) {
      throw new CorruptChunkException(Reason.TRUNCATED, "payloadLength " + payloadLength + " but " + r.remaining() + " bytes follow");
    }
    if (codec == CodecId.NONE && payloadLength != rawLength) {
      throw new CorruptChunkException(Reason.MALFORMED, "uncompressed payload of " + payloadLength + " bytes declares raw length " + rawLength);
    }
    ChunkHeader header = new ChunkHeader(version, codec, declaredCrc, eventCount, first, last, rawLength, payloadLength);
    return new Chunk(id, header, record, r.position());
  }

  /**
   * Decompresses the payload (within its declared raw size) and walks every event with the checks
   * {@link #events} makes, without building them: a consumer's check before it stores a chunk.
   */
  public static void verify(Chunk chunk, CodecRegistry codecs) {
    ChunkHeader h = chunk.header();
    long[] range = EventEnvelope.check(raw(chunk, codecs), h.eventCount());
    if (range[0] != h.firstSequence() || range[1] != h.lastSequence()) {
      throw new CorruptChunkException(Reason.MALFORMED, "events span " + range[0] + ".." + range[1] + ", header declares " + h.firstSequence() + ".." + h.lastSequence());
    }
  }

  private static byte[] raw(Chunk chunk, CodecRegistry codecs) {
    ChunkHeader h = chunk.header();
    byte[] raw = h.codec() == CodecId.NONE
        ? java.util.Arrays.copyOfRange(chunk.record(), chunk.payloadOffset(), chunk.payloadOffset() + h.payloadLength())
        : codecs.codec(h.codec()).decompress(chunk.record(), chunk.payloadOffset(), h.payloadLength(), h.rawLength());
    if (raw.length != h.rawLength()) {
      throw new CorruptChunkException(Reason.MALFORMED, "payload inflated to " + raw.length + " bytes, header declares " + h.rawLength());
    }
    return raw;
  }

  /** The chunk's events, decompressed within its declared raw size and checked against its header. */
  public static List<Event> events(Chunk chunk, CodecRegistry codecs) {
    ChunkHeader h = chunk.header();
    byte[] raw = raw(chunk, codecs);
    List<Event> events = EventEnvelope.decode(raw, chunk.id().jobId(), chunk.id().partition(), chunk.id().groupKey(), h.eventCount());
    long lo = Long.MAX_VALUE;
    long hi = Long.MIN_VALUE;
    for (Event e : events) {
      lo = Math.min(lo, e.sequence());
      hi = Math.max(hi, e.sequence());
    }
    if (lo != h.firstSequence() || hi != h.lastSequence()) {
      throw new CorruptChunkException(Reason.MALFORMED, "events span " + lo + ".." + hi + ", header declares " + h.firstSequence() + ".." + h.lastSequence());
    }
    return events;
  }

  /**
   * The CRC32C a record declares: over everything after the prefix, and from version 2 over the
   * version and codec bytes first, so that a record relabelled with another known version fails it.
   */
  static int recordCrc(byte[] record, int version, int length) {
    CRC32C crc = new CRC32C();
    if (version >= 2) {
      crc.update(record, 4, 2);
    }
    crc.update(record, PREFIX_BYTES, length - PREFIX_BYTES);
    return (int) crc.getValue();
  }

  static int crc32c(byte[] b, int off, int len) {
    CRC32C crc = new CRC32C();
    crc.update(b, off, len);
    return (int) crc.getValue();
  }
}
