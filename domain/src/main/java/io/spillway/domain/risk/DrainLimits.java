package io.spillway.domain.risk;

import io.spillway.domain.InvalidFieldException;

/**
 * The three ceilings on how fast a backlog drains: the shards' read limit, what the consumers
 * process, and the DynamoDB write budget. The drain rate is the smallest.
 */
public record DrainLimits(double shardReadRate, double consumerRate, double writeBudgetRate) {
  public DrainLimits {
    check("drain.shardReadRate", shardReadRate);
    check("drain.consumerRate", consumerRate);
    check("drain.writeBudgetRate", writeBudgetRate);
  }

  /** A drain known only as one observed rate (every limit equal). */
  public static DrainLimits observed(double rate) {
    return new DrainLimits(rate, rate, rate);
  }

  public double rate() {
    return Math.min(shardReadRate, Math.min(consumerRate, writeBudgetRate));
  }

  /** Which limit binds. */
  public Bottleneck bottleneck() {
    double r = rate();
    if (writeBudgetRate == r) return Bottleneck.WRITE_CAPACITY;
    if (consumerRate == r) return Bottleneck.CONSUMERS;
    return Bottleneck.SHARD_READS;
  }

  /** The limit that holds the drain back. */
  public enum Bottleneck {
    WRITE_CAPACITY,
    CONSUMERS,
    SHARD_READS
  }

  private static void check(String field, double v) {
    if (!(v >= 0)) {
      throw new InvalidFieldException(field, v, "a rate >= 0");
    }
  }
}
