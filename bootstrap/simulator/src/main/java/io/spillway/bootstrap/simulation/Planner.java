package io.spillway.bootstrap.simulation;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Sizes a Spillway deployment for a scenario's workload, from the same job schedule a simulation
 * would meet: the stored bytes each job emits, spread over its computation, give the busiest five
 * minutes and the busiest hour.
 *
 * <ul>
 *   <li><b>Shards</b>: the busiest five minutes within 80 % of 1 MB/s per shard (producers stall
 *       past that).
 *   <li><b>Write units</b>: the busiest hour plus 30 %, and at least 80 % of the busiest five
 *       minutes, so a burst drains within minutes; the stream absorbs the rest. Provisioned, no
 *       auto-scaling: the consumers pace to it.
 *   <li><b>Workers</b>: one per 1,500 write units, at most one per shard.
 *   <li><b>Buckets per job</b>: at least one per 64 chunks of the largest job (parallel reads) and
 *       one per 500 write units a second of the fastest job (a key takes 1,000).
 *   <li><b>Retention</b>: 24 hours, or twice the longest consumer outage the scenario plans for.
 * </ul>
 */
public final class Planner {
  private static final double SHARD_BYTES_PER_SECOND = 1_000_000;
  private static final double CHUNK_BYTES = 300_000;

  private Planner() {}

  /** A plan and the figures it was derived from. */
  public record Plan(int shards, double writeUnits, int workers, int bucketsPerJob, double retentionHours,
      double peakFiveMinuteBytesPerSecond, double peakHourBytesPerSecond, double storedBytesPerDay, Map<String, Double> monthlyCost) {

    public Map<String, Object> toJson() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("shards", shards);
      m.put("writeUnits", writeUnits);
      m.put("workers", workers);
      m.put("writeUnitsPerSecondPerWorker", Math.ceil(writeUnits / workers));
      m.put("bucketsPerJob", bucketsPerJob);
      m.put("retentionHours", retentionHours);
      m.put("peakFiveMinuteBytesPerSecond", Math.round(peakFiveMinuteBytesPerSecond));
      m.put("peakHourBytesPerSecond", Math.round(peakHourBytesPerSecond));
      m.put("storedBytesPerDay", Math.round(storedBytesPerDay));
      Map<String, Object> c = new LinkedHashMap<>();
      monthlyCost.forEach((k, v) -> c.put(k, ArchitectureResult.round(v, 2)));
      m.put("monthlyCost", c);
      return m;
    }

    /** The scenario with this plan's capacity in place of its own. */
    public Scenario applyTo(Scenario s) {
      s.stream.mode = "provisioned";
      s.stream.shards = shards;
      s.stream.retentionHours = retentionHours;
      s.table.mode = "provisioned";
      s.table.writeUnits = writeUnits;
      s.table.autoScaling = null;
      s.consumers.workers = workers;
      s.consumers.writeUnitsPerSecondPerWorker = Math.ceil(writeUnits / workers);
      s.workload.buckets = bucketsPerJob;
      return s.validate();
    }
  }

  public static Plan plan(Scenario s) {
    List<JobSchedule.Planned> jobs = JobSchedule.draw(s.validate(), Simulation.START);
    int minutes = (int) Math.ceil((s.days * 24 + s.drainHours + 48) * 60);
    double[] perMinute = new double[minutes];
    double total = 0;
    double largestJob = 0;
    double fastestJob = 0;
    for (JobSchedule.Planned p : jobs) {
      double bytes = p.storedBytes();
      total += bytes;
      largestJob = Math.max(largestJob, bytes);
      double rate = p.spec().eventsPerSecond * p.spec().eventBytes * p.spec().compressionRatio;
      fastestJob = Math.max(fastestJob, rate);
      double from = Duration.between(Simulation.START, p.arrival()).toMillis() / 60_000.0;
      double length = Math.max(1e-3, p.naturalDuration().toMillis() / 60_000.0);
      for (int m = (int) from; m < Math.min(minutes, from + length); m++) {
        double overlap = Math.min(m + 1, from + length) - Math.max(m, from);
        perMinute[m] += bytes * overlap / length;
      }
    }
    double peak5 = peakWindow(perMinute, 5) / 300;
    double peakHour = peakWindow(perMinute, 60) / 3600;
    int shards = (int) Math.max(1, Math.ceil(peak5 / (0.6 * SHARD_BYTES_PER_SECOND)));
    double wcu = Math.ceil(Math.max(peakHour * 1.3, peak5 * 0.8) / 1024);
    wcu = Math.max(1, wcu);
    int workers = (int) Math.min(shards, Math.max(1, Math.ceil(wcu / 1_500)));
    int buckets = (int) Math.min(1024, Math.max(Math.ceil(largestJob / CHUNK_BYTES / 64), Math.ceil(fastestJob / 1024 / 500)));
    buckets = Math.max(1, buckets);
    double outage = 0;
    for (Scenario.Fault f : s.faults) {
      if (f.type.equals("consumers-down")) outage = Math.max(outage, f.minutes / 60);
    }
    double retention = Math.max(24, Math.ceil(2 * outage));
    double perDay = total / s.days;
    Map<String, Double> cost = new LinkedHashMap<>();
    Scenario.Prices p = s.prices;
    cost.put("kinesisShards", shards * 720 * p.kinesisShardHour);
    cost.put("kinesisPuts", perDay * 30 / CHUNK_BYTES * Math.ceil(CHUNK_BYTES / 25_600) / 1e6 * p.kinesisPutUnitsPerMillion);
    if (retention > 24) cost.put("kinesisExtendedRetention", shards * 720 * p.kinesisExtendedRetentionShardHour);
    cost.put("dynamoWrites", wcu * 720 * p.dynamoWcuHour);
    cost.put("dynamoStorage", perDay * 30 / 1e9 * p.dynamoStorageGbMonth);
    cost.put("total", cost.values().stream().mapToDouble(Double::doubleValue).sum());
    return new Plan(shards, wcu, workers, buckets, retention, peak5, peakHour, perDay, cost);
  }

  private static double peakWindow(double[] perMinute, int width) {
    double sum = 0;
    double best = 0;
    for (int i = 0; i < perMinute.length; i++) {
      sum += perMinute[i];
      if (i >= width) sum -= perMinute[i - width];
      best = Math.max(best, sum);
    }
    return best;
  }
}
