package io.spillway.bootstrap.simulation;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs a scenario through the four architectures, each on its own virtual clock, store and (for
 * Spillway) stream, all meeting the same jobs: one row per event on a relational primary (the
 * legacy baseline), one item per event straight to DynamoDB, chunks straight to DynamoDB, and
 * chunks through the stream.
 */
public final class Simulation {
  /** Simulated time starts here (a Monday, so business hours are what they say). */
  public static final Instant START = Instant.parse("2026-01-05T00:00:00Z");
  public static final List<String> ARCHITECTURES = List.of("legacy-rdbms", "item-per-event", "direct-chunked", "spillway");

  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private final Scenario scenario;
  private final List<JobSchedule.Planned> schedule;

  public Simulation(Scenario scenario) {
    this.scenario = scenario.validate();
    this.schedule = JobSchedule.draw(scenario, START);
  }

  /**
   * The result of a run: one entry per architecture, in {@link #ARCHITECTURES} order, and the
   * capacity search's findings when one was made (null otherwise).
   */
  public record Report(Scenario scenario, int jobsScheduled, List<ArchitectureResult> architectures, CapacitySearch.Result capacity) {
    public Report(Scenario scenario, int jobsScheduled, List<ArchitectureResult> architectures) {
      this(scenario, jobsScheduled, architectures, null);
    }

    /** This report with a load search's findings beside each architecture's fields. */
    public Report withCapacity(CapacitySearch.Result found) {
      return new Report(scenario, jobsScheduled, architectures, found);
    }

    public ArchitectureResult architecture(String name) {
      return architectures.stream().filter(a -> a.name.equals(name)).findFirst()
          .orElseThrow(() -> new IllegalArgumentException("no architecture " + name + " in this report"));
    }

    public Map<String, Object> toJson() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("scenario", scenario.name);
      m.put("seed", scenario.seed);
      m.put("simulatedDays", scenario.days);
      m.put("drainHours", scenario.drainHours);
      m.put("jobsScheduled", jobsScheduled);
      m.put("availabilityTargetSeconds", scenario.availabilityTargetSeconds);
      List<Object> list = new ArrayList<>();
      if (capacity != null) {
        m.put("capacitySearch", capacity.methodJson());
      }
      for (ArchitectureResult a : architectures) {
        Map<String, Object> fields = a.toJson(scenario.days, scenario.availabilityTargetSeconds, START);
        fields.put("quotaIncreases", Quotas.needed(scenario, a).stream().map(Quotas.Increase::toJson).toList());
        list.add(capacity != null && capacity.covers(a.name) ? withCapacity(fields, capacity.architectureJson(a.name)) : fields);
      }
      m.put("architectures", list);
      return m;
    }

    /** The headline fields after jobsPerDay (what the architecture did beside what it sustains), the search's detail last. */
    private static Map<String, Object> withCapacity(Map<String, Object> fields, Map<String, Object> found) {
      Map<String, Object> m = new LinkedHashMap<>();
      Map<String, Object> detail = new LinkedHashMap<>(found);
      fields.forEach((k, v) -> {
        m.put(k, v);
        if (k.equals("jobsPerDay")) {
          m.put("sustainableJobsPerDay", detail.remove("sustainableJobsPerDay"));
          m.put("sustainableJobsPerDayRange", detail.remove("sustainableJobsPerDayRange"));
        }
      });
      m.put("capacitySearch", detail);
      return m;
    }

    public String json() {
      try {
        return JSON.writeValueAsString(toJson());
      } catch (JsonProcessingException e) {
        throw new IllegalStateException(e);
      }
    }
  }

  public Report run(Progress progress) {
    return run(ARCHITECTURES, progress);
  }

  public Report run(List<String> architectures, Progress progress) {
    List<ArchitectureResult> results = new ArrayList<>();
    for (String name : architectures) {
      results.add(newRun(name).run(progress));
    }
    return new Report(scenario, schedule.size(), results);
  }

  ArchitectureRun newRun(String name) {
    return switch (name) {
      case "legacy-rdbms" -> new LegacyRdbmsRun(scenario, schedule, START);
      case "item-per-event" -> new ItemPerEventRun(scenario, schedule, START);
      case "direct-chunked" -> scenario.cohorts() ? new CohortRun(false, scenario, schedule, START) : new ChunkedRun(false, scenario, schedule, START);
      case "spillway" -> scenario.cohorts() ? new CohortRun(true, scenario, schedule, START) : new ChunkedRun(true, scenario, schedule, START);
      default -> throw new io.spillway.domain.InvalidFieldException("architecture", name, "one of " + ARCHITECTURES);
    };
  }

  /** The jobs this simulation's architectures meet. */
  List<JobSchedule.Planned> schedule() {
    return schedule;
  }
}
