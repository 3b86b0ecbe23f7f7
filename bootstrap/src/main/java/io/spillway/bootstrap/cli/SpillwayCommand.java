package io.spillway.bootstrap.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code spillway} command line. */
@Command(
    name = "spillway",
    mixinStandardHelpOptions = true,
    versionProvider = SpillwayCommand.Version.class,
    description = "Lands the output of large analytics jobs in DynamoDB through a Kinesis buffer.",
    subcommands = {DemoCommand.class, SimulateCommand.class, PlanCommand.class, RunCommand.class, ConsumeCommand.class, BenchCommand.class, SetupCommand.class, LocalCommand.class})
public final class SpillwayCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  /**
   * The configured command line: invalid input (a value past a documented limit) prints its one-line
   * explanation and exits 2; anything else is a failure of the run and exits 1 with its trace.
   */
  public static CommandLine commandLine() {
    CommandLine cli = new CommandLine(new SpillwayCommand());
    // options not given as flags come from a properties file ($SPILLWAY_CONFIG, else ~/.spillway.properties)
    java.io.File config = new java.io.File(java.util.Optional.ofNullable(System.getenv("SPILLWAY_CONFIG"))
        .orElse(System.getProperty("user.home") + "/.spillway.properties"));
    if (config.isFile()) {
      cli.setDefaultValueProvider(new CommandLine.PropertiesDefaultProvider(config));
    }
    cli.setExecutionExceptionHandler((e, line, parsed) -> {
      Throwable cause = e;
      while (cause.getCause() != null && !(cause instanceof io.spillway.domain.InvalidFieldException)) {
        cause = cause.getCause();
      }
      if (cause instanceof io.spillway.domain.InvalidFieldException invalid) {
        line.getErr().println("spillway: invalid input: " + invalid.getMessage());
        return 2;
      }
      line.getErr().println("spillway: " + e);
      e.printStackTrace(line.getErr());
      return 1;
    });
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
