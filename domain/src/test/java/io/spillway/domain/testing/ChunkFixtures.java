package io.spillway.domain.testing;

import io.spillway.domain.chunk.Chunk;
import io.spillway.domain.chunk.ChunkAssembler;
import io.spillway.domain.chunk.ChunkFormat;
import io.spillway.domain.chunk.Codec;
import io.spillway.domain.chunk.CodecRegistry;
import io.spillway.domain.event.Event;
import io.spillway.domain.job.JobId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

/** Builds chunks from events and crafts (in)valid chunk records for tests of every module. */
public final class ChunkFixtures {
  private ChunkFixtures() {}

  /** A fixed instant the fixtures use as "now"; the domain never reads the wall clock, and neither do they. */
  public static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");

  /** Where the CRC32C sits in a record (big-endian), and where the bytes it covers begin. */
  public static final int CRC_OFFSET = 6;
  public static final int PREFIX_BYTES = 10;

  /** All chunks of the events, in the order the assembler emits them (adds, then flushAll), with default settings. */
  public static List<Chunk> assemble(JobId job, List<Event> events, int buckets, Codec codec) {
    return assemble(job, events, buckets, codec, ChunkAssembler.Settings.defaults());
  }

  public static List<Chunk> assemble(JobId job, List<Event> events, int buckets, Codec codec, ChunkAssembler.Settings settings) {
    ChunkAssembler assembler = new ChunkAssembler(job, buckets, codec, settings);
    List<Chunk> chunks = new ArrayList<>();
    for (Event e : events) {
      chunks.addAll(assembler.add(e, T0));
    }
    chunks.addAll(assembler.flushAll());
    return chunks;
  }

  /** Every event of the chunks, each record parsed and verified afresh, in chunk order. */
  public static List<Event> readBack(List<Chunk> chunks, CodecRegistry codecs) {
    List<Event> events = new ArrayList<>();
    for (Chunk c : chunks) {
      events.addAll(ChunkFormat.events(ChunkFormat.parse(c.record()), codecs));
    }
    return events;
  }

  /** A copy of the record with its CRC32C recomputed, so that only the checks behind the checksum can refuse it. */
  public static byte[] resealed(byte[] record) {
    byte[] copy = record.clone();
    CRC32C crc = new CRC32C();
    crc.update(copy, PREFIX_BYTES, copy.length - PREFIX_BYTES);
    int v = (int) crc.getValue();
    copy[CRC_OFFSET] = (byte) (v >>> 24);
    copy[CRC_OFFSET + 1] = (byte) (v >>> 16);
    copy[CRC_OFFSET + 2] = (byte) (v >>> 8);
    copy[CRC_OFFSET + 3] = (byte) v;
    return copy;
  }

  /** A copy of the record with one byte XOR-ed by a non-zero mask. */
  public static byte[] flipped(byte[] record, int index, int mask) {
    if ((mask & 0xFF) == 0) {
      throw new IllegalArgumentException("mask must change the byte");
    }
    byte[] copy = record.clone();
    copy[index] ^= (byte) mask;
    return copy;
  }
}
