package io.spillway.bootstrap.cli;

import io.spillway.bootstrap.Spillway;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * What the operator commands ({@code jobs …}, {@code read}, {@code verify}, {@code dead-letters …})
 * share: the backend options, {@code --json}, and a Spillway opened for the command and released
 * after it, from the command line's {@link Backends} or a test's.
 */
abstract class OperatorCommand implements Callable<Integer>, Backends.Using {
  @Spec CommandSpec spec;

  @Mixin Backends.Selection selection;

  @Option(names = "--json", description = "print one JSON object")
  boolean json;

  Backends backends = Backends.DEFAULT;

  @Override
  public void use(Backends backends) {
    this.backends = backends;
  }

  @Override
  public Integer call() throws Exception {
    try {
      check();
      Spillway spillway = backends.open(spec, selection);
      try {
        return run(spillway, spec.commandLine().getOut());
      } finally {
        backends.release(spillway);
      }
    } finally {
      after();
    }
  }

  /** Checks of the arguments, before anything is opened. */
  void check() {}

  /** Runs last, however the command ended (whatever {@link #check} set up is undone here). */
  void after() {}

  abstract int run(Spillway spillway, PrintWriter out) throws Exception;
}
