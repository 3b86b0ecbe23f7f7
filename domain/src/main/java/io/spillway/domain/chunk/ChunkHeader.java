package io.spillway.domain.chunk;

/** What a chunk record declares about its payload; all but the version and codec bytes (checked on their own) are covered by the CRC32C. */
public record ChunkHeader(
    int formatVersion,
    CodecId codec,
    int crc32c,
    int eventCount,
    long firstSequence,
    long lastSequence,
    int rawLength,
    int payloadLength) {}
