package io.spillway.bootstrap.simulation;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.spillway.domain.InvalidFieldException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.ToLongFunction;

/**
 * Capacity, measured by simulation: for each architecture the largest load (jobs a day) it sustains
 * under an {@link Slo} at the scenario's own capacity, and the smallest capacity (provisioned write
 * units, or the legacy primary's rows a second) that meets the level at a given load. Each is found
 * by {@link BoundarySearch} for several seeds — the scenario's seed, seed + 1, … — and reported as
 * the median and the range over them.
 *
 * <p>The first seed brackets from the scenario's own load (or the planner's write units) by
 * doubling or halving; the other seeds bracket from the first seed's finding in steps of 10 %, which
 * costs a few probes instead of a full bracket. Every probe is a whole simulated run, settled early
 * only when it has certainly failed ({@link SloWatch}). Seeds run in parallel; each run is
 * deterministic and single-threaded, and results are gathered in seed order, so the same input
 * gives the same findings whatever the number of threads.
 */
public final class CapacitySearch {
  /** Seeds a claim is reported over unless told otherwise. */
  public static final int DEFAULT_SEEDS = 5;
  /** Bisection stops when the values that met and did not meet are within 5 % of the one that met (or 1 apart). */
  public static final double RESOLUTION = 0.05;
  /** The first seed's bracketing step from its start. */
  static final double FIRST_FACTOR = 2;
  /** The later seeds' bracketing step from the first seed's finding. */
  static final double LATER_FACTOR = 1.1;
  /** The load search offers at most this many times the scenario's load unless told otherwise. */
  public static final double DEFAULT_LOAD_CAP_FACTOR = 2;
  /** The capacity search provisions at most this many times its start (the planner's write units, the scenario's rows/s). */
  static final double CAPACITY_CAP_FACTOR = 64;

  private static final ObjectMapper COPY = new ObjectMapper();

  /**
   * How a seed's search ended: a boundary between two probes; met at the bound on the hard side
   * (the load search's upper bound: the architecture sustains at least that); or not met even at
   * the bound on the easy side.
   */
  public enum Limit { FOUND, MET_AT_BOUND, NOT_MET_WITHIN_BOUNDS }

  /** What a search looks for: the most load at the scenario's capacity, or the least capacity at a load. */
  public enum Searched { LOAD, CAPACITY }

  private CapacitySearch() {}

  /**
   * How a search runs: seeds (at least 1; claims want 5), threads, the level, and the largest
   * value it may probe (0: the default bound).
   */
  public record Settings(int seeds, int threads, Slo slo, long upTo) {
    public Settings {
      if (seeds < 1 || seeds > 100) throw new InvalidFieldException("seeds", seeds, "1..100");
      if (threads < 1) throw new InvalidFieldException("threads", threads, "at least 1");
      if (upTo < 0) throw new InvalidFieldException("upTo", upTo, "0 (the default bound) or more");
    }
  }

  /** One simulated run of a search: the value it tried, the jobs it drew, whether it met the level and why not. */
  public record Probe(long value, int jobs, boolean meets, Double p99Seconds, Double monthlyCost, String outcome) {
    Map<String, Object> toJson(String valueName) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put(valueName, value);
      m.put("jobs", jobs);
      m.put("meets", meets);
      m.put("availabilityP99Seconds", p99Seconds == null ? null : ArchitectureResult.round(p99Seconds, 1));
      m.put("monthlyCost", monthlyCost == null ? null : ArchitectureResult.round(monthlyCost, 2));
      m.put("outcome", outcome);
      return m;
    }
  }

  /** What the search found for one seed: the boundary value (null when nothing within the bounds met) and its probes. */
  public record SeedFinding(long seed, Long value, Limit limit, List<Probe> probes) {
    /** The probe that ran at the value found, if any. */
    Probe atValue() {
      return value == null ? null : probes.stream().filter(p -> p.value() == value && p.meets()).findFirst().orElse(null);
    }
  }

  /** One architecture's findings over the seeds. */
  public record Finding(String architecture, List<SeedFinding> seeds) {
    /** The values found, seed by seed; null where nothing within the bounds met. */
    public List<Long> values() {
      return seeds.stream().map(SeedFinding::value).toList();
    }

    public Number median() {
      return CapacitySearch.median(values());
    }

    /** [min, max] over the seeds. */
    public List<Long> range() {
      return CapacitySearch.range(values());
    }

    public boolean anyAt(Limit limit) {
      return seeds.stream().anyMatch(s -> s.limit() == limit);
    }
  }

  /** A search's findings, one per architecture, and how it was made. */
  public record Result(Searched searched, Slo slo, List<Long> seeds, long floor, Map<String, Long> caps, Long atJobsPerDay,
      List<Finding> findings, Double budgetPerMonth) {
    public Result(Searched searched, Slo slo, List<Long> seeds, long floor, Map<String, Long> caps, Long atJobsPerDay, List<Finding> findings) {
      this(searched, slo, seeds, floor, caps, atJobsPerDay, findings, null);
    }

    public Finding finding(String architecture) {
      return findings.stream().filter(f -> f.architecture().equals(architecture)).findFirst()
          .orElseThrow(() -> new IllegalArgumentException("no capacity finding for " + architecture));
    }

    public boolean covers(String architecture) {
      return findings.stream().anyMatch(f -> f.architecture().equals(architecture));
    }

    /** How the search was made, for the report's top level. */
    public Map<String, Object> methodJson() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("searched", searched == Searched.LOAD
          ? budgetPerMonth == null ? "the largest jobs/day each architecture sustains at the scenario's capacity"
              : "the largest jobs/day each architecture sustains within the monthly budget: at each load, the write capacity what the"
                  + " budget leaves after that load's storage and the stream buys, the run's own cost at most the budget"
          : "the smallest capacity each architecture needs at " + atJobsPerDay + " jobs/day");
      if (budgetPerMonth != null) {
        m.put("budgetPerMonth", budgetPerMonth);
      }
      m.put("slo", slo.toJson());
      m.put("seeds", seeds);
      m.put("resolution", RESOLUTION);
      m.put("bracket", searched == Searched.LOAD
          ? "first seed: from the scenario's load, doubling or halving; later seeds: from the first seed's finding in steps of 10 %"
          : "first seed: from the planner's write units (rows/s: the scenario's ceiling), doubling or halving; later seeds: from the first"
              + " seed's finding in steps of 10 %");
      m.put(searched == Searched.LOAD ? "loadScaling" : "capacity", searched == Searched.LOAD
          ? "jobsPerDay and every burst scaled by the same factor; the offered load counts the bursts"
          : "provisioned write units without auto-scaling (spillway's consumers share them); legacy-rdbms: writeRowsPerSecond");
      m.put("lowerBound", floor);
      m.put("upperBound", caps);
      return m;
    }

    /** One architecture's fields: median, range and each seed's probes. */
    public Map<String, Object> architectureJson(String architecture) {
      Finding f = finding(architecture);
      boolean load = searched == Searched.LOAD;
      Map<String, Object> m = new LinkedHashMap<>();
      m.put(load ? "sustainableJobsPerDay" : "cheapestCapacity", f.median());
      m.put(load ? "sustainableJobsPerDayRange" : "cheapestCapacityRange", f.range());
      if (!load) {
        m.put("capacityUnit", architecture.equals("legacy-rdbms") ? "rows/s" : "WCU");
        List<Long> costs = f.seeds().stream().map(s -> {
          Probe p = s.atValue();
          return p == null || p.monthlyCost() == null ? null : Math.round(p.monthlyCost() * 100);
        }).toList();
        Number medianCents = median(costs);
        List<Long> rangeCents = range(costs);
        m.put("monthlyCost", medianCents == null ? null : ArchitectureResult.round(medianCents.doubleValue() / 100, 2));
        m.put("monthlyCostRange", rangeCents.stream().map(c -> c == null ? null : ArchitectureResult.round(c / 100.0, 2)).toList());
      }
      m.put("atUpperBound", f.anyAt(Limit.MET_AT_BOUND));
      List<Object> bySeed = new ArrayList<>();
      for (SeedFinding s : f.seeds()) {
        Map<String, Object> one = new LinkedHashMap<>();
        one.put("seed", s.seed());
        one.put(load ? "sustainableJobsPerDay" : "cheapestCapacity", s.value());
        one.put("limit", switch (s.limit()) {
          case FOUND -> "found";
          case MET_AT_BOUND -> load ? "met at the upper bound, not probed higher" : "met at the lower bound";
          case NOT_MET_WITHIN_BOUNDS -> load ? "not met at the lower bound" : "not met at the upper bound";
        });
        one.put("probes", s.probes().stream().map(p -> p.toJson(load ? "jobsPerDay" : "capacity")).toList());
        bySeed.add(one);
      }
      m.put("bySeed", bySeed);
      return m;
    }
  }

  /** Hears each seed's finding as it is made (from the search's threads). */
  @FunctionalInterface
  public interface Listener {
    void found(String architecture, SeedFinding finding);

    static Listener silent() {
      return (a, f) -> {};
    }
  }

  /** The load the scenario offers a day: its jobs a day and its bursts, spread over its days. */
  public static double offeredJobsPerDay(Scenario s) {
    double bursts = s.workload.bursts.stream().mapToLong(b -> b.jobs).sum();
    return s.workload.jobsPerDay + bursts / s.days;
  }

  /**
   * The largest jobs a day each architecture sustains under the level at the scenario's capacity.
   * {@code known} holds results the caller already has for the scenario itself (its seed, its
   * load): they stand for the first probe.
   */
  public static Result sustainableLoad(Scenario scenario, List<String> architectures, Settings settings,
      Map<String, ArchitectureResult> known, Listener listener) {
    return loadSearch(scenario, architectures, settings, known, null, listener);
  }

  /**
   * The largest jobs a day each architecture sustains under the level within {@code budgetPerMonth}
   * (USD): at each load probed, the fixed provisioned write capacity the budget buys after that
   * load's storage and the stream ({@link #withinBudget}); a probe whose run costs more than the
   * budget misses.
   */
  public static Result sustainableLoadWithin(Scenario scenario, List<String> architectures, double budgetPerMonth, Settings settings,
      Listener listener) {
    if (!(budgetPerMonth > 0)) {
      throw new InvalidFieldException("budget", budgetPerMonth, "> 0 USD a month");
    }
    return loadSearch(scenario, architectures, settings, Map.of(), budgetPerMonth, listener);
  }

  private static Result loadSearch(Scenario scenario, List<String> architectures, Settings settings,
      Map<String, ArchitectureResult> known, Double budget, Listener listener) {
    Scenario base = copy(scenario.validate());
    double offered = offeredJobsPerDay(base);
    if (!(offered >= 1)) {
      throw new InvalidFieldException("workload.jobsPerDay", offered, "at least 1 job a day offered (jobsPerDay and bursts) for a load search");
    }
    long start = Math.round(offered);
    long cap = settings.upTo() > 0 ? settings.upTo() : Math.round(DEFAULT_LOAD_CAP_FACTOR * offered);
    cap = Math.max(start, Math.min(cap, 100_000));
    long floor = 1;
    Map<String, Long> caps = new LinkedHashMap<>();
    for (String a : architectures) caps.put(a, cap);
    long upper = cap;
    List<Finding> findings = run(architectures, base.seed, settings, a -> start, a -> upper, floor, true, (arch, seed, load) -> {
      ArchitectureResult prior = known.get(arch);
      if (prior != null && seed == base.seed && load == offered) {
        return judge(prior, load, prior.jobsArrivedCount(), settings.slo(), null);
      }
      Scenario s = atLoad(base, load);
      s.seed = seed;
      if (budget == null) {
        return probe(s.validate(), arch, load, settings.slo());
      }
      Bought bought = withinBudget(s.validate(), arch, budget);
      if (bought.scenario() == null) {
        return new Probe(load, JobSchedule.draw(s, Simulation.START).size(), false, null, null, bought.why());
      }
      Probe p = probe(bought.scenario().validate(), arch, load, settings.slo());
      if (p.meets() && p.monthlyCost() != null && p.monthlyCost() > budget) {
        return new Probe(p.value(), p.jobs(), false, p.p99Seconds(), p.monthlyCost(),
            String.format(java.util.Locale.ROOT, "costs $%,.0f a month, past the $%,.0f budget", p.monthlyCost(), budget));
      }
      return p;
    }, listener);
    return new Result(Searched.LOAD, settings.slo(), seeds(base.seed, settings.seeds()), floor, caps, null, findings, budget);
  }

  /** The share of a budget {@link #withinBudget} holds back from the write capacity it buys. */
  static final double BUDGET_RESERVE = 0.001;

  /** What a budget buys for one architecture at one load: the scenario with that capacity, or null and why it buys none. */
  record Bought(Scenario scenario, String why) {}

  /**
   * The capacity {@code budget} (USD a month) buys for {@code architecture} on {@code s}'s jobs:
   * the legacy primary if the budget covers its instance; for the DynamoDB designs, what is left
   * after the month's storage of these jobs (their stored bytes at the storage price) and, for
   * spillway, the stream (its shards, or an on-demand stream's hours and GB), spent on fixed
   * provisioned write units at the WCU-hour price.
   */
  static Bought withinBudget(Scenario s, String architecture, double budget) {
    Scenario.Prices p = s.prices;
    if (architecture.equals("legacy-rdbms")) {
      return budget >= p.rdbmsInstanceMonth ? new Bought(s, null)
          : new Bought(null, String.format(java.util.Locale.ROOT, "the primary's $%,.0f a month is past the $%,.0f budget", p.rdbmsInstanceMonth, budget));
    }
    List<JobSchedule.Planned> jobs = JobSchedule.draw(s, Simulation.START);
    double stored = 0;
    long putUnits = 0;
    for (JobSchedule.Planned j : jobs) {
      stored += architecture.equals("item-per-event") ? (double) j.events() * (j.spec().eventBytes + ItemPerEventRun.ITEM_OVERHEAD_BYTES) : j.storedBytes();
      putUnits += CohortRun.putPayloadUnits(j);
    }
    double storage = stored / 1e9 * (30 / s.days) * p.dynamoStorageGbMonth;
    double stream = 0;
    if (architecture.equals("spillway")) {
      java.util.Map<String, Double> cost = new LinkedHashMap<>();
      double toMonth = 30 / ((s.days * 24 + s.drainHours) / 24);
      if (s.stream.onDemandMode()) {
        StreamCosts.onDemand(cost, s, (long) stored, (long) stored, toMonth);
      } else {
        StreamCosts.provisioned(cost, s, putUnits, toMonth);
      }
      for (double c : cost.values()) stream += c;
    }
    // a thousandth of the budget held back: the run's own chunk boundaries and retries move its bill by a little
    double reads = s.table.readUnits * p.dynamoRcuHour * 24 * 30;
    double left = budget * (1 - BUDGET_RESERVE) - storage - stream - reads;
    // a table takes at most what a scenario may ask of it (quota increases included)
    long units = (long) Math.min(10_000_000, Math.floor(left / (p.dynamoWcuHour * 24 * 30)));
    if (units < 1) {
      return new Bought(null, String.format(java.util.Locale.ROOT, "the budget leaves no write capacity: storage $%,.0f and stream $%,.0f a month of $%,.0f",
          storage, stream, budget));
    }
    return new Bought(withCapacity(s, architecture, units), null);
  }

  /**
   * The smallest capacity each architecture needs to meet the level at {@code jobsPerDay}: fixed
   * provisioned write units for the DynamoDB designs (spillway's consumers share them, as the
   * planner splits them), the primary's rows a second for legacy-rdbms.
   */
  public static Result cheapestCapacity(Scenario scenario, List<String> architectures, long jobsPerDay, Settings settings,
      Listener listener) {
    Scenario base = atLoad(copy(scenario.validate()), jobsPerDay).validate();
    long plannedUnits = Math.round(Planner.plan(copy(base)).writeUnits());
    Map<String, Long> starts = new LinkedHashMap<>();
    Map<String, Long> caps = new LinkedHashMap<>();
    for (String a : architectures) {
      long from = a.equals("legacy-rdbms") ? Math.round(base.legacy.writeRowsPerSecond) : plannedUnits;
      long most = a.equals("legacy-rdbms") ? 1_000_000 : 10_000_000;
      long cap = settings.upTo() > 0 ? settings.upTo() : (long) Math.min(most, from * CAPACITY_CAP_FACTOR);
      starts.put(a, from);
      caps.put(a, Math.max(from, Math.min(cap, most)));
    }
    List<Finding> findings = run(architectures, base.seed, settings, starts::get, caps::get, 1, false, (arch, seed, capacity) -> {
      Scenario s = withCapacity(copy(base), arch, capacity);
      s.seed = seed;
      return probe(s.validate(), arch, capacity, settings.slo());
    }, listener);
    return new Result(Searched.CAPACITY, settings.slo(), seeds(base.seed, settings.seeds()), 1, caps, jobsPerDay, findings);
  }

  /**
   * The scenario scaled to offer {@code jobsPerDay}: every burst scaled by the same factor (rounded
   * to whole jobs) and the jobs a day making up the rest, so the day holds that many jobs exactly.
   */
  static Scenario atLoad(Scenario base, long jobsPerDay) {
    Scenario s = copy(base);
    double factor = jobsPerDay / offeredJobsPerDay(base);
    long bursts = 0;
    for (Scenario.Burst b : s.workload.bursts) {
      b.jobs = (int) Math.round(b.jobs * factor);
      bursts += b.jobs;
    }
    s.workload.jobsPerDay = Math.max(0, jobsPerDay - bursts / s.days);
    return s;
  }

  /** The scenario with {@code capacity} as its fixed write capacity for {@code architecture}. */
  static Scenario withCapacity(Scenario s, String architecture, long capacity) {
    if (architecture.equals("legacy-rdbms")) {
      s.legacy.writeRowsPerSecond = capacity;
    } else {
      s.table.mode = "provisioned";
      s.table.writeUnits = capacity;
      // a search asks what capacity it takes; past the table's quota that takes an increase, which the report lists
      s.table.quotaWriteUnits = Math.max(s.table.quotaWriteUnits, capacity);
      s.table.autoScaling = null;
      s.consumers.writeUnitsPerSecondPerWorker = Math.ceil((double) capacity / s.consumers.workers);
    }
    return s;
  }

  /** One run of {@code architecture} on {@code s}, settled early if it certainly misses the level. */
  static Probe probe(Scenario s, String architecture, long value, Slo slo) {
    Simulation simulation = new Simulation(s);
    ArchitectureRun run = simulation.newRun(architecture);
    SloWatch watch = new SloWatch(slo, simulation.schedule(), run.start, run.end);
    run.watchSlo = watch;
    ArchitectureResult r = run.run(Progress.silent());
    return judge(r, value, simulation.schedule().size(), slo, watch.reason());
  }

  private static Probe judge(ArchitectureResult r, long value, int jobs, Slo slo, String stopped) {
    if (stopped != null) {
      return new Probe(value, jobs, false, null, null, stopped);
    }
    String problem = slo.problem(r);
    Double p99 = r.jobsCompleted() == 0 ? null : r.availabilityPercentile(99);
    return new Probe(value, jobs, problem == null, p99, r.monthlyCost(), problem == null ? "meets" : problem);
  }

  /** Runs one architecture's search for one seed. */
  @FunctionalInterface
  private interface Trial {
    Probe at(String architecture, long seed, long value);
  }

  private static List<Finding> run(List<String> architectures, long firstSeed, Settings settings, ToLongFunction<String> start,
      ToLongFunction<String> cap, long floor, boolean harderUp, Trial trial, Listener listener) {
    ExecutorService pool = Executors.newFixedThreadPool(Math.min(settings.threads(), architectures.size() * settings.seeds()), r -> {
      Thread t = new Thread(r, "capacity-search");
      t.setDaemon(true);
      return t;
    });
    try {
      List<List<CompletableFuture<SeedFinding>>> all = new ArrayList<>();
      for (String arch : architectures) {
        CompletableFuture<SeedFinding> first = CompletableFuture.supplyAsync(() -> one(arch, firstSeed, start.applyAsLong(arch),
            FIRST_FACTOR, floor, cap.applyAsLong(arch), harderUp, trial, listener), pool);
        List<CompletableFuture<SeedFinding>> seeds = new ArrayList<>(List.of(first));
        for (int k = 1; k < settings.seeds(); k++) {
          long seed = firstSeed + k;
          seeds.add(first.thenApplyAsync(f -> {
            long from = f.value() != null ? f.value() : harderUp ? floor : cap.applyAsLong(arch);
            return one(arch, seed, from, LATER_FACTOR, floor, cap.applyAsLong(arch), harderUp, trial, listener);
          }, pool));
        }
        all.add(seeds);
      }
      List<Finding> findings = new ArrayList<>();
      for (int i = 0; i < architectures.size(); i++) {
        findings.add(new Finding(architectures.get(i), all.get(i).stream().map(CompletableFuture::join).toList()));
      }
      return findings;
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException r) throw r;
      throw e;
    } finally {
      pool.shutdownNow();
    }
  }

  private static SeedFinding one(String arch, long seed, long start, double factor, long floor, long cap, boolean harderUp, Trial trial,
      Listener listener) {
    BoundarySearch.Outcome o = BoundarySearch.search(start, factor, floor, cap, RESOLUTION, harderUp, v -> trial.at(arch, seed, v));
    // not one conditional expression: with a long operand it would unbox the null
    Long value = null;
    if (o.value() >= 0) {
      value = o.value();
    } else if (harderUp) {
      value = 0L;
    }
    SeedFinding f = new SeedFinding(seed, value, o.limit(), o.probes());
    listener.found(arch, f);
    return f;
  }

  private static List<Long> seeds(long first, int n) {
    List<Long> seeds = new ArrayList<>();
    for (int k = 0; k < n; k++) seeds.add(first + k);
    return seeds;
  }

  /** The middle value (the mean of the two middle ones for an even count); null counts as above every value. */
  static Number median(List<Long> values) {
    if (values.isEmpty()) return null;
    List<Long> sorted = sorted(values);
    int n = sorted.size();
    if (n % 2 == 1) return sorted.get(n / 2);
    Long a = sorted.get(n / 2 - 1);
    Long b = sorted.get(n / 2);
    if (a == null || b == null) return null;
    if ((a + b) % 2 == 0) return Long.valueOf((a + b) / 2); // not a conditional expression: it would promote the long to double
    return Double.valueOf((a + b) / 2.0);
  }

  /** [min, max]; null counts as above every value. */
  static List<Long> range(List<Long> values) {
    if (values.isEmpty()) return java.util.Arrays.asList(null, null);
    List<Long> sorted = sorted(values);
    return java.util.Arrays.asList(sorted.get(0), sorted.get(sorted.size() - 1));
  }

  private static List<Long> sorted(List<Long> values) {
    List<Long> sorted = new ArrayList<>(values);
    sorted.sort((a, b) -> a == null ? (b == null ? 0 : 1) : b == null ? -1 : Long.compare(a, b));
    return sorted;
  }

  static Scenario copy(Scenario s) {
    return COPY.convertValue(s, Scenario.class);
  }
}
