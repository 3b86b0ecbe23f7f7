package io.spillway.bootstrap.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A {@code spillway consume} process on the local stand-ins, as the process tests run it: what it
 * prints (stdout) goes next to the stand-ins' state, what it logs (stderr) to the module's build
 * directory, where it is kept after the run.
 */
record ConsumeProcess(String workerId, Process process, Path out, Path log) {
  private static final List<Process> STARTED = new ArrayList<>();

  /** Starts {@code spillway consume --backend local} on the stream and table, with these options after the usual ones. */
  static ConsumeProcess start(Path home, Path logs, String stream, String table, String workerId, String... options) throws IOException {
    List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"), "-Xmx1g",
        "-Dorg.slf4j.simpleLogger.showDateTime=true", "-Dorg.slf4j.simpleLogger.dateTimeFormat=HH:mm:ss.SSS", "-cp",
        System.getProperty("java.class.path"), "io.spillway.bootstrap.cli.SpillwayCommand", "consume", "--backend", "local",
        "--home", home.toString(), "--stream", stream, "--table", table, "--worker-id", workerId));
    command.addAll(List.of(options));
    String name = workerId + "-" + System.nanoTime();
    Path out = home.resolve(name + ".out");
    Path log = Files.createDirectories(logs).resolve(name + ".log");
    Process process = new ProcessBuilder(command).redirectError(log.toFile()).redirectOutput(out.toFile()).start();
    synchronized (STARTED) {
      STARTED.add(process);
    }
    return new ConsumeProcess(workerId, process, out, log);
  }

  /** Kills every process started here that still runs (for a test class's clean-up). */
  static void killAll() {
    synchronized (STARTED) {
      STARTED.forEach(Process::destroyForcibly);
      STARTED.clear();
    }
  }

  /** What it has logged so far. */
  String logged() {
    try {
      return Files.readString(log, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Whether it reads the shard now: a record processor for it started ("processing shardId-… from") and did not lose or stop it since. */
  boolean reads(String shard) {
    String logged = logged();
    return occurrences(logged, "processing " + shard + " from ")
        > occurrences(logged, shard + ": lease lost") + occurrences(logged, shard + ": stopped at checkpoint");
  }

  /** Stops it with SIGTERM and returns the JSON line it prints on the way out. */
  JsonNode stop() throws Exception {
    process.destroy();
    assertThat(process.waitFor(90, TimeUnit.SECONDS)).as("consume stops on SIGTERM").isTrue();
    String printed = Files.readString(out, StandardCharsets.UTF_8).trim();
    return new ObjectMapper().readTree(printed.substring(printed.lastIndexOf('\n') + 1));
  }

  private static int occurrences(String text, String part) {
    int n = 0;
    for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) n++;
    return n;
  }
}
