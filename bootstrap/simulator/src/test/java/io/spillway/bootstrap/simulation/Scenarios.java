package io.spillway.bootstrap.simulation;

/** Small scenarios for tests: minutes of work, not days. */
final class Scenarios {
  private Scenarios() {}

  /** A few hours of jobs on a small stream and table; nothing drains after the last arrival. */
  static Scenario small(long seed, int jobsPerDay, int shards, double writeUnits) {
    Scenario s = new Scenario();
    s.name = "small";
    s.seed = seed;
    s.days = 3.0 / 24;
    s.drainHours = 0.5;
    s.workload.jobsPerDay = jobsPerDay;
    s.workload.businessHours.start = 0;
    s.workload.businessHours.end = 3;
    s.workload.businessHours.share = 1;
    s.workload.classes.get(0).eventsMedian = 20_000;
    s.workload.classes.get(1).eventsMedian = 80_000;
    s.producers.hosts = 2;
    s.producers.bufferMegabytes = 8;
    s.stream.shards = shards;
    s.consumers.workers = 1;
    s.consumers.writeUnitsPerSecondPerWorker = writeUnits;
    s.table.writeUnits = writeUnits;
    return s.validate();
  }
}
