package io.spillway.application.port.in;

/** What happened to one appended event. */
public enum AppendOutcome {
  ACCEPTED,
  /** Its sequence was accepted before (a producer retry): ignored, counted, not an error. */
  DUPLICATE
}
