package io.spillway.bootstrap.cli;

import io.spillway.bootstrap.simulation.ArchitectureResult;
import io.spillway.bootstrap.simulation.Planner;
import io.spillway.bootstrap.simulation.Scenario;
import io.spillway.bootstrap.simulation.ScenarioLoader;
import io.spillway.bootstrap.simulation.Simulation;
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
        "the monthly cost at the scenario's price table. --verify simulates the plan and says whether it holds."})
public final class PlanCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--scenario", defaultValue = "seed-case-study", paramLabel = "FILE|NAME",
      description = "the workload: a scenario file or a shipped scenario (default ${DEFAULT-VALUE})")
  String scenario;

  @Option(names = "--verify", description = "simulate the plan (spillway architecture) and report whether it holds")
  boolean verify;

  @Option(names = "--json", description = "print one JSON object")
  boolean json;

  @Override
  public Integer call() {
    SimulateCommand.quietServices();
    Scenario s = SimulateCommand.load(spec, "--scenario", scenario);
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
    }
    return holds ? 0 : 1;
  }
}
