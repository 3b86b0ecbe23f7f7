package io.spillway.bootstrap.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class DemoCommandTest {

  private static final class Run {
    int exit;
    String out;
  }

  private static Run run(String... args) {
    PrintStream original = System.out;
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    Run run = new Run();
    try (PrintStream capture = new PrintStream(buffer, true, StandardCharsets.UTF_8)) {
      System.setOut(capture);
      run.exit = SpillwayCommand.commandLine().execute(args);
    } finally {
      System.setOut(original);
    }
    run.out = buffer.toString(StandardCharsets.UTF_8);
    return run;
  }

  @Test
  void demoJsonReportsEveryJobAvailableWithEverythingReadBack() throws Exception {
    Run run = run("demo", "--jobs", "3", "--events-per-job", "5000", "--json");
    JsonNode json = new ObjectMapper().readTree(run.out);

    assertThat(run.exit).isZero();
    assertThat(json.get("jobs").asInt()).isEqualTo(3);
    assertThat(json.get("jobsAvailable").asInt()).isEqualTo(3);
    assertThat(json.get("eventsProduced").asLong()).isEqualTo(15_000);
    assertThat(json.get("eventsReadBack").asLong()).isEqualTo(15_000);
    assertThat(json.get("eventsLost").asLong()).isZero();
    assertThat(json.get("duplicatesStored").asLong()).isZero();
    assertThat(json.get("chunks").asLong()).isPositive();
    assertThat(json.get("wcuConsumed").asDouble()).isPositive().isLessThan(json.get("wcuItemPerEvent").asDouble());
    assertThat(json.get("wcuItemPerEvent").asLong()).isGreaterThanOrEqualTo(15_000);
    assertThat(json.get("availabilityP99Millis").isNumber()).isTrue();
    assertThat(json.get("readBackVerified").asBoolean()).isTrue();
  }

  @Test
  void badOptionsAreRefusedWithTheOptionNamed() {
    java.io.StringWriter err = new java.io.StringWriter();
    CommandLine cli = SpillwayCommand.commandLine(false);
    cli.setErr(new java.io.PrintWriter(err, true));
    int exit = cli.execute("demo", "--buckets", "0", "--events-per-job", "10");

    assertThat(exit).isEqualTo(2);
    assertThat(err.toString()).isEqualTo("spillway demo: --buckets: 0 breaks the limit: 1..1024" + System.lineSeparator());
  }
}
