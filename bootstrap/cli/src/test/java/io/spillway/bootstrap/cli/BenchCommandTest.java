package io.spillway.bootstrap.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The in-memory bench's fields from a small real run (its figures live in docs/benchmarks.md; no timing is asserted here). */
class BenchCommandTest {

  @Test
  void theInMemoryBenchReportsTheReadPathBesideItsDecodeOnlyLimit() throws Exception {
    PrintStream original = System.out;
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    int exit;
    try (PrintStream capture = new PrintStream(buffer, true, StandardCharsets.UTF_8)) {
      System.setOut(capture);
      exit = SpillwayCommand.commandLine().execute("bench", "--events", "40000", "--jobs", "2", "--rounds", "1", "--json");
    } finally {
      System.setOut(original);
    }
    JsonNode json = new ObjectMapper().readTree(buffer.toString(StandardCharsets.UTF_8));

    assertThat(exit).isZero();
    for (String field : List.of("eventsPerSecond", "compressOnlyEventsPerSecond", "ratioToLimit", "readEventsPerSecond",
        "decodeOnlyEventsPerSecond", "readRatio")) {
      assertThat(json.get(field)).as(field).isNotNull();
      assertThat(json.get(field).asDouble()).as(field).isPositive();
    }
    assertThat(json.get("readRatio").asDouble())
        .isCloseTo(json.get("readEventsPerSecond").asDouble() / json.get("decodeOnlyEventsPerSecond").asDouble(), org.assertj.core.data.Offset.offset(0.001));
    assertThat(json.get("readEventsPerSecondRounds")).hasSize(1);
    assertThat(json.get("decodeOnlyEventsPerSecondRounds")).hasSize(1);
    assertThat(json.get("readBackVerified").asBoolean()).isTrue();
  }
}
