package io.spillway.bootstrap.simulation;

import io.spillway.adapters.inmemory.InMemoryStream;
import io.spillway.domain.risk.BacklogTrend;
import io.spillway.domain.risk.BottleneckEvidence;
import io.spillway.domain.risk.RetentionRiskForecast;
import io.spillway.domain.risk.RiskHold;
import io.spillway.domain.risk.RiskLevel;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The live retention forecast, from what an operator sees each minute: the oldest unconsumed
 * record's age, the bytes arrived (IncomingBytes) and drained (checkpointed), and — to name the
 * bottleneck — the table's throttles and write units spent against its ceiling, and the
 * consumers' GetRecords calls and their throttles. A {@link BacklogTrend} over the last hour
 * projects the loss time; a {@link RiskHold} holds the level with hysteresis.
 */
final class RetentionWatch {
  /** What the forecast reads of the stream: the oldest unconsumed record's age, and the bytes arrived and drained so far. */
  interface Backlog {
    Duration oldestAge();

    long acceptedBytes();

    long checkpointedBytes();
  }

  static final Duration WINDOW = Duration.ofHours(1);
  private final Backlog stream;
  private final Duration retention;
  private final Instant start;
  private final BacklogTrend trend;
  private final RiskHold hold = new RiskHold(RiskHold.Bands.standard());
  private final ArrayDeque<double[]> evidence = new ArrayDeque<>();
  private boolean lossHeld;

  /** The forecast over an in-memory stream's own figures. */
  RetentionWatch(InMemoryStream stream, Duration retention, Instant start) {
    this(new Backlog() {
      @Override
      public Duration oldestAge() {
        return stream.oldestUncheckpointedAge();
      }

      @Override
      public long acceptedBytes() {
        return stream.acceptedBytes();
      }

      @Override
      public long checkpointedBytes() {
        return stream.checkpointedBytes();
      }
    }, retention, start);
  }

  RetentionWatch(Backlog stream, Duration retention, Instant start) {
    this.stream = stream;
    this.retention = retention;
    this.start = start;
    this.trend = new BacklogTrend(retention, WINDOW);
  }

  RiskLevel level() {
    return hold.level();
  }

  /**
   * One minute's look.
   *
   * @param writeCeiling the write units a second the consumers could spend: the table's capacity
   *     or their budget, the lower
   */
  void observe(Instant now, double writeUnitsSpent, double writeCeiling, long tableThrottles, long readCalls, long readThrottles,
      ArchitectureResult result) {
    Duration age = stream.oldestAge();
    trend.observe(new BacklogTrend.Sample(now, age, stream.acceptedBytes(), stream.checkpointedBytes()));
    evidence.addLast(new double[] {now.getEpochSecond(), writeUnitsSpent, tableThrottles, readCalls, readThrottles});
    while (evidence.size() > 2 && evidence.peekFirst()[0] < now.minus(WINDOW).getEpochSecond()) evidence.pollFirst();
    Optional<BacklogTrend.Projection> p = trend.project();
    if (p.isEmpty()) {
      return;
    }
    RiskLevel before = hold.level();
    // the stream trims at the retention, so the oldest age never passes it: within a sample of it, records are expiring
    RiskLevel level = hold.update(now, p.get().timeToLoss(), age.plus(ArchitectureRun.SAMPLE).compareTo(retention) >= 0);
    result.levelChanges = hold.changes();
    if (level == before) {
      return;
    }
    if (level == RiskLevel.LOSS && !lossHeld) {
      // the first loss is listed as the stream reports it; a return to LOSS after a lower level is listed here
      lossHeld = true;
      return;
    }
    double[] first = evidence.peekFirst();
    double[] last = evidence.peekLast();
    double span = Math.max(1, last[0] - first[0]);
    BottleneckEvidence seen = new BottleneckEvidence(Math.max(0, (last[1] - first[1]) / span), writeCeiling,
        (long) (last[2] - first[2]), (long) (last[3] - first[3]), (long) (last[4] - first[4]));
    Map<String, Object> alarm = new LinkedHashMap<>();
    alarm.put("level", level.name());
    alarm.put("from", before.name());
    alarm.put("atSeconds", Duration.between(start, now).toSeconds());
    alarm.put("bottleneck", seen.bottleneck().name());
    alarm.put("recommendation", level == RiskLevel.OK ? "NONE" : RetentionRiskForecast.recommend(seen.bottleneck()).name());
    Long lossAt = p.get().lossAt().map(l -> Duration.between(start, l).toSeconds()).orElse(null);
    alarm.put("projectedLossAtSeconds", lossAt);
    alarm.put("projectedLossInSeconds", p.get().timeToLoss().map(Duration::toSeconds).orElse(null));
    alarm.put("oldestAgeSeconds", age.toSeconds());
    alarm.put("ageSlope", ArchitectureResult.round(p.get().ageSlope(), 3));
    alarm.put("arrivalBytesPerSecond", ArchitectureResult.round(p.get().arrivalRate(), 1));
    alarm.put("drainBytesPerSecond", ArchitectureResult.round(p.get().drainRate(), 1));
    result.alarms.add(alarm);
    if (result.firstAlarmAt == null && level.compareTo(RiskLevel.OK) > 0) {
      result.firstAlarmAt = now;
      result.projectedLossAtFirstAlarm = p.get().lossAt().orElse(null);
      result.bottleneckAtFirstAlarm = seen.bottleneck().name();
    }
  }
}
