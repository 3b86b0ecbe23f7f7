package io.spillway.bootstrap.cli;

import io.spillway.bootstrap.local.LocalStandIns;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/** Starts, stops and reports the local stand-ins for AWS (DynamoDB Local and kinesis-mock on loopback). */
@Command(name = "local", mixinStandardHelpOptions = true,
    description = "Run DynamoDB Local and kinesis-mock on 127.0.0.1 for the local backend.",
    subcommands = {LocalCommand.Up.class, LocalCommand.Down.class, LocalCommand.Status.class, LocalCommand.Serve.class})
public final class LocalCommand implements Runnable {
  @Override
  public void run() {
    System.out.println("usage: spillway local up | down | status");
  }

  /** Where the stand-ins keep their state, their logs and the kinesis-mock installation. */
  static final class Home {
    @Option(names = "--home", description = "working folder (default: $SPILLWAY_HOME, else ./.spillway)")
    Path home;

    LocalStandIns standIns() {
      Path dir = home != null ? home : Path.of(Optional.ofNullable(System.getenv("SPILLWAY_HOME")).orElse(".spillway"));
      return new LocalStandIns(dir.toAbsolutePath());
    }

    /** The running stand-ins, or {@code --backend local} refused: what a command needs before it builds a client. */
    LocalStandIns.State running(CommandSpec spec, String backend) {
      LocalStandIns standIns = standIns();
      return standIns.running().orElseThrow(() -> new Options.Refused(spec, "--backend " + backend
          + ": the local stand-ins are not running (" + standIns.whyNotRunning() + "): start them with ./spillway local up"));
    }
  }

  static Map<String, Object> describe(LocalStandIns.State s) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("running", true);
    out.put("dynamodbEndpoint", s.dynamoDb().toString());
    out.put("kinesisEndpoint", s.kinesis().toString());
    out.put("pid", s.servePid());
    out.put("kinesisMockPid", s.kinesisPid());
    return out;
  }

  @Command(name = "up", mixinStandardHelpOptions = true, description = "Start the stand-ins in the background (a no-op when they run).")
  static final class Up implements Callable<Integer> {
    @Mixin Home home;

    @Override
    public Integer call() throws Exception {
      LocalStandIns.State s = home.standIns().up(Duration.ofMinutes(3));
      System.out.println(Json.of(describe(s)));
      return 0;
    }
  }

  @Command(name = "down", mixinStandardHelpOptions = true, description = "Stop exactly the processes `local up` started.")
  static final class Down implements Callable<Integer> {
    @Mixin Home home;

    @Override
    public Integer call() throws Exception {
      boolean stopped = home.standIns().down(Duration.ofSeconds(30));
      System.out.println(stopped ? "stopped" : "not running");
      return 0;
    }
  }

  @Command(name = "status", mixinStandardHelpOptions = true, description = "Say whether the stand-ins run and where; exit 3 when they do not.")
  static final class Status implements Callable<Integer> {
    @Mixin Home home;

    @Override
    public Integer call() {
      Optional<LocalStandIns.State> s = home.standIns().running();
      if (s.isEmpty()) {
        System.out.println("not running");
        return 3;
      }
      System.out.println(Json.of(describe(s.get())));
      return 0;
    }
  }

  @Command(name = "serve", hidden = true, description = "Serve the stand-ins in this process (what `up` runs in the background).")
  static final class Serve implements Callable<Integer> {
    @Mixin Home home;

    @Override
    public Integer call() throws Exception {
      home.standIns().serve();
      return 0;
    }
  }
}
