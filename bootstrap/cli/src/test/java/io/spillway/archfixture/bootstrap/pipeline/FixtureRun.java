package io.spillway.archfixture.bootstrap.pipeline;

import io.spillway.archfixture.bootstrap.local.FixtureStandIns;

/** The command line's demo run: part of the command line. */
public final class FixtureRun {
  public String describe() {
    return "run on " + new FixtureStandIns().describe();
  }
}
