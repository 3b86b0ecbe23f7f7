package io.spillway.bootstrap.cli;

import io.spillway.bootstrap.pipeline.PipelineRun;
import java.util.LinkedHashMap;
import java.util.Map;

/** The run summary every pipeline command prints, as text or one JSON object. */
final class Summary {
  private Summary() {}

  static Map<String, Object> of(PipelineRun.Report r) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("jobs", r.jobs());
    out.put("jobsAvailable", r.jobsAvailable());
    out.put("eventsProduced", r.eventsProduced());
    out.put("eventsReadBack", r.eventsReadBack());
    out.put("eventsLost", r.eventsLost());
    out.put("duplicatesStored", r.duplicatesStored());
    out.put("duplicateDeliveries", r.duplicateDeliveries());
    out.put("deadLettered", r.deadLettered());
    out.put("chunks", r.chunks());
    out.put("fillRatio", Json.num(r.fillRatio(), 4));
    out.put("wcuConsumed", Json.num(r.wcuConsumed(), 1));
    out.put("wcuItemPerEvent", r.wcuItemPerEvent());
    out.put("wcuSavedRatio", Json.num(r.wcuItemPerEvent() / Math.max(1, r.wcuConsumed()), 1));
    out.put("availabilityP50Millis", Json.num(r.availabilityP50Millis(), 0));
    out.put("availabilityP99Millis", Json.num(r.availabilityP99Millis(), 0));
    out.put("readBackVerified", r.readBackVerified());
    out.put("wallMillis", r.millisToAvailable() + r.millisToReadBack());
    return out;
  }

  /** Prints the summary; returns the exit code (0 only when every job is AVAILABLE and verified, nothing lost). */
  static int print(PipelineRun.Report r, boolean json, String header) {
    Map<String, Object> out = of(r);
    if (json) {
      System.out.println(Json.of(out));
    } else {
      System.out.println(header);
      out.forEach((k, v) -> System.out.printf("  %-22s %s%n", k, v));
    }
    boolean ok = r.jobsAvailable() == r.jobs() && r.readBackVerified() && r.eventsLost() == 0 && r.duplicatesStored() == 0;
    return ok ? 0 : 1;
  }
}
