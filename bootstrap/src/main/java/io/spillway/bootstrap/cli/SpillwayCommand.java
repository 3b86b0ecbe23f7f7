package io.spillway.bootstrap.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code spillway} command line. */
@Command(
    name = "spillway",
    mixinStandardHelpOptions = true,
    versionProvider = SpillwayCommand.Version.class,
    description = "Lands the output of large analytics jobs in DynamoDB through a Kinesis buffer.",
    subcommands = {DemoCommand.class, BenchCommand.class})
public final class SpillwayCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  public static void main(String[] args) {
    System.exit(new CommandLine(new SpillwayCommand()).execute(args));
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
