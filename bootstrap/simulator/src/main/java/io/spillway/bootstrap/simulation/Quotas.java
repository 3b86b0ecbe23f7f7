package io.spillway.bootstrap.simulation;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The AWS quotas an architecture's run needed past their defaults, from the run itself: the most
 * write capacity the table held or took in a minute, and the shards the stream had. Defaults as
 * documented (DynamoDB quotas, Kinesis Data Streams quotas and limits): a table takes at most
 * 40,000 write units, provisioned or on-demand, and an account's provisioned tables 80,000 together;
 * an account holds 20,000 shards in us-east-1, us-west-2 and eu-west-1 (1,000 or 6,000 elsewhere).
 * Each is raised through Service Quotas; the report lists what to ask for.
 */
public final class Quotas {
  public static final double TABLE_WRITE_UNITS = 40_000;
  public static final double ACCOUNT_PROVISIONED_WRITE_UNITS = 80_000;
  public static final double ACCOUNT_SHARDS = 20_000;
  /** The shard quota outside us-east-1, us-west-2 and eu-west-1 (the lower of the two documented figures). */
  public static final double ACCOUNT_SHARDS_OTHER_REGIONS = 1_000;

  private Quotas() {}

  /** One quota the run needed past its default. */
  public record Increase(String quota, double defaultValue, double needed) {
    public double factor() {
      return needed / defaultValue;
    }

    public Map<String, Object> toJson() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("quota", quota);
      m.put("default", Math.round(defaultValue));
      m.put("needed", Math.round(Math.ceil(needed)));
      m.put("factor", ArchitectureResult.round(factor(), 1));
      return m;
    }

    public String describe() {
      return String.format(Locale.ROOT, "%s %,.0f (default %,.0f, x%.1f)", quota, Math.ceil(needed), defaultValue, factor());
    }
  }

  /** What {@code result}'s run needed past the defaults, in a fixed order; empty when the defaults sufficed. */
  public static List<Increase> needed(Scenario s, ArchitectureResult result) {
    List<Increase> out = new ArrayList<>();
    if (result.name.equals("legacy-rdbms")) {
      return out;
    }
    double units = 0;
    for (TimelineRow r : result.timeline) {
      units = Math.max(units, Math.max(r.writeUnitsPerSecond(), r.capacityUnitsPerSecond()));
    }
    if (s.table.mode.equals("provisioned")) {
      // the configured ceiling counts too: auto-scaling may raise the table that far, and AWS refuses a maximum above the quota
      double configured = s.table.autoScaling == null ? s.table.writeUnits : s.table.autoScaling.max;
      units = Math.max(units, configured);
    }
    if (Double.isFinite(units) && units > TABLE_WRITE_UNITS) {
      out.add(new Increase("DynamoDB table write capacity (WCU/s)", TABLE_WRITE_UNITS, units));
    }
    if (s.table.mode.equals("provisioned") && Double.isFinite(units) && units > ACCOUNT_PROVISIONED_WRITE_UNITS) {
      out.add(new Increase("DynamoDB account provisioned write capacity (WCU/s)", ACCOUNT_PROVISIONED_WRITE_UNITS, units));
    }
    if (result.name.equals("spillway") && !s.stream.onDemandMode() && s.stream.shards > ACCOUNT_SHARDS_OTHER_REGIONS) {
      out.add(new Increase(s.stream.shards > ACCOUNT_SHARDS ? "Kinesis shards per account" : "Kinesis shards per account outside us-east-1, us-west-2, eu-west-1",
          s.stream.shards > ACCOUNT_SHARDS ? ACCOUNT_SHARDS : ACCOUNT_SHARDS_OTHER_REGIONS, s.stream.shards));
    }
    return out;
  }
}
