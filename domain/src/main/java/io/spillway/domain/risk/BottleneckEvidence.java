package io.spillway.domain.risk;

import io.spillway.domain.InvalidFieldException;
import io.spillway.domain.risk.DrainLimits.Bottleneck;

/**
 * What a monitor can observe, over its window, of why a backlog drains no faster, and the limit it
 * points to. Checked in order:
 *
 * <ol>
 *   <li>{@link Bottleneck#WRITE_CAPACITY} when the table throttled writes, or the write units spent
 *       came within {@value #NEAR_CEILING} of the write ceiling (the table's capacity or the
 *       consumers' write budget, the lower): adding consumers would only add throttling;
 *   <li>{@link Bottleneck#SHARD_READS} when at least {@value #OFTEN} of the consumers' GetRecords
 *       calls were throttled (2 MB/s and 5 calls/s per shard, shared by every application
 *       reading the stream);
 *   <li>{@link Bottleneck#CONSUMERS} otherwise: the table and the shards had room, so the consumers
 *       are down, too few (fewer workers than shards, idle leases) or too slow.
 * </ol>
 *
 * @param writeUnitsPerSecond write units the consumers' puts spent per second
 * @param writeCeilingPerSecond the most they could spend (+∞ when unknown)
 * @param tableThrottles writes the table refused in the window
 * @param readCalls GetRecords calls made in the window
 * @param readThrottles of those, calls refused for the shard's read limits
 */
public record BottleneckEvidence(double writeUnitsPerSecond, double writeCeilingPerSecond, long tableThrottles, long readCalls, long readThrottles) {
  /** Spending at this fraction of the ceiling or more is held back by it. */
  public static final double NEAR_CEILING = 0.9;
  /** Reads throttled this often are held back by the shards. */
  public static final double OFTEN = 0.1;

  public BottleneckEvidence {
    if (!(writeUnitsPerSecond >= 0) || Double.isInfinite(writeUnitsPerSecond)) {
      throw new InvalidFieldException("evidence.writeUnitsPerSecond", writeUnitsPerSecond, "a finite rate >= 0");
    }
    if (!(writeCeilingPerSecond >= 0)) {
      throw new InvalidFieldException("evidence.writeCeilingPerSecond", writeCeilingPerSecond, "a rate >= 0 (+Infinity when unknown)");
    }
    if (tableThrottles < 0) throw new InvalidFieldException("evidence.tableThrottles", tableThrottles, ">= 0");
    if (readCalls < 0) throw new InvalidFieldException("evidence.readCalls", readCalls, ">= 0");
    if (readThrottles < 0 || readThrottles > readCalls) {
      throw new InvalidFieldException("evidence.readThrottles", readThrottles, "0.." + readCalls + " (the calls made)");
    }
  }

  public Bottleneck bottleneck() {
    if (tableThrottles > 0 || (writeCeilingPerSecond > 0 && writeUnitsPerSecond >= NEAR_CEILING * writeCeilingPerSecond)) {
      return Bottleneck.WRITE_CAPACITY;
    }
    if (readThrottles > 0 && readThrottles >= OFTEN * readCalls) {
      return Bottleneck.SHARD_READS;
    }
    return Bottleneck.CONSUMERS;
  }
}
