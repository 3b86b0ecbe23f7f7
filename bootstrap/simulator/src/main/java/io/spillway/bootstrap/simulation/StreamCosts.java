package io.spillway.bootstrap.simulation;

import java.util.Map;

/** What a month of the stream costs at the scenario's prices, for either engine. */
final class StreamCosts {
  private static final double GB = 1024.0 * 1024 * 1024;

  private StreamCosts() {}

  /** A provisioned stream: its shard-hours, the PUT payload units (25 KB each, per record) and extended retention. */
  static void provisioned(Map<String, Double> cost, Scenario s, long putPayloadUnits, double toMonth) {
    Scenario.Prices p = s.prices;
    double shardHours = s.stream.shards * 24.0 * 30;
    cost.put("kinesisShards", shardHours * p.kinesisShardHour);
    cost.put("kinesisPuts", putPayloadUnits / 1e6 * p.kinesisPutUnitsPerMillion * toMonth);
    if (s.stream.retentionHours > 24) {
      cost.put("kinesisExtendedRetention", shardHours * p.kinesisExtendedRetentionShardHour);
    }
  }

  /**
   * An on-demand stream: the stream-hours, the GB written (records rounded up to 1 KB) and read (by
   * every GetRecords caller, re-reads included), and past 24 hours the GB-months a month's writes
   * keep stored: a day's writes for each retained day past the first, those past 7 days at the
   * long-term price.
   */
  static void onDemand(Map<String, Double> cost, Scenario s, long billedIngestBytes, long readBytes, double toMonth) {
    Scenario.Prices p = s.prices;
    cost.put("kinesisOnDemandStream", 24.0 * 30 * p.kinesisOnDemandStreamHour);
    double writtenPerMonth = billedIngestBytes / GB * toMonth;
    cost.put("kinesisOnDemandIngest", writtenPerMonth * p.kinesisOnDemandIngestGb);
    cost.put("kinesisOnDemandRetrieval", readBytes / GB * toMonth * p.kinesisOnDemandRetrievalGb);
    double retainedDays = s.stream.retentionHours / 24;
    if (retainedDays > 1) {
      double writtenPerDay = writtenPerMonth / 30;
      cost.put("kinesisOnDemandExtendedRetention", writtenPerDay * (Math.min(retainedDays, 7) - 1) * p.kinesisOnDemandExtendedRetentionGbMonth);
      if (retainedDays > 7) {
        cost.put("kinesisOnDemandLongTermRetention", writtenPerDay * (retainedDays - 7) * p.kinesisOnDemandLongTermRetentionGbMonth);
      }
    }
  }
}
