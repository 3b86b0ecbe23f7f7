package io.spillway.archfixture.bootstrap.wiring;

import io.spillway.archfixture.bootstrap.cli.FixtureCommand;

/** Planted: runtime wiring that reaches for a command, dragging the command line into every embedding service. */
public final class CliAwareWiring {
  public String wiredFor() {
    return new FixtureCommand().name();
  }
}
