package io.spillway.domain.manifest;

import io.spillway.domain.chunk.Chunk;

/**
 * The checksum of a whole dataset: the sum, modulo 2^64, of a 64-bit mix of every chunk's CRC32C.
 * Order does not matter, so the producer can add chunks as it cuts them and a reader as buckets
 * arrive in parallel; a missing, extra or altered chunk changes it. Not thread-safe.
 */
public final class DatasetChecksum {
  private long sum;
  private long chunks;
  private long events;

  public DatasetChecksum() {}

  /** Continues a checksum from what an earlier part of a read added up to. */
  public static DatasetChecksum resume(long value, long chunks, long events) {
    DatasetChecksum c = new DatasetChecksum();
    c.sum = value;
    c.chunks = chunks;
    c.events = events;
    return c;
  }

  public void add(Chunk chunk) {
    sum += mix(chunk.header().crc32c());
    chunks++;
    events += chunk.header().eventCount();
  }

  public long value() {
    return sum;
  }

  public long chunks() {
    return chunks;
  }

  public long events() {
    return events;
  }

  /** The SplitMix64 finaliser over the unsigned CRC: spreads 32 bits over 64 before summing. */
  public static long mix(int crc32c) {
    long z = (crc32c & 0xFFFF_FFFFL) + 0x9E37_79B9_7F4A_7C15L;
    z = (z ^ (z >>> 30)) * 0xBF58_476D_1CE4_E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D0_49BB_1331_11EBL;
    return z ^ (z >>> 31);
  }
}
