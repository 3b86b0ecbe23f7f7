package io.spillway.bootstrap.simulation;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The design the seed replaced: one relational primary with a fixed write ceiling in rows a
 * second, shared by every job, each event one row INSERT made synchronously by the job's
 * computation. No stream and no retention: a job's computation waits while the primary is
 * saturated, and its data is available when its last row commits. Rows may be committed in
 * transactions of {@code rowsPerTransaction}; the ceiling counts rows, not transactions. Each
 * second the primary shares its ceiling between the running jobs fairly (water-filling: a job that
 * wants less than an equal share leaves the rest to the others).
 */
final class LegacyRdbmsRun extends ArchitectureRun {
  /** PostgreSQL's heap tuple header (23 B, aligned to 24) and line pointer (4 B) around each row's data. */
  static final int ROW_OVERHEAD_BYTES = 28;

  private final double ceiling;
  private final long rowsPerTransaction;
  private final List<RunningJob> running = new ArrayList<>();
  private Instant lastTick;
  private long produced;
  private long stored;
  private long rowsWritten;
  private double peakRowsPerSecond;

  /** A job whose computation is inserting rows. */
  private static final class RunningJob {
    final JobSchedule.Planned plan;
    Instant since;
    long inserted;
    long committed;
    /** The fraction of a row the computation had emitted by the last second. */
    double carry;

    RunningJob(JobSchedule.Planned plan) {
      this.plan = plan;
      this.since = plan.arrival();
    }
  }

  LegacyRdbmsRun(Scenario scenario, List<JobSchedule.Planned> schedule, Instant start) {
    super("legacy-rdbms", scenario, schedule, start);
    this.ceiling = scenario.legacy.writeRowsPerSecond;
    this.rowsPerTransaction = scenario.legacy.rowsPerTransaction;
  }

  @Override
  EventLoop.Actor jobActor(JobSchedule.Planned p) {
    return now -> {
      running.add(new RunningJob(p));
      return null;
    };
  }

  @Override
  void scheduleOwnActors() {
    lastTick = start;
    loop.schedule(start.plus(TICK), this::tick);
  }

  /** One second of the primary: what each running job's computation asks for, and what the ceiling grants. */
  private Instant tick(Instant now) {
    double seconds = Duration.between(lastTick, now).toNanos() / 1e9;
    lastTick = now;
    int n = running.size();
    if (n > 0) {
      double[] wanted = new double[n];
      double[] window = new double[n];
      for (int i = 0; i < n; i++) {
        RunningJob j = running.get(i);
        window[i] = Duration.between(j.since, now).toNanos() / 1e9;
        double emitted = j.carry + window[i] * j.plan.spec().eventsPerSecond;
        wanted[i] = Math.min(j.plan.events() - j.inserted, Math.floor(emitted));
        j.carry = emitted - Math.floor(emitted);
      }
      long[] granted = share(wanted, (long) Math.floor(ceiling * seconds));
      long rowsThisTick = 0;
      for (int i = n - 1; i >= 0; i--) {
        RunningJob j = running.get(i);
        j.since = now;
        if (granted[i] < wanted[i]) {
          // synchronous INSERTs: the computation waited for the rows the primary did not take
          result.producerStalledSeconds += window[i] * (wanted[i] - granted[i]) / wanted[i];
        }
        j.inserted += granted[i];
        produced += granted[i];
        rowsThisTick += granted[i];
        long open = j.inserted - j.committed;
        long commit = j.inserted >= j.plan.events() ? open : open - open % rowsPerTransaction;
        j.committed += commit;
        stored += commit;
        result.storedBytes += commit * (j.plan.spec().eventBytes + ROW_OVERHEAD_BYTES);
        if (j.committed >= j.plan.events()) {
          result.jobsCompleted++;
          result.availabilitySeconds.add(Math.max(0, Duration.between(j.plan.naturalEnd(), now).toMillis() / 1000.0));
          running.remove(i);
        }
      }
      rowsWritten += rowsThisTick;
      peakRowsPerSecond = Math.max(peakRowsPerSecond, rowsThisTick / seconds);
    }
    return now.plus(TICK);
  }

  /** Water-filling: equal shares of {@code capacity}, a job's unused share going to the others. Deterministic in job order. */
  static long[] share(double[] wanted, long capacity) {
    int n = wanted.length;
    long[] granted = new long[n];
    long left = capacity;
    int open = 0;
    for (double w : wanted) if (w > 0) open++;
    while (left > 0 && open > 0) {
      long each = Math.max(1, left / open);
      int stillOpen = 0;
      for (int i = 0; i < n && left > 0; i++) {
        long want = (long) wanted[i] - granted[i];
        if (want <= 0) continue;
        long g = Math.min(Math.min(each, want), left);
        granted[i] += g;
        left -= g;
        if (granted[i] < (long) wanted[i]) stillOpen++;
      }
      open = stillOpen;
    }
    return granted;
  }

  /** The table's and the stream's faults have nothing to act on here: the primary keeps its ceiling. */
  @Override
  void startFault(Scenario.Fault f, Instant until) {}

  @Override
  void endFault(Scenario.Fault f) {}

  @Override
  boolean usesTable() {
    return false;
  }

  /** The most rows the primary took in one second of this run. */
  double peakRowsPerSecond() {
    return peakRowsPerSecond;
  }

  @Override
  double writesSoFar() {
    return rowsWritten;
  }

  @Override
  double writeCapacityPerSecond(Instant now) {
    return ceiling;
  }

  @Override
  TimelineRow row(long minute, double rowsPerSecond, double capacity) {
    return new TimelineRow(minute, 0, rowsPerSecond, capacity, 0, 0, 0, result.jobsCompleted, "OK");
  }

  @Override
  void finish() {
    result.eventsProduced = produced;
    result.eventsStored = stored;
    result.eventsInFlight = produced - stored;
    result.chunksStored = stored;
  }

  /** A fixed instance price: the primary costs the same however many rows it takes. */
  @Override
  void costs() {
    result.cost.put("rdbmsInstance", scenario.prices.rdbmsInstanceMonth);
    result.cost.put("total", scenario.prices.rdbmsInstanceMonth);
  }
}
