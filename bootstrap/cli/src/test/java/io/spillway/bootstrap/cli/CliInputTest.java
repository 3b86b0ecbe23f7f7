package io.spillway.bootstrap.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Invalid input on every command is refused the same way, before anything is built: one line on
 * stderr naming the flag, the value and the limit (plus a pointer to --help when picocli's parser
 * refused it), exit code 2, no stack trace; other failures are one line and exit 1.
 */
class CliInputTest {

  @TempDir Path home;

  /** What one in-process run of the command line printed and returned. */
  private record Result(int exit, String out, String err) {
    List<String> errLines() {
      return err.lines().toList();
    }
  }

  private static Result spillway(String... args) {
    return spillway(false, args);
  }

  /** Runs the real command line in this JVM, capturing picocli's writers and System.out/err (commands print there too). */
  private static Result spillway(boolean debug, String... args) {
    PrintStream originalOut = System.out;
    PrintStream originalErr = System.err;
    ByteArrayOutputStream systemOut = new ByteArrayOutputStream();
    ByteArrayOutputStream systemErr = new ByteArrayOutputStream();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit;
    try (PrintStream o = new PrintStream(systemOut, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(systemErr, true, StandardCharsets.UTF_8)) {
      System.setOut(o);
      System.setErr(e);
      CommandLine cli = SpillwayCommand.commandLine(debug);
      cli.setOut(new PrintWriter(out, true));
      cli.setErr(new PrintWriter(err, true));
      exit = cli.execute(args);
    } finally {
      System.setOut(originalOut);
      System.setErr(originalErr);
    }
    return new Result(exit, out + systemOut.toString(StandardCharsets.UTF_8), err + systemErr.toString(StandardCharsets.UTF_8));
  }

  /** Exit 2; one line naming {@code named}, then at most the --help pointer; nothing on stdout; no stack trace. */
  private static String assertRefused(Result r, String command, String... named) {
    assertThat(r.exit()).as(r.err()).isEqualTo(2);
    List<String> lines = r.errLines();
    assertThat(lines).as(r.err()).hasSizeBetween(1, 2);
    assertThat(lines.get(0)).startsWith("spillway " + command + ": ").contains(named);
    if (lines.size() == 2) {
      assertThat(lines.get(1)).isEqualTo("try 'spillway " + command + " --help'");
    }
    assertThat(r.err()).doesNotContain("Exception").doesNotContain("\tat ").doesNotContain("at io.");
    assertThat(r.out()).isEmpty();
    return lines.get(0);
  }

  @Test
  void simulateWithOutPrintsAVerdictPerArchitectureAndWritesTheReport(@TempDir Path dir) throws Exception {
    Result r = spillway("simulate", "--scenario", "producer-overload", "--architecture", "direct-chunked", "--architecture", "spillway",
        "--out", dir.resolve("report").toString());

    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out()).containsPattern("(?m)^direct-chunked +p99 [0-9.,]+ s: meets the 300 s target with nothing lost")
        .containsPattern("(?m)^spillway +p99 [0-9.,]+ s: ");
    for (String file : List.of("index.html", "summary.json", "timeline.csv", "write-rate.png", "producer-buffer.png", "availability.png")) {
      assertThat(dir.resolve("report").resolve(file)).as(file).isNotEmptyFile();
    }
    assertThat(Files.readString(dir.resolve("report/index.html"))).contains("<h2>Verdict</h2>", "<h2>Stalled and unfinished jobs</h2>");
  }

  @Test
  void runOnTheLocalBackendWithNoStandInsRunningSaysHowToStartThem() {
    Result r = spillway("run", "--backend", "local", "--home", home.toString());
    assertRefused(r, "run", "--backend local", "not running", "./spillway local up", home.toString());
    assertThat(r.errLines()).hasSize(1);
  }

  @Test
  void aRecordedPidThatIsNotTheStandInsCountsAsNotRunning() throws Exception {
    // the state file names a live process that is not the stand-ins' (this test's own JVM): a pid reused since
    Path state = Files.createDirectories(home.resolve("local")).resolve("state.properties");
    long pid = ProcessHandle.current().pid();
    Files.writeString(state, "servePid=" + pid + "\nkinesisPid=" + pid + "\ndynamodb=http\\://127.0.0.1\\:1\nkinesis=http\\://127.0.0.1\\:2\n");

    assertRefused(spillway("consume", "--backend", "local", "--home", home.toString()), "consume",
        "--backend local", "pid " + pid, "no longer serves them", "./spillway local up");
    Result status = spillway("local", "status", "--home", home.toString());
    assertThat(status.exit()).isEqualTo(3);
    // and `down` leaves that process alone
    Result down = spillway("local", "down", "--home", home.toString());
    assertThat(down.exit()).as(down.err()).isZero();
    assertThat(down.out()).isEqualTo("not running" + System.lineSeparator());
  }

  @Test
  void setupRefusesATableNameDynamoDbRefuses() {
    assertRefused(spillway("setup", "--table", "p1", "--home", home.toString()), "setup", "--table", "\"p1\"", "3-255", "[a-zA-Z0-9_.-]");
    assertRefused(spillway("setup", "--table", "has space", "--home", home.toString()), "setup", "--table", "\"has space\"", "[a-zA-Z0-9_.-]");
    assertRefused(spillway("setup", "--stream", "", "--home", home.toString()), "setup", "--stream", "1-128");
  }

  @Test
  void consumeRefusesAnUnknownBackendInsteadOfTakingItAsAws() {
    assertRefused(spillway("consume", "--backend", "nosuch"), "consume", "--backend", "nosuch", "[local, aws]");
  }

  @Test
  void runRefusesAnUnknownBackend() {
    assertRefused(spillway("run", "--backend", "nosuch"), "run", "--backend", "nosuch", "[memory, local, aws]");
  }

  @Test
  void aValueOfTheWrongTypeIsOneLineAndAPointerToHelp() {
    Result r = spillway("demo", "--jobs", "abc");
    assertRefused(r, "demo", "--jobs", "abc", "int");
    assertThat(r.errLines()).hasSize(2);
  }

  @Test
  void demoNamesTheBucketsFlagNotAnInternalField() {
    String line = assertRefused(spillway("demo", "--buckets", "5000"), "demo", "--buckets", "5000", "1..1024");
    assertThat(line).doesNotContain("openJob");
  }

  @Test
  void consumeRefusesANegativeWcuBeforeItLooksForTheStandIns() throws Exception {
    String line = assertRefused(spillway("consume", "--wcu", "-5", "--backend", "local", "--home", home.toString()), "consume",
        "--wcu", "-5", "above 0");
    assertThat(line).doesNotContain("stand-ins");
    // nothing was built or created: the stand-ins' home is as empty as before
    try (var files = Files.list(home)) {
      assertThat(files).isEmpty();
    }
  }

  @Test
  void aWorkloadThatCannotFitTheInMemoryBackendIsRefusedAtOnce() {
    String line = assertRefused(spillway("demo", "--jobs", "2000000000", "--events-per-job", "2000000000"), "demo",
        "--jobs 2000000000", "--events-per-job 2000000000", "maximum heap", "80 B per event");
    assertThat(line).contains(HeapBudget.bytes(Runtime.getRuntime().maxMemory()));
    assertRefused(spillway("run", "--jobs", "3", "--events-per-job", "9000000000000"), "run", "--events-per-job 9000000000000", "maximum heap");
    assertRefused(spillway("bench", "--events", "2000000000"), "bench", "--events 2000000000", "maximum heap");
  }

  @Test
  void everyCommandNamesTheFlagTheValueAndTheLimit() throws Exception {
    String h = home.toString();
    assertRefused(spillway("demo", "--shards", "0"), "demo", "--shards", "0", "1..10000");
    assertRefused(spillway("demo", "--wcu", "NaN"), "demo", "--wcu", "NaN", "above 0");
    assertRefused(spillway("demo", "--events-per-job", "0"), "demo", "--events-per-job", "0", "at least 1");
    assertRefused(spillway("run", "--consumers", "0", "--backend", "local", "--home", h), "run", "--consumers", "0", "at least 1");
    assertRefused(spillway("run", "--backend", "local", "--table", "spillway-spillway-events", "--home", h), "run",
        "--table", "spillway-spillway-events", "KCL tables");
    assertRefused(spillway("run", "--backend", "aws", "--region", "eu-west-1", "--dynamodb-endpoint", "localhost", "--home", h), "run",
        "--dynamodb-endpoint", "localhost", "http://");
    assertRefused(spillway("consume", "--stream", "s".repeat(120), "--retrieval", "efo", "--home", h), "consume",
        "--stream", "at most 119 characters with --retrieval efo");
    assertRefused(spillway("consume", "--retrieval", "fanout"), "consume", "--retrieval", "fanout", "[polling, efo]");
    assertRefused(spillway("consume", "--failover-seconds", "0", "--home", h), "consume", "--failover-seconds", "0", "at least 1");
    assertRefused(spillway("consume", "--workers", "0", "--home", h), "consume", "--workers", "0", "at least 1");
    assertRefused(spillway("consume", "--workers", "65", "--home", h), "consume", "--workers", "65", "at most 64");
    assertRefused(spillway("consume", "--metrics-port", "70000", "--home", h), "consume", "--metrics-port", "70000", "at most 65535");
    assertRefused(spillway("consume", "--metrics-address", "no.such.host.invalid", "--home", h), "consume", "--metrics-address",
        "no.such.host.invalid", "an address");
    assertRefused(spillway("consume", "--cloudwatch-namespace", "Spillway", "--backend", "local", "--home", h), "consume",
        "--cloudwatch-namespace", "Spillway", "only with --backend aws");
    assertRefused(spillway("consume", "--config", h + "/no-such.properties", "--home", h), "consume", "--config", "no-such.properties",
        "a readable properties file");
    java.nio.file.Path misspelt = java.nio.file.Files.writeString(home.resolve("misspelt.properties"), "spillway.ingest.writeUnitPerSecond=100\n");
    assertRefused(spillway("consume", "--config", misspelt.toString(), "--home", h), "consume", "--config",
        "spillway.ingest.writeUnitPerSecond", "a known key");
    assertRefused(spillway("setup", "--retention-hours", "9000", "--home", h), "setup", "--retention-hours", "9000", "24..8760");
    assertRefused(spillway("setup", "--billing", "free"), "setup", "--billing", "free", "[on_demand, provisioned]");
    assertRefused(spillway("setup", "--write-units", "5", "--home", h), "setup", "--write-units", "5", "--billing provisioned");
    assertRefused(spillway("bench", "--backend", "nosuch"), "bench", "--backend", "nosuch", "[memory, local]");
    assertRefused(spillway("bench", "--jobs", "0"), "bench", "--jobs", "0", "at least 1");
    assertRefused(spillway("bench", "--backend", "local", "--home", h), "bench", "--backend local", "not running");
    assertRefused(spillway("simulate", "--scenario", "nosuch"), "simulate", "--scenario", "nosuch", "seed-case-study");
    assertRefused(spillway("simulate", "--scenario", "seed-case-study", "--architecture", "nosuch"), "simulate",
        "--architecture", "nosuch", "spillway");
    assertRefused(spillway("simulate", "--scenario", "seed-case-study", "--days", "40"), "simulate", "--days", "40", "31");
    assertRefused(spillway("simulate", "--scenario", "seed-case-study", "--fault", "consumers-down@900+30"), "simulate",
        "--fault", "consumers-down@900+30", "atHour");
    assertRefused(spillway("simulate", "--scenario", "seed-case-study", "--fault", "meteor@1+2"), "simulate", "--fault", "meteor@1+2",
        "consumers-down");
    assertRefused(spillway("simulate", "--scenario", "seed-case-study", "--fault", "shard-readers@9+60:2.5"), "simulate", "--fault",
        "shard-readers@9+60:2.5", "whole number");
    assertRefused(spillway("simulate", "--scenario", "seed-case-study", "--fault", "shard-readers@9+60:500"), "simulate", "--fault",
        "shard-readers@9+60:500", "readers");
    assertRefused(spillway("simulate"), "simulate", "--scenario");
    assertRefused(spillway("simulate", "--scenario", "seed-case-study", "--seeds", "0"), "simulate", "--seeds", "0", "1..100");
    assertRefused(spillway("simulate", "--scenario", "seed-case-study", "--budget", "0"), "simulate", "--budget", "0", "above 0");
    assertRefused(spillway("simulate", "--scenario", "seed-case-study", "--capacity-up-to", "0"), "simulate", "--capacity-up-to", "0",
        "1..100000");
    assertRefused(spillway("simulate", "--scenario", "seed-case-study", "--stall-limit", "10"), "simulate", "--stall-limit", "10",
        "at least the p99 target");
    assertRefused(spillway("plan", "--cheapest", "--jobs-per-day", "0"), "plan", "--jobs-per-day", "0", "1..100000");
    assertRefused(spillway("plan", "--cheapest", "--architecture", "nosuch"), "plan", "--architecture", "nosuch", "spillway");
    assertRefused(spillway("plan", "--scenario", "nosuch"), "plan", "--scenario", "nosuch", "seed-case-study");
    assertRefused(spillway("local", "up", "--nosuch"), "local up", "--nosuch");
  }

  @Test
  void anUnknownCommandIsRefusedWithSuggestions() {
    Result r = spillway("demoo");
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.errLines()).hasSize(2);
    assertThat(r.errLines().get(0)).startsWith("spillway: ").contains("'demoo'", "did you mean", "demo");
    assertThat(r.errLines().get(1)).isEqualTo("try 'spillway --help'");
  }

  @Test
  void aFailureThatIsNotAboutInputIsOneLineAndExitsOne() throws Exception {
    // the home is a file: the stand-ins cannot keep their state there
    Path file = Files.writeString(home.resolve("not-a-directory"), "x");
    Result r = spillway("local", "up", "--home", file.toString());
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.errLines()).hasSize(1);
    assertThat(r.errLines().get(0)).startsWith("spillway local up: ").contains(file.toString()).endsWith("(SPILLWAY_DEBUG=1 shows the stack trace)");
    assertThat(r.err()).doesNotContain("\tat ");

    Result debug = spillway(true, "local", "up", "--home", file.toString());
    assertThat(debug.exit()).isEqualTo(1);
    assertThat(debug.err()).contains("\tat ");
  }

  @Test
  void theHeapEstimateKeepsTheDefaultDemoAndRefusesWhatFailedToRun() {
    var spec = new CommandLine(new DemoCommand()).getCommandSpec();
    // the default demo, 3 jobs of 20,000 events, in a 512 MiB heap
    assertThatCode(() -> HeapBudget.require(spec, "demo", 60_000, HeapBudget.STORED_BYTES_PER_EVENT, 3, "", 512L << 20))
        .doesNotThrowAnyException();
    // 4 jobs of 2,000,000 events kept 616 MB and failed their read-back with -Xmx750m
    assertThatThrownBy(() -> HeapBudget.require(spec, "--jobs 4 x --events-per-job 2000000", 8_000_000, HeapBudget.STORED_BYTES_PER_EVENT, 4,
        "", 750L << 20))
        .isInstanceOf(Options.Refused.class)
        .hasMessageContaining("--jobs 4 x --events-per-job 2000000")
        .hasMessageContaining("750.0 MiB");
  }
}
