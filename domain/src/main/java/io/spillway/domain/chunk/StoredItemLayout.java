package io.spillway.domain.chunk;

import io.spillway.domain.Checks;

/**
 * How a chunk is laid out as one DynamoDB item, and what that item weighs. The AWS store writes
 * exactly these attributes and the in-memory table charges exactly these sizes, so the 409,600-byte
 * limit is checked against what is really stored.
 *
 * <pre>
 *   pk  (S) "J#" jobId "#" bucket                       e.g. J#job-42#3
 *   sk  (S) "C#" ddd "#" groupKey "#" dddddddddd         ddd = UTF-8 length of groupKey, 10-digit chunk sequence
 *           [ "#P" ddddd ]                               a chunk of partition 1.. adds its 5-digit partition
 *   c   (B) the chunk record (chunk-format.md)
 *   ttl (N) optional expiry, epoch seconds (always reserved in the size)
 * </pre>
 */
public final class StoredItemLayout {
  /** DynamoDB's item limit, 400 KB, attribute names and values included. */
  public static final int ITEM_LIMIT_BYTES = 409_600;
  public static final String PARTITION_KEY = "pk";
  public static final String SORT_KEY = "sk";
  public static final String CHUNK = "c";
  public static final String TTL = "ttl";
  /** "ttl" plus the largest DynamoDB number (38 digits stored in 21 bytes). */
  static final int TTL_RESERVE = TTL.length() + 21;

  private StoredItemLayout() {}

  public static String partitionKey(ChunkId id) {
    return partitionKey(id.jobId().value(), id.bucket());
  }

  public static String partitionKey(String jobId, int bucket) {
    return "J#" + jobId + "#" + bucket;
  }

  public static String sortKey(ChunkId id) {
    String key = groupPrefix(id.groupKey()) + zeroPadded(id.sequence(), 10);
    return id.partition() == 0 ? key : key + "#P" + zeroPadded(id.partition(), 5);
  }

  /**
   * The chunk whose item has this sort key in this bucket of the job: the inverse of
   * {@link #sortKey}, for a store that lists keys without reading items.
   *
   * @throws IllegalArgumentException when the key is not a chunk's
   */
  public static ChunkId chunkId(io.spillway.domain.job.JobId job, int bucket, String sortKey) {
    try {
      if (!sortKey.startsWith("C#") || sortKey.charAt(5) != '#') {
        throw new IllegalArgumentException("not a chunk key");
      }
      int bytes = Integer.parseInt(sortKey.substring(2, 5));
      int at = 6;
      int counted = 0;
      while (counted < bytes) {
        int cp = sortKey.codePointAt(at);
        counted += Checks.utf8Length(new String(Character.toChars(cp)));
        at += Character.charCount(cp);
      }
      String group = sortKey.substring(6, at);
      if (counted != bytes || sortKey.charAt(at) != '#') {
        throw new IllegalArgumentException("group length");
      }
      long sequence = Long.parseLong(sortKey.substring(at + 1, at + 11));
      int partition = 0;
      if (sortKey.length() > at + 11) {
        if (!sortKey.startsWith("#P", at + 11) || sortKey.length() != at + 18) {
          throw new IllegalArgumentException("partition suffix");
        }
        partition = Integer.parseInt(sortKey.substring(at + 13));
      }
      ChunkId id = new ChunkId(job, partition, bucket, group, sequence);
      if (!sortKey(id).equals(sortKey)) {
        throw new IllegalArgumentException("not in canonical form");
      }
      return id;
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("sort key " + sortKey + " is not a chunk's (" + e.getMessage() + ")", e);
    }
  }

  /** The sort-key prefix every chunk of one group starts with, and no chunk of another group. */
  public static String groupPrefix(String groupKey) {
    return "C#" + zeroPadded(Checks.utf8Length(groupKey), 3) + "#" + groupKey + "#";
  }

  /**
   * Compares two sort keys as DynamoDB orders string keys, by their UTF-8 bytes (code point order;
   * {@link String#compareTo} compares UTF-16 units and would put U+10000.. before U+E000..U+FFFF).
   */
  public static int compareSortKeys(String a, String b) {
    int i = 0;
    int j = 0;
    while (i < a.length() && j < b.length()) {
      int ca = a.codePointAt(i);
      int cb = b.codePointAt(j);
      if (ca != cb) {
        return Integer.compare(ca, cb);
      }
      i += Character.charCount(ca);
      j += Character.charCount(cb);
    }
    return Integer.compare(a.length() - i, b.length() - j);
  }

  public static int itemSize(ChunkId id, int recordLength) {
    return PARTITION_KEY.length() + Checks.utf8Length(partitionKey(id))
        + SORT_KEY.length() + Checks.utf8Length(sortKey(id))
        + CHUNK.length() + recordLength
        + TTL_RESERVE;
  }

  /** ASCII decimal digits, left-padded with zeros to the width (whatever the JVM's locale). */
  static String zeroPadded(long value, int width) {
    String digits = Long.toString(value);
    return digits.length() >= width ? digits : "0".repeat(width - digits.length()) + digits;
  }

  /** Write units for one put of an item of this size: one per started 1,024 bytes. */
  public static int writeUnits(int itemBytes) {
    return Math.max(1, (itemBytes + 1023) / 1024);
  }
}
