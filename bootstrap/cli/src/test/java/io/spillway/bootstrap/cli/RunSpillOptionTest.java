package io.spillway.bootstrap.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code run --spill-dir}: the producer of the run gets its spill directory, and bad spill options are refused in one line. */
class RunSpillOptionTest {
  private record Ran(int exit, String out, String err) {}

  private static Ran spillway(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = SpillwayCommand.commandLine(false);
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    java.io.PrintStream original = System.out;
    java.io.ByteArrayOutputStream stdout = new java.io.ByteArrayOutputStream();
    int exit;
    try (java.io.PrintStream capture = new java.io.PrintStream(stdout, true, java.nio.charset.StandardCharsets.UTF_8)) {
      System.setOut(capture);
      exit = cli.execute(args);
    } finally {
      System.setOut(original);
    }
    return new Ran(exit, stdout.toString(java.nio.charset.StandardCharsets.UTF_8) + out, err.toString());
  }

  @Test
  void aRunWithASpillDirectoryCreatesItAndLeavesItEmptyOnceEverythingIsPublished(@TempDir Path dir) throws Exception {
    Path spill = dir.resolve("spool");

    Ran run = spillway("run", "--jobs", "2", "--events-per-job", "3000", "--spill-dir", spill.toString(), "--json");

    assertThat(run.exit()).as(run.err()).isZero();
    JsonNode summary = new ObjectMapper().readTree(run.out());
    assertThat(summary.get("eventsReadBack").asLong()).isEqualTo(6_000);
    assertThat(Files.isDirectory(spill)).isTrue();
    try (Stream<Path> left = Files.list(spill)) {
      assertThat(left.filter(p -> p.getFileName().toString().endsWith(".spill"))).as("nothing left spilled").isEmpty();
    }
  }

  @Test
  void spillOptionsThatCannotWorkAreRefusedInOneLine(@TempDir Path dir) throws Exception {
    Path file = Files.writeString(dir.resolve("a-file"), "x");

    Ran noDir = spillway("run", "--spill-max-bytes", "1000000");
    Ran tooSmall = spillway("run", "--spill-dir", dir.toString(), "--spill-max-bytes", "1000");
    Ran notADir = spillway("run", "--spill-dir", file.toString());

    for (Ran r : new Ran[] {noDir, tooSmall, notADir}) {
      assertThat(r.exit()).as(r.err()).isEqualTo(2);
      assertThat(r.err().strip()).doesNotContain("\n").startsWith("spillway run: --spill-");
    }
    assertThat(tooSmall.err()).contains("at least 409600");
  }
}
