package io.spillway.archfixture.bootstrap.local;

import io.spillway.archfixture.bootstrap.cli.FixtureCommand;

/** The command line's stand-ins harness: part of the command line, so it may use a command. */
public final class FixtureStandIns {
  public String describe() {
    return new FixtureCommand().name() + " stand-ins";
  }
}
