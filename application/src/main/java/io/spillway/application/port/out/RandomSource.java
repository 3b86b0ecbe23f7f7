package io.spillway.application.port.out;

/** Randomness as a port: seeded in simulations and tests, so a run is reproducible. */
@FunctionalInterface
public interface RandomSource {
  /** A value in [0, 1). */
  double nextUnit();

  /** No randomness: always the middle of the range. */
  static RandomSource none() {
    return () -> 0.5;
  }
}
