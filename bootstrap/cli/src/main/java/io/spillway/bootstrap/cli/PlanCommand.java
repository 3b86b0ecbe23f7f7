package io.spillway.bootstrap.cli;

import io.spillway.bootstrap.simulation.ArchitectureResult;
import io.spillway.bootstrap.simulation.CapacitySearch;
import io.spillway.bootstrap.simulation.Planner;
import io.spillway.bootstrap.simulation.Scenario;
import io.spillway.bootstrap.simulation.ScenarioLoader;
import io.spillway.bootstrap.simulation.Simulation;
import io.spillway.bootstrap.simulation.Slo;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Sizes shards, write capacity, buckets and retention for a workload, and optionally simulates the plan. */
@Command(name = "plan", mixinStandardHelpOptions = true,
    description = {"Plan capacity for a scenario's workload: shards, write units, workers, buckets per job, retention and",
        "the monthly cost at the scenario's price table. --verify simulates the plan and says whether it holds;",
        "--cheapest searches, by simulation over several seeds, the smallest capacity each architecture needs."})
public final class PlanCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--scenario", defaultValue = "seed-case-study", paramLabel = "FILE|NAME",
      description = "the workload: a scenario file or a shipped scenario (default ${DEFAULT-VALUE})")
  String scenario;

  @Option(names = "--verify", description = "simulate the plan (spillway architecture) and report whether it holds")
  boolean verify;

  @Option(names = "--json", description = "print one JSON object")
  boolean json;

  @Option(names = "--cheapest", description = {"search, by simulation, the smallest fixed capacity each architecture needs to meet the SLO",
      "at the scenario's load (or --jobs-per-day): provisioned write units, rows/s for legacy-rdbms; over --seeds seeds"})
  boolean cheapest;

  @Option(names = "--jobs-per-day", paramLabel = "N", description = "the load --cheapest sizes for (default: the scenario's, bursts included)")
  Long jobsPerDay;

  @Option(names = "--architecture", paramLabel = "NAME", description = "--cheapest for only these (default: all four)")
  List<String> architectures = Simulation.ARCHITECTURES;

  @Option(names = "--seeds", paramLabel = "N", description = "seeds for --cheapest: the scenario's seed and the next N-1 (default 5)")
  int seeds = CapacitySearch.DEFAULT_SEEDS;

  /** The smallest capacity per architecture at {@code load}, over the seeds. */
  private CapacitySearch.Result searchCheapest(Scenario s, long load) {
    int threads = Runtime.getRuntime().availableProcessors();
    long began = System.nanoTime();
    System.err.printf(Locale.ROOT, "[plan --cheapest] searching the smallest capacity at %d jobs/day: %d architecture(s) x %d seed(s) on %d thread(s)%n",
        load, architectures.size(), seeds, threads);
    CapacitySearch.Result found = CapacitySearch.cheapestCapacity(s, architectures, load,
        new CapacitySearch.Settings(seeds, threads, Slo.of(s), 0), (arch, f) -> System.err.printf(Locale.ROOT,
            "[plan --cheapest] %-15s seed %d: %s (%s, %d probes) at %.0f s%n", arch, f.seed(), f.value(), f.limit(), f.probes().size(),
            (System.nanoTime() - began) / 1e9));
    System.err.printf(Locale.ROOT, "[plan --cheapest] %.1f s wall for the search%n", (System.nanoTime() - began) / 1e9);
    return found;
  }

  @Override
  public Integer call() {
    SimulateCommand.quietServices();
    for (String a : architectures) {
      if (!Simulation.ARCHITECTURES.contains(a)) {
        throw Options.refuse(spec, "--architecture", a, "one of " + Simulation.ARCHITECTURES);
      }
    }
    Options.range(spec, "--seeds", seeds, 1, 100);
    if (jobsPerDay != null) {
      Options.range(spec, "--jobs-per-day", jobsPerDay, 1, 100_000);
    }
    Scenario s = SimulateCommand.load(spec, "--scenario", scenario);
    long load = jobsPerDay != null ? jobsPerDay : Math.round(CapacitySearch.offeredJobsPerDay(s));
    if (cheapest && load < 1) {
      throw Options.refuse(spec, "--scenario", scenario, "a workload of at least 1 job/day for --cheapest (or give --jobs-per-day)");
    }
    Planner.Plan plan = Planner.plan(s);
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("scenario", s.name);
    out.put("plan", plan.toJson());
    boolean holds = true;
    if (verify) {
      Scenario planned = plan.applyTo(ScenarioLoader.load(scenario));
      Simulation.Report r = new Simulation(planned).run(List.of("spillway"), (a, at, total) ->
          System.err.printf(Locale.ROOT, "[plan --verify] %.1f of %.1f simulated hours%n", at / 3600.0, total / 3600.0));
      ArchitectureResult a = r.architecture("spillway");
      Map<String, Object> j = a.toJsonView(planned);
      double p99 = a.availabilityPercentile(99);
      holds = a.eventsLost() == 0 && p99 <= planned.availabilityTargetSeconds && ((Number) j.get("jobsUnfinished")).intValue() == 0;
      Map<String, Object> v = new LinkedHashMap<>();
      v.put("holds", holds);
      v.put("eventsLost", a.eventsLost());
      v.put("availabilityP99Seconds", j.get("availabilityP99Seconds"));
      v.put("availabilityTargetSeconds", planned.availabilityTargetSeconds);
      v.put("jobsCompleted", a.jobsCompleted());
      v.put("jobsUnfinished", j.get("jobsUnfinished"));
      v.put("maxIteratorAgeSeconds", j.get("maxIteratorAgeSeconds"));
      out.put("verification", v);
    }
    CapacitySearch.Result found = null;
    if (cheapest) {
      found = searchCheapest(s, load);
      Map<String, Object> c = new LinkedHashMap<>(found.methodJson());
      List<Object> list = new java.util.ArrayList<>();
      for (String a : architectures) {
        Map<String, Object> one = new LinkedHashMap<>();
        one.put("name", a);
        one.putAll(found.architectureJson(a));
        list.add(one);
      }
      c.put("architectures", list);
      out.put("cheapest", c);
    }
    if (json) {
      System.out.println(Json.of(out));
    } else {
      Map<String, Object> p = plan.toJson();
      System.out.printf(Locale.ROOT, "Plan for %s (%.2f GB stored a day; busiest 5 min %.0f KB/s, busiest hour %.0f KB/s)%n", s.name,
          plan.storedBytesPerDay() / 1e9, plan.peakFiveMinuteBytesPerSecond() / 1e3, plan.peakHourBytesPerSecond() / 1e3);
      System.out.printf(Locale.ROOT, "  shards %d, retention %.0f h%n  table: %.0f provisioned write units; %d worker(s) at %s WCU/s each%n"
          + "  buckets per job: %d%n  monthly cost: $%.2f %s%n", plan.shards(), plan.retentionHours(), plan.writeUnits(), plan.workers(),
          p.get("writeUnitsPerSecondPerWorker"), plan.bucketsPerJob(), plan.monthlyCost().get("total"), p.get("monthlyCost"));
      if (verify) {
        System.out.println("  verification: " + out.get("verification"));
      }
      if (found != null) {
        System.out.println();
        SimulateCommand.printFindings(found, "the smallest fixed capacity at " + load + " jobs/day (WCU; rows/s for legacy-rdbms)", "");
        for (String a : architectures) {
          Map<String, Object> j = found.architectureJson(a);
          System.out.printf(Locale.ROOT, "%-15s monthly cost at that capacity: median $%s, range %s%n", a, j.get("monthlyCost"), j.get("monthlyCostRange"));
        }
      }
    }
    return holds ? 0 : 1;
  }
}
