package io.spillway.archfixture.bootstrap.cli;

/** A command of the command line: it may see everything. */
public final class FixtureCommand {
  public String name() {
    return "fixture";
  }
}
