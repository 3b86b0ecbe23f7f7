package io.spillway.bootstrap.cli;

import io.spillway.domain.InvalidFieldException;

/** Checks of command-line values, failing the way every other invalid input fails. */
final class Options {
  private Options() {}

  static void atLeast(String option, long value, long min) {
    if (value < min) {
      throw new InvalidFieldException(option, value, "at least " + min);
    }
  }
}
