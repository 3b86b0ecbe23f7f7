package io.spillway.bootstrap.simulation;

import io.spillway.adapters.inmemory.TableCapacity;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * One architecture meeting one scenario on its own clock, table and loop: the parts every
 * architecture shares (the table and its faults, the per-minute timeline, the cost).
 */
abstract class ArchitectureRun {
  static final Duration TICK = Duration.ofSeconds(1);
  static final Duration SAMPLE = Duration.ofMinutes(1);

  final Scenario scenario;
  final List<JobSchedule.Planned> schedule;
  final Instant start;
  final Instant end;
  final SimClock clock;
  final EventLoop loop;
  final TableCapacity table;
  final ArchitectureResult result;
  /** Checked each simulated minute; stops the run once the outcome is settled (the capacity search's certain failure). */
  SloWatch watchSlo;
  private double lastConsumed;

  ArchitectureRun(String name, Scenario scenario, List<JobSchedule.Planned> schedule, Instant start) {
    this.scenario = scenario;
    this.schedule = schedule;
    this.start = start;
    this.end = start.plus(hours(scenario.days * 24 + scenario.drainHours));
    this.clock = new SimClock(start);
    this.loop = new EventLoop(clock);
    this.table = table(scenario, start);
    this.result = new ArchitectureResult(name);
  }

  static TableCapacity table(Scenario s, Instant start) {
    if (s.table.mode.equals("on-demand")) {
      TableCapacity.Settings d = TableCapacity.Settings.onDemand();
      TableCapacity.Settings settings = new TableCapacity.Settings(TableCapacity.Mode.ON_DEMAND, s.table.warmWriteUnits, d.burstWindow(),
          d.partitionWriteUnitsPerSecond(), 0).withQuota(s.table.quotaWriteUnits, s.table.quotaReadUnits);
      if (s.table.maxWriteUnits != null) {
        settings = settings.withMaxWriteUnits(s.table.maxWriteUnits);
      }
      return new TableCapacity(settings, start);
    }
    Optional<TableCapacity.AutoScaling> scaling = Optional.ofNullable(s.table.autoScaling).map(a -> new TableCapacity.AutoScaling(
        a.min, a.max, a.targetUtilization, Duration.ofMinutes(a.scaleOutAfterMinutes), Duration.ofMinutes(a.applyDelayMinutes),
        Duration.ofMinutes(a.scaleInAfterMinutes)));
    return new TableCapacity(TableCapacity.Settings.provisioned(s.table.writeUnits).withReadUnits(s.table.readUnits)
        .withQuota(s.table.quotaWriteUnits, s.table.quotaReadUnits), start, scaling);
  }

  static Duration hours(double h) {
    return Duration.ofMillis(Math.round(h * 3_600_000));
  }

  /** Schedules the jobs, the faults and the sampler, runs to the end and fills the result. */
  final ArchitectureResult run(Progress progress) {
    for (JobSchedule.Planned p : schedule) {
      loop.schedule(p.arrival(), jobActor(p));
    }
    for (Scenario.Fault f : scenario.faults) {
      Instant from = start.plus(hours(f.atHour));
      Instant until = from.plus(Duration.ofMillis(Math.round(f.minutes * 60_000)));
      loop.schedule(from, now -> {
        startFault(f, until);
        return null;
      });
      loop.schedule(until, now -> {
        endFault(f);
        return null;
      });
    }
    scheduleOwnActors();
    loop.schedule(start.plus(SAMPLE), this::sample);
    long totalSeconds = Duration.between(start, end).toSeconds();
    long[] reported = {0};
    loop.runUntil(end, now -> {
      long s = Duration.between(start, now).toSeconds();
      if (s - reported[0] >= 3_600) {
        reported[0] = s - s % 3_600;
        progress.at(result.name, reported[0], totalSeconds);
      }
    });
    result.jobsArrived = (int) schedule.stream().filter(p -> p.arrival().isBefore(end)).count();
    finish();
    costs();
    return result;
  }

  /** The actor that plays one job from its arrival. */
  abstract EventLoop.Actor jobActor(JobSchedule.Planned job);

  /** Actors beyond the jobs (consumers, flushers, watches). */
  void scheduleOwnActors() {}

  void startFault(Scenario.Fault f, Instant until) {
    switch (f.type) {
      case "throttling-storm" -> table.storm(f.fraction, until);
      case "capacity-cut" -> table.ceiling(f.writeUnits, clock.now());
      default -> { }
    }
  }

  void endFault(Scenario.Fault f) {
    if (f.type.equals("capacity-cut")) {
      table.ceiling(Double.POSITIVE_INFINITY, clock.now());
    }
  }

  /** Counts what is left at the end; fills the result. */
  abstract void finish();

  /** The architecture's own columns of a timeline row. */
  abstract TimelineRow row(long minute, double writeUnitsPerSecond, double capacity);

  /** Writes the store has taken so far, in its own unit (write units for DynamoDB). */
  double writesSoFar() {
    return table.consumed();
  }

  /** What the store takes per second now, in the unit of {@link #writesSoFar()}. */
  double writeCapacityPerSecond(Instant now) {
    return table.writeUnitsPerSecond(now);
  }

  /** Whether the run pays for the table's provisioned write units. */
  boolean usesTable() {
    return true;
  }

  private Instant sample(Instant now) {
    double consumed = writesSoFar();
    double rate = (consumed - lastConsumed) / SAMPLE.toSeconds();
    lastConsumed = consumed;
    double capacity = writeCapacityPerSecond(now);
    if (usesTable() && table.settings().mode() == TableCapacity.Mode.PROVISIONED) {
      result.provisionedWcuHours += capacity * SAMPLE.toSeconds() / 3_600.0;
    }
    result.timeline.add(row(Duration.between(start, now).toMinutes(), rate, capacity));
    if (watchSlo != null && watchSlo.settledAt(now, this)) {
      loop.stop();
    }
    return now.plus(SAMPLE);
  }

  /** The availability (seconds past each job's natural end) of every job available so far in the run. */
  List<Double> availabilitySoFar() {
    return result.availabilitySeconds;
  }

  /** Monthly cost at the scenario's prices: this run's usage scaled to 30 days. */
  void costs() {
    Scenario.Prices p = scenario.prices;
    double simulatedDays = Duration.between(start, end).toSeconds() / 86_400.0;
    double toMonth = 30 / simulatedDays;
    double tableCost = table.settings().mode() == TableCapacity.Mode.ON_DEMAND
        ? result.wcuConsumed / 1e6 * p.dynamoWriteRequestUnitsPerMillion * toMonth
        : result.provisionedWcuHours * p.dynamoWcuHour * toMonth;
    result.cost.put("dynamoWrites", tableCost);
    if (usesTable()) {
      result.rcuConsumed = table.readUnitsConsumed();
      result.throttledTableReads = table.readsThrottled();
      result.tablePartitions = table.partitions();
    }
    // provisioned read units are fixed for the run: paid for each sampled minute, as the write units are
    double readCost = table.settings().mode() == TableCapacity.Mode.ON_DEMAND
        ? result.rcuConsumed / 1e6 * p.dynamoReadRequestUnitsPerMillion * toMonth
        : usesTable() ? table.readUnitsPerSecond() * result.timeline.size() * SAMPLE.toSeconds() / 3_600.0 * p.dynamoRcuHour * toMonth : 0;
    result.cost.put("dynamoReads", readCost);
    // storage: a month of data held for a month
    double storage = result.storedBytes / 1e9 * (30 / scenario.days) * p.dynamoStorageGbMonth;
    result.cost.put("dynamoStorage", storage);
    streamCosts(p, toMonth);
    result.cost.put("total", result.cost.values().stream().mapToDouble(Double::doubleValue).sum());
  }

  void streamCosts(Scenario.Prices p, double toMonth) {}
}
