package io.spillway.bootstrap.simulation;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What one architecture did with the scenario: counts, latencies, capacity used, cost, alarms and its timeline. */
public final class ArchitectureResult {
  public final String name;
  int jobsArrived;
  int jobsCompleted;
  int jobsIncomplete;
  final List<Double> availabilitySeconds = new ArrayList<>();
  Double maxIteratorAgeSeconds;
  long eventsProduced;
  long eventsStored;
  long eventsLost;
  long eventsInFlight;
  long eventsBothStoredAndLost;
  long chunksStored;
  long storedBytes;
  double wcuConsumed;
  long throttledRequests;
  /** Read units the table charged (the availability check's counts, a resumed producer's key listings). */
  double rcuConsumed;
  /** Reads the table refused (then retried, as the SDK does, and charged). */
  long throttledTableReads;
  /** The table's physical partitions at the end of the run. */
  int tablePartitions;
  long maxProducerBufferBytes;
  long producerBufferBoundBytes;
  double producerStalledSeconds;
  long putPayloadUnits;
  double provisionedWcuHours;
  final Map<String, Double> cost = new LinkedHashMap<>();
  final List<Map<String, Object>> alarms = new ArrayList<>();
  Instant firstLossAt;
  /** The first alarm the forecast raised (WATCH or higher), what loss time it projected then, and the bottleneck it named. */
  Instant firstAlarmAt;
  Instant projectedLossAtFirstAlarm;
  String bottleneckAtFirstAlarm;
  long levelChanges;
  final List<TimelineRow> timeline = new ArrayList<>();

  ArchitectureResult(String name) {
    this.name = name;
  }

  public int jobsArrivedCount() {
    return jobsArrived;
  }

  public int jobsIncomplete() {
    return jobsIncomplete;
  }

  public int jobsCompleted() {
    return jobsCompleted;
  }

  public long eventsProduced() {
    return eventsProduced;
  }

  public long eventsStored() {
    return eventsStored;
  }

  public long eventsLost() {
    return eventsLost;
  }

  public long eventsInFlight() {
    return eventsInFlight;
  }

  public long eventsBothStoredAndLost() {
    return eventsBothStoredAndLost;
  }

  public double producerStalledSeconds() {
    return producerStalledSeconds;
  }

  public long maxProducerBufferBytes() {
    return maxProducerBufferBytes;
  }

  public long producerBufferBoundBytes() {
    return producerBufferBoundBytes;
  }

  public List<TimelineRow> timeline() {
    return timeline;
  }

  public List<Double> availabilitySeconds() {
    return availabilitySeconds;
  }

  public double availabilityPercentile(double p) {
    if (availabilitySeconds.isEmpty()) {
      return Double.NaN;
    }
    List<Double> sorted = new ArrayList<>(availabilitySeconds);
    sorted.sort(null);
    int rank = (int) Math.ceil(p / 100 * sorted.size());
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank - 1)));
  }

  public Double alarmLeadTimeSeconds() {
    if (firstLossAt == null || firstAlarmAt == null) {
      return null;
    }
    return (double) Duration.between(firstAlarmAt, firstLossAt).toSeconds();
  }

  /**
   * How far the first alarm's projected loss time was from the actual one, in percent of the time
   * from that alarm to the actual loss; null without both.
   */
  public Double projectionErrorPercent() {
    if (firstLossAt == null || firstAlarmAt == null || projectedLossAtFirstAlarm == null) {
      return null;
    }
    double actual = Duration.between(firstAlarmAt, firstLossAt).toMillis();
    double off = Math.abs(Duration.between(firstLossAt, projectedLossAtFirstAlarm).toMillis());
    return actual > 0 ? 100 * off / actual : null;
  }

  public Instant projectedLossAtFirstAlarm() {
    return projectedLossAtFirstAlarm;
  }

  public String bottleneckAtFirstAlarm() {
    return bottleneckAtFirstAlarm;
  }

  /** How many times the forecast's held level changed over the run. */
  public long levelChanges() {
    return levelChanges;
  }

  public Instant firstLossAt() {
    return firstLossAt;
  }

  public Instant firstAlarmAt() {
    return firstAlarmAt;
  }

  public double rcuConsumed() {
    return rcuConsumed;
  }

  public long throttledTableReads() {
    return throttledTableReads;
  }

  public double monthlyCost() {
    return cost.getOrDefault("total", 0.0);
  }

  /** The JSON fields for a run of the scenario. */
  public Map<String, Object> toJsonView(Scenario s) {
    return toJson(s.days, s.availabilityTargetSeconds, Simulation.START);
  }

  /**
   * One line on the retention forecast, for an architecture with a stream that alarmed or lost
   * records (null otherwise): the first alarm, the loss it projected, the actual loss, the lead
   * time counted from that alarm, the projection's error, the bottleneck named and the level changes.
   */
  public String forecastLine() {
    if (firstAlarmAt == null && firstLossAt == null) {
      return null;
    }
    StringBuilder b = new StringBuilder();
    if (firstAlarmAt == null) {
      b.append("no alarm before the loss");
    } else {
      Object level = alarms.stream().filter(a -> !"LOSS".equals(a.get("level"))).findFirst().map(a -> a.get("level")).orElse("WATCH");
      b.append(String.format(java.util.Locale.ROOT, "first alarm %s at %.1f h (bottleneck %s)", level, hours(firstAlarmAt), bottleneckAtFirstAlarm));
      if (projectedLossAtFirstAlarm != null) {
        b.append(String.format(java.util.Locale.ROOT, ", projecting loss at %.1f h", hours(projectedLossAtFirstAlarm)));
      }
    }
    if (firstLossAt != null) {
      b.append(String.format(java.util.Locale.ROOT, "; loss began at %.1f h", hours(firstLossAt)));
      if (alarmLeadTimeSeconds() != null) {
        b.append(String.format(java.util.Locale.ROOT, ": lead time %.1f h", alarmLeadTimeSeconds() / 3_600));
      }
      if (projectionErrorPercent() != null) {
        b.append(String.format(java.util.Locale.ROOT, ", projection off by %.1f %%", projectionErrorPercent()));
      }
    } else {
      b.append("; no loss");
    }
    b.append(String.format(java.util.Locale.ROOT, "; %d level change%s", levelChanges, levelChanges == 1 ? "" : "s"));
    return b.toString();
  }

  private static double hours(Instant at) {
    return Duration.between(Simulation.START, at).toSeconds() / 3_600.0;
  }

  /** The one-line verdict against the scenario's availability target. */
  public String verdict(Scenario s) {
    return Verdict.of(this, s.availabilityTargetSeconds);
  }

  /** The JSON fields, in a fixed order (the report must be byte-identical for the same scenario and seed). */
  Map<String, Object> toJson(double days, double availabilityTargetSeconds, Instant start) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", name);
    m.put("verdict", Verdict.of(this, availabilityTargetSeconds));
    m.put("jobsArrived", jobsArrived);
    m.put("jobsCompleted", jobsCompleted);
    m.put("jobsIncomplete", jobsIncomplete);
    m.put("jobsUnfinished", jobsArrived - jobsCompleted - jobsIncomplete);
    m.put("jobsPerDay", round(jobsCompleted / days, 1));
    m.put("availabilityP50Seconds", round(availabilityPercentile(50), 1));
    m.put("availabilityP99Seconds", round(availabilityPercentile(99), 1));
    m.put("availabilityMaxSeconds", round(availabilityPercentile(100), 1));
    m.put("maxIteratorAgeSeconds", maxIteratorAgeSeconds == null ? null : round(maxIteratorAgeSeconds, 1));
    m.put("eventsProduced", eventsProduced);
    m.put("eventsStored", eventsStored);
    m.put("eventsLost", eventsLost);
    m.put("eventsInFlight", eventsInFlight);
    m.put("chunksStored", chunksStored);
    m.put("storedBytes", storedBytes);
    m.put("wcuConsumed", Math.round(wcuConsumed));
    m.put("throttledRequests", throttledRequests);
    m.put("rcuConsumed", round(rcuConsumed, 1));
    m.put("throttledTableReads", throttledTableReads);
    m.put("tablePartitions", tablePartitions);
    m.put("maxProducerBufferBytes", maxProducerBufferBytes);
    m.put("producerBufferBoundBytes", producerBufferBoundBytes);
    m.put("producerStalledSeconds", round(producerStalledSeconds, 1));
    Map<String, Object> c = new LinkedHashMap<>();
    cost.forEach((k, v) -> c.put(k, round(v, 2)));
    m.put("cost", round(monthlyCost(), 2));
    m.put("costBreakdownPerMonth", c);
    m.put("alarms", alarms);
    m.put("firstLossAtSeconds", firstLossAt == null ? null : Duration.between(start, firstLossAt).toSeconds());
    m.put("alarmLeadTimeSeconds", alarmLeadTimeSeconds());
    Map<String, Object> forecast = new LinkedHashMap<>();
    forecast.put("firstAlarmAtSeconds", firstAlarmAt == null ? null : Duration.between(start, firstAlarmAt).toSeconds());
    forecast.put("projectedLossAtSeconds", projectedLossAtFirstAlarm == null ? null : Duration.between(start, projectedLossAtFirstAlarm).toSeconds());
    forecast.put("firstLossAtSeconds", firstLossAt == null ? null : Duration.between(start, firstLossAt).toSeconds());
    forecast.put("leadTimeSeconds", alarmLeadTimeSeconds());
    forecast.put("projectionErrorPercent", projectionErrorPercent() == null ? null : round(projectionErrorPercent(), 1));
    forecast.put("bottleneck", bottleneckAtFirstAlarm);
    forecast.put("levelChanges", levelChanges);
    m.put("forecast", forecast);
    return m;
  }

  static Double round(double v, int decimals) {
    if (Double.isNaN(v) || Double.isInfinite(v)) {
      return null;
    }
    double scale = Math.pow(10, decimals);
    return Math.round(v * scale) / scale;
  }
}
