package io.spillway.bootstrap.simulation;

/** Hears the simulated time now and then (each simulated hour), for a progress line on long runs. */
@FunctionalInterface
public interface Progress {
  void at(String architecture, long simulatedSeconds, long totalSeconds);

  static Progress silent() {
    return (a, s, t) -> {};
  }
}
