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

  @Test
  void theScaleRunReadsBackWhatItProducedAndReportsEachPhase() throws Exception {
    PrintStream original = System.out;
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    int exit;
    try (PrintStream capture = new PrintStream(buffer, true, StandardCharsets.UTF_8)) {
      System.setOut(capture);
      exit = SpillwayCommand.commandLine().execute("bench", "--scale", "--events", "200000", "--threads", "2", "--json");
    } finally {
      System.setOut(original);
    }
    JsonNode json = new ObjectMapper().readTree(buffer.toString(StandardCharsets.UTF_8));

    assertThat(exit).isZero();
    assertThat(json.get("events").asLong()).isEqualTo(200_000);
    assertThat(json.get("partitions").asInt()).isEqualTo(2);
    assertThat(json.get("eventsReadBack").asLong()).isEqualTo(200_000);
    assertThat(json.get("readBackEqual").asBoolean()).isTrue();
    assertThat(json.get("verifiedAgainstManifest").asBoolean()).isTrue();
    assertThat(json.get("readDigest").asText()).isEqualTo(json.get("producedDigest").asText());
    for (String field : List.of("produceEventsPerSecond", "persistEventsPerSecond", "readEventsPerSecond", "jsonBytesProduced",
        "storedChunkBytes", "chunks", "wallSeconds")) {
      assertThat(json.get(field)).as(field).isNotNull();
      assertThat(json.get(field).asDouble()).as(field).isPositive();
    }
    // ~345 B of JSON and under 40 B stored per event
    assertThat(json.get("jsonBytesProduced").asLong()).isBetween(200_000L * 300, 200_000L * 400);
    assertThat(json.get("storedChunkBytes").asLong()).isBetween(200_000L * 20, 200_000L * 45);
    for (String phase : List.of("produce", "persist", "read")) {
      assertThat(json.get(phase + "PeakHeapBeyondStoredBytes")).as(phase).isNotNull();
      assertThat(json.get(phase + "PeakHeapAfterGcBytes")).as(phase).isNotNull();
      assertThat(json.get(phase + "Collections")).as(phase).isNotNull();
    }
    // the read phase starts from a full collection, so it has at least that one
    assertThat(json.get("readCollections").asLong()).isPositive();
    assertThat(json.get("readPeakHeapAfterGcBytes").asLong()).isGreaterThanOrEqualTo(json.get("storedChunkBytes").asLong());
  }

  @Test
  void theScaleRunRefusesOptionsThatDoNotApplyToIt() {
    java.io.StringWriter err = new java.io.StringWriter();
    var cli = SpillwayCommand.commandLine();
    cli.setErr(new java.io.PrintWriter(err, true));
    int exit = cli.execute("bench", "--scale", "--events", "1000", "--jobs", "3");

    assertThat(exit).isEqualTo(2);
    assertThat(err.toString()).contains("--jobs").contains("--scale");
  }

  @Test
  void theScaleRunRefusesAnEventCountItsHeapCannotHold() {
    java.io.StringWriter err = new java.io.StringWriter();
    var cli = SpillwayCommand.commandLine();
    cli.setErr(new java.io.PrintWriter(err, true));
    int exit = cli.execute("bench", "--scale", "--events", Integer.toString(Integer.MAX_VALUE));

    assertThat(exit).isEqualTo(2);
    assertThat(err.toString().lines().filter(l -> !l.isBlank()).count()).isEqualTo(1);
    assertThat(err.toString()).contains("--scale --events " + Integer.MAX_VALUE).contains("SPILLWAY_HEAP");
  }
}
