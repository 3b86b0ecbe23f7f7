package io.spillway.application.port.out;

import io.spillway.domain.chunk.Chunk;
import io.spillway.domain.chunk.ChunkId;
import io.spillway.domain.chunk.StoredItemLayout;
import io.spillway.domain.job.JobId;
import java.util.Optional;
import java.util.stream.Stream;

/** Where chunks are stored, one item each, under the identity the producer gave them. */
public interface Chunks {
  /**
   * Stores the chunk unless one with its identity exists. Throttling is an outcome; failures of the
   * store itself are exceptions ({@link RetryableStoreException} when a retry may succeed).
   */
  PutOutcome putIfAbsent(Chunk chunk);

  /**
   * The stored chunks of one bucket of a job, optionally of one group, in sort-key order (group,
   * then chunk sequence). Paged lazily; close the stream. A stored record that fails verification
   * surfaces as {@link io.spillway.domain.chunk.CorruptChunkException}.
   */
  Stream<Chunk> read(JobId job, int bucket, Optional<String> group);

  /**
   * As {@link #read}, but only the chunks that sort after {@code after} (a chunk of this job and
   * bucket, and of the group when one is given; it need not be stored): where a resumed read
   * carries on. This default reads the bucket from its start and drops what comes before; a store
   * that can start a query at a key should.
   */
  default Stream<Chunk> readAfter(JobId job, int bucket, Optional<String> group, ChunkId after) {
    String from = StoredItemLayout.sortKey(after);
    return read(job, bucket, group).dropWhile(c -> StoredItemLayout.compareSortKeys(StoredItemLayout.sortKey(c.id()), from) <= 0);
  }

  /**
   * How many chunks of the job are stored in the bucket, at a cost that does not grow with the
   * chunks' bytes. May be eventually consistent: a chunk stored a moment before may not be counted
   * yet, but a chunk that was never stored never is.
   */
  long count(JobId job, int bucket);

  /**
   * Every item of one bucket of a job as stored, in sort-key order, without parsing or verifying
   * its record: what a re-verification reads, so that a damaged item is reported by its key instead
   * of failing the read. Paged lazily; close the stream.
   */
  Stream<StoredItem> items(JobId job, int bucket);

  /**
   * The identities of the chunks stored in the bucket, in sort-key order, from their keys alone: what
   * a resumed producer need not publish again. May be eventually consistent like {@link #count}. This
   * default reads the items; a store with a keys-only index reads that instead. Close the stream.
   */
  default Stream<ChunkId> storedIds(JobId job, int bucket) {
    return items(job, bucket).map(item -> StoredItemLayout.chunkId(job, bucket, item.sortKey()));
  }

  /**
   * Deletes every chunk of the job stored in the bucket (a FAILED job's), from their keys; returns
   * how many were listed for deletion. Safe to repeat: deleting what is gone is a no-op.
   */
  long deleteAll(JobId job, int bucket);
}
