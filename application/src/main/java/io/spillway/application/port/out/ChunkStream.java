package io.spillway.application.port.out;

import io.spillway.domain.chunk.Chunk;
import java.util.List;

/** The buffer between producers and consumers: a sharded stream that accepts chunk records. */
public interface ChunkStream {
  /** At most this many records per call. */
  int MAX_RECORDS_PER_CALL = 500;
  /** At most this many bytes (data plus partition keys) per call. */
  int MAX_BYTES_PER_CALL = 5 * 1024 * 1024;

  /**
   * Publishes the chunks (partitioned by {@link io.spillway.domain.chunk.ChunkId#streamPartitionKey()})
   * and returns one outcome per chunk, in order. Some may be throttled while others are accepted.
   */
  List<PublishOutcome> publish(List<Chunk> chunks);
}
