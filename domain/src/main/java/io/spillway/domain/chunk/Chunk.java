package io.spillway.domain.chunk;

import java.util.Arrays;

/**
 * A verified chunk record: its identity, its header and the exact bytes that travel through the
 * stream and are stored as the item's {@code c} attribute.
 */
public record Chunk(ChunkId id, ChunkHeader header, byte[] record, int payloadOffset) {

  /** Bytes the whole DynamoDB item takes, attribute names included (the optional TTL reserved). */
  public int storedItemSize() {
    return StoredItemLayout.itemSize(id, record.length);
  }

  /** Write units one put of this item costs: 1 per started KB. */
  public int writeUnits() {
    return StoredItemLayout.writeUnits(storedItemSize());
  }

  public int eventCount() {
    return header.eventCount();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Chunk c && id.equals(c.id) && Arrays.equals(record, c.record);
  }

  @Override
  public int hashCode() {
    return id.hashCode() * 31 + Arrays.hashCode(record);
  }

  @Override
  public String toString() {
    return "Chunk[" + id + " events=" + header.eventCount() + " seq=" + header.firstSequence() + ".." + header.lastSequence()
        + " bytes=" + record.length + " codec=" + header.codec() + "]";
  }
}
