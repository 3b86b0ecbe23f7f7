package io.spillway.bootstrap.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code spillway} command line. */
@Command(
    name = "spillway",
    mixinStandardHelpOptions = true,
    versionProvider = SpillwayCommand.Version.class,
    description = "Lands the output of large analytics jobs in DynamoDB through a Kinesis buffer.",
    subcommands = {DemoCommand.class, SimulateCommand.class, PlanCommand.class, RunCommand.class, ConsumeCommand.class, BenchCommand.class, SetupCommand.class,
        LocalCommand.class, JobsCommand.class, ReadCommand.class, VerifyCommand.class, DeadLettersCommand.class, ProduceCommand.class})
public final class SpillwayCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  public static void main(String[] args) {
    System.exit(execute(args));
  }

  /** Runs the command line as {@code main} does and returns its exit code (0 done, 1 failed, 2 invalid input). */
  public static int execute(String... args) {
    CommandLine cli = commandLine();
    try {
      return cli.execute(args);
    } catch (Error e) {
      // picocli hands exceptions to the handlers but lets errors through (out of memory, a class missing from the jar)
      return ((Errors) cli.getExecutionExceptionHandler()).handleError(e, cli);
    }
  }

  /**
   * The configured command line: invalid input (a wrong type, a value past a documented limit, a
   * backend that is not there) prints one line naming the flag, the value and the limit, and exits
   * 2; any other failure prints one line and exits 1, with its stack trace when the environment
   * variable {@code SPILLWAY_DEBUG} is set (to anything but 0 or false).
   */
  public static CommandLine commandLine() {
    return commandLine(Errors.debugRequested(System.getenv(Errors.DEBUG)));
  }

  static CommandLine commandLine(boolean debug) {
    return commandLine(debug, Backends.DEFAULT);
  }

  /** The command line with the operator commands on these backends (tests hand in a Spillway of their own). */
  static CommandLine commandLine(boolean debug, Backends backends) {
    CommandLine cli = new CommandLine(new SpillwayCommand(), Backends.factory(backends));
    // options not given as flags come from a properties file ($SPILLWAY_CONFIG, else ~/.spillway.properties)
    java.io.File config = new java.io.File(java.util.Optional.ofNullable(System.getenv("SPILLWAY_CONFIG"))
        .orElse(System.getProperty("user.home") + "/.spillway.properties"));
    if (config.isFile()) {
      cli.setDefaultValueProvider(new CommandLine.PropertiesDefaultProvider(config));
    }
    Errors errors = new Errors(debug);
    cli.setParameterExceptionHandler(errors);
    cli.setExecutionExceptionHandler(errors);
    return cli;
  }

  /** Reads the version Maven wrote into the jar's manifest. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = SpillwayCommand.class.getPackage().getImplementationVersion();
      return new String[] {"spillway " + (v == null ? "dev" : v)};
    }
  }
}
