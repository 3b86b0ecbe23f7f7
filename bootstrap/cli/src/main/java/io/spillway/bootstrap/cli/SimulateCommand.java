package io.spillway.bootstrap.cli;

import io.spillway.bootstrap.simulation.ArchitectureResult;
import io.spillway.bootstrap.simulation.CapacitySearch;
import io.spillway.bootstrap.simulation.ReportFiles;
import io.spillway.bootstrap.simulation.Quotas;
import io.spillway.bootstrap.simulation.Scenario;
import io.spillway.bootstrap.simulation.ScenarioLoader;
import io.spillway.bootstrap.simulation.Simulation;
import io.spillway.bootstrap.simulation.Slo;
import io.spillway.domain.InvalidFieldException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Runs a scenario through the four architectures on a virtual clock and prints what each did. */
@Command(name = "simulate", mixinStandardHelpOptions = true,
    description = {"Simulate a workload offline (a day of jobs in seconds) through four architectures: legacy-rdbms,",
        "item-per-event, direct-chunked and spillway, on Spillway's own services and the in-memory adapters' AWS limits."})
public final class SimulateCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--scenario", required = true, paramLabel = "FILE|NAME",
      description = "a scenario file (YAML or JSON) or a shipped one: seed-case-study, retention-expiry, producer-overload")
  String scenario;

  @Option(names = "--json", description = "print one JSON object")
  boolean json;

  @Option(names = "--out", paramLabel = "DIR", description = "write timeline.csv, charts (PNG) and index.html here")
  Path out;

  @Option(names = "--seed", description = "override the scenario's seed")
  Long seed;

  @Option(names = "--days", description = "override the scenario's simulated days")
  Double days;

  @Option(names = "--fault", paramLabel = "TYPE@HOUR+MINUTES[:VALUE]",
      description = {"add a fault, e.g. consumers-down@12+90, throttling-storm@10+30:0.9, put-latency@9+60:2000,",
          "capacity-cut@11+120:200, shard-readers@9+600:5",
          "(VALUE: fraction refused, milliseconds added, write units left, other applications reading every shard)"})
  List<String> faults = List.of();

  @Option(names = "--architecture", paramLabel = "NAME", description = "run only these (default: all four)")
  List<String> architectures = Simulation.ARCHITECTURES;

  @Option(names = "--capacity", negatable = true,
      description = {"also search, by simulation, the largest jobs/day each architecture sustains under the SLO at the scenario's",
          "capacity, over --seeds seeds (default: on for seed-case-study, off otherwise)"})
  Boolean capacity;

  @Option(names = "--seeds", paramLabel = "N", description = "seeds for the capacity search: the scenario's seed and the next N-1 (default 5)")
  int seeds = CapacitySearch.DEFAULT_SEEDS;

  @Option(names = "--budget", paramLabel = "USD",
      description = {"search the largest jobs/day each architecture sustains within this monthly budget (USD): at each load, the fixed",
          "write capacity the budget buys after that load's storage and the stream (implies --capacity)"})
  Double budget;

  @Option(names = "--capacity-up-to", paramLabel = "JOBS_PER_DAY",
      description = "the most jobs/day the capacity search offers (default: 2x the scenario's load)")
  Long upTo;

  @Option(names = "--stall-limit", paramLabel = "SECONDS",
      description = "the capacity search's SLO: no job available later than this past its computation (default 3600)")
  Double stallLimit;

  @Override
  public Integer call() throws Exception {
    quietServices();
    // every flag is checked before the first architecture runs: a bad one found after it would waste its minutes
    for (String a : architectures) {
      if (!Simulation.ARCHITECTURES.contains(a)) {
        throw Options.refuse(spec, "--architecture", a, "one of " + Simulation.ARCHITECTURES);
      }
    }
    List<Scenario.Fault> added = new ArrayList<>();
    for (String f : faults) {
      added.add(parseFault(spec, f));
    }
    if (out != null) {
      writableDirectory(spec, "--out", out);
    }
    Options.range(spec, "--seeds", seeds, 1, 100);
    if (upTo != null) {
      Options.range(spec, "--capacity-up-to", upTo, 1, 100_000);
    }
    if (budget != null) {
      Options.positive(spec, "--budget", budget);
    }
    boolean searching = budget != null || (capacity != null ? capacity : scenario.equals("seed-case-study"));
    Scenario s = load(spec, "--scenario", scenario);
    int fromFile = s.faults.size();
    if (seed != null) s.seed = seed;
    if (days != null) s.days = days;
    s.faults.addAll(added);
    try {
      s.validate();
    } catch (InvalidFieldException e) {
      if (e.field().equals("days") && days != null) {
        throw Options.refuse(spec, "--days", days, "1/24..31 (an hour to 31 days)");
      }
      if (e.field().startsWith("faults[")) {
        int index = Integer.parseInt(e.field().substring("faults[".length(), e.field().indexOf(']')));
        if (index >= fromFile) {
          throw Options.refuse(spec, "--fault", faults.get(index - fromFile), e.field().substring(e.field().indexOf(']') + 2) + " "
              + e.value() + " outside " + e.limit() + (days != null ? " (with --days " + days + ")" : ""));
        }
      }
      throw new Options.Refused(spec, "--scenario " + scenario + (days != null ? " with --days " + days : "") + ": " + e.getMessage());
    }
    Slo slo = searching ? slo(s) : null;
    if (searching && !(CapacitySearch.offeredJobsPerDay(s) >= 1)) {
      throw new Options.Refused(spec, "--capacity: the scenario offers " + CapacitySearch.offeredJobsPerDay(s)
          + " jobs/day; a load search needs at least 1 (workload.jobsPerDay and bursts)");
    }
    long began = System.nanoTime();
    Simulation.Report report = new Simulation(s).run(architectures, (arch, at, total) ->
        System.err.printf(Locale.ROOT, "[simulate] %-15s %5.1f of %.1f simulated hours%n", arch, at / 3600.0, total / 3600.0));
    double wall = (System.nanoTime() - began) / 1e9;
    double simulatedSeconds = (s.days * 24 + s.drainHours) * 3600 * report.architectures().size();
    System.err.printf(Locale.ROOT, "[simulate] %.1f s wall for %d architectures x %.1f h: %.0f simulated seconds per wall second%n",
        wall, report.architectures().size(), s.days * 24 + s.drainHours, simulatedSeconds / wall);
    if (searching) {
      report = report.withCapacity(searchLoad(s, report, slo));
    }
    if (out != null) {
      ReportFiles.write(report, out);
      System.err.println("[simulate] wrote " + out.resolve("index.html"));
    }
    if (json) {
      System.out.println(report.json());
    } else {
      print(report);
    }
    return 0;
  }

  /** The capacity search's SLO: the scenario's target and --stall-limit, refused as the flag's value when out of range. */
  private Slo slo(Scenario s) {
    try {
      return stallLimit == null ? Slo.of(s) : new Slo(s.availabilityTargetSeconds, stallLimit);
    } catch (InvalidFieldException e) {
      throw Options.refuse(spec, "--stall-limit", stallLimit, e.limit());
    }
  }

  /** The largest jobs/day each architecture run sustains, over the seeds, the base run standing for the first probe. */
  private CapacitySearch.Result searchLoad(Scenario s, Simulation.Report report, Slo slo) {
    Map<String, ArchitectureResult> known = new LinkedHashMap<>();
    for (ArchitectureResult a : report.architectures()) known.put(a.name, a);
    int threads = Runtime.getRuntime().availableProcessors();
    long began = System.nanoTime();
    System.err.printf(Locale.ROOT, "[capacity] searching the largest jobs/day under the SLO: %d architecture(s) x %d seed(s) on %d thread(s)%n",
        architectures.size(), seeds, threads);
    CapacitySearch.Settings settings = new CapacitySearch.Settings(seeds, threads, slo, upTo == null ? 0 : upTo);
    CapacitySearch.Listener listener = (arch, f) -> System.err.printf(Locale.ROOT, "[capacity] %-15s seed %d: %s jobs/day (%s, %d probes) at %.0f s%n",
        arch, f.seed(), f.value(), f.limit(), f.probes().size(), (System.nanoTime() - began) / 1e9);
    CapacitySearch.Result found = budget != null ? CapacitySearch.sustainableLoadWithin(s, architectures, budget, settings, listener)
        : CapacitySearch.sustainableLoad(s, architectures, settings, known, listener);
    System.err.printf(Locale.ROOT, "[capacity] %.1f s wall for the search%n", (System.nanoTime() - began) / 1e9);
    return found;
  }

  /** A simulated day logs every job's progress at INFO: keep the services to warnings. */
  static void quietServices() {
    System.setProperty("org.slf4j.simpleLogger.log.io.spillway.application", "warn");
  }

  /** A scenario file or a shipped scenario; one that cannot be read or breaks a limit is refused as {@code option}'s value. */
  static Scenario load(CommandSpec spec, String option, String scenario) {
    try {
      return ScenarioLoader.load(scenario);
    } catch (InvalidFieldException e) {
      if (!Files.isRegularFile(Path.of(scenario))) {
        throw Options.refuse(spec, option, scenario, e.limit());
      }
      throw new Options.Refused(spec, option + " " + scenario + ": " + e.getMessage());
    } catch (UncheckedIOException e) {
      throw new Options.Refused(spec, option + " " + scenario + ": cannot be read (" + e.getCause().getMessage() + ")");
    }
  }

  /** A directory that exists and can be written, or can be created. */
  static void writableDirectory(CommandSpec spec, String option, Path dir) {
    Path existing = dir.toAbsolutePath();
    while (existing != null && !Files.exists(existing)) {
      existing = existing.getParent();
    }
    if (existing == null || !Files.isDirectory(existing) || !Files.isWritable(existing)) {
      throw Options.refuse(spec, option, dir.toString(), existing != null && existing.equals(dir.toAbsolutePath())
          ? "a directory that can be written" : "a directory that can be created (" + existing + " is not a writable directory)");
    }
  }

  static Scenario.Fault parseFault(CommandSpec spec, String text) {
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("([a-z-]+)@([0-9.]+)\\+([0-9.]+)(?::([0-9.]+))?").matcher(text);
    if (!m.matches()) {
      throw Options.refuse(spec, "--fault", text, "TYPE@HOUR+MINUTES[:VALUE], e.g. consumers-down@12+90, TYPE one of " + Scenario.FAULT_TYPES);
    }
    if (!Scenario.FAULT_TYPES.contains(m.group(1))) {
      throw Options.refuse(spec, "--fault", text, "TYPE one of " + Scenario.FAULT_TYPES);
    }
    Scenario.Fault f;
    double v;
    try {
      f = new Scenario.Fault(m.group(1), Double.parseDouble(m.group(2)), Double.parseDouble(m.group(3)));
      v = m.group(4) == null ? Double.NaN : Double.parseDouble(m.group(4));
    } catch (NumberFormatException e) {
      throw Options.refuse(spec, "--fault", text, "numbers for HOUR, MINUTES and VALUE, e.g. throttling-storm@10+30:0.9");
    }
    if (m.group(4) != null) {
      switch (f.type) {
        case "throttling-storm" -> f.fraction = v;
        case "put-latency" -> f.milliseconds = v;
        case "capacity-cut" -> f.writeUnits = v;
        case "shard-readers" -> {
          if (v != Math.rint(v)) {
            throw Options.refuse(spec, "--fault", text, "a whole number of other readers for shard-readers, e.g. shard-readers@9+600:5");
          }
          f.readers = (int) Math.min(Integer.MAX_VALUE, v);
        }
        default -> throw Options.refuse(spec, "--fault", text, "no VALUE for " + f.type);
      }
    }
    return f;
  }

  private static void print(Simulation.Report r) {
    Scenario s = r.scenario();
    System.out.printf(Locale.ROOT, "Scenario %s (seed %d): %d jobs over %.1f day(s), availability target %.0f s%n%n", s.name, s.seed,
        r.jobsScheduled(), s.days, s.availabilityTargetSeconds);
    System.out.printf(Locale.ROOT, "%-15s %9s %9s %9s %9s %10s %12s %12s %13s %10s%n", "architecture", "jobs/day", "p50 s", "p99 s",
        "lost ev", "max age s", "WCU", "buffer max", "cost/month", "lead s");
    for (ArchitectureResult a : r.architectures()) {
      var j = a.toJsonView(s);
      System.out.printf(Locale.ROOT, "%-15s %9s %9s %9s %9s %10s %12s %12s %13s %10s%n", a.name, j.get("jobsPerDay"),
          j.get("availabilityP50Seconds"), j.get("availabilityP99Seconds"), j.get("eventsLost"), orDash(j.get("maxIteratorAgeSeconds")),
          j.get("wcuConsumed"), j.get("maxProducerBufferBytes"), "$" + j.get("cost"), orDash(j.get("alarmLeadTimeSeconds")));
    }
    System.out.println();
    for (ArchitectureResult a : r.architectures()) {
      System.out.printf(Locale.ROOT, "%-15s %s%n", a.name, a.verdict(s));
    }
    for (ArchitectureResult a : r.architectures()) {
      List<Quotas.Increase> needed = Quotas.needed(s, a);
      if (!needed.isEmpty()) {
        System.out.printf(Locale.ROOT, "%-15s quota increases needed: %s%n", a.name,
            needed.stream().map(Quotas.Increase::describe).collect(java.util.stream.Collectors.joining("; ")));
      }
    }
    for (ArchitectureResult a : r.architectures()) {
      if (a.forecastLine() != null) {
        System.out.printf(Locale.ROOT, "%-15s forecast: %s%n", a.name, a.forecastLine());
      }
    }
    if (r.capacity() != null) {
      System.out.println();
      printFindings(r.capacity(), "sustainable jobs/day", "");
    }
  }

  /** The search's findings: median, range and each seed's value; "≥" where a seed met the search's upper bound. */
  static void printFindings(CapacitySearch.Result c, String what, String unit) {
    Slo slo = c.slo();
    if (c.budgetPerMonth() != null) {
      System.out.printf(Locale.ROOT, "Within $%,.0f a month: at each load, the fixed write capacity the budget buys after storage and stream%n",
          c.budgetPerMonth());
    }
    System.out.printf(Locale.ROOT, "Capacity: %s under the SLO (p99 <= %,.0f s, nothing lost, every job done, none later than %,.0f s),"
        + " %d seeds from %d, %.0f %% resolution%n", what, slo.p99Seconds(), slo.stallLimitSeconds(), c.seeds().size(), c.seeds().get(0),
        CapacitySearch.RESOLUTION * 100);
    System.out.printf(Locale.ROOT, "%-15s %12s %17s   %s%n", "architecture", "median" + unit, "range", "by seed");
    for (CapacitySearch.Finding f : c.findings()) {
      List<Long> range = f.range();
      String at = f.anyAt(CapacitySearch.Limit.MET_AT_BOUND) ? " (met at the search's bound on some seed: at least this)"
          : f.anyAt(CapacitySearch.Limit.NOT_MET_WITHIN_BOUNDS) ? " (not met within the search's bounds on some seed)" : "";
      System.out.printf(Locale.ROOT, "%-15s %12s %17s   %s%s%n", f.architecture(), orDash(f.median()),
          orDash(range.get(0)) + "-" + orDash(range.get(1)), f.values().stream().map(v -> String.valueOf(orDash(v))).toList(), at);
    }
  }

  private static Object orDash(Object o) {
    return o == null ? "-" : o;
  }
}
