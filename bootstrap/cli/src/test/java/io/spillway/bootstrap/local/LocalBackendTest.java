package io.spillway.bootstrap.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The local backend as a user drives it: {@code local up}, {@code run --backend local}, {@code bench
 * --backend local}, {@code local down} — real processes (DynamoDB Local served on loopback, kinesis-mock under Node.js), the real
 * SDK and KCL. Slow: KCL's first start on an empty lease table waits tens of seconds.
 */
class LocalBackendTest {

  private static CommandLineRun spillway(String... args) {
    return CommandLineRun.of(args);
  }

  @Test
  void upRunDownLeavesEveryJobAvailableAndNoProcessBehind(@TempDir Path home) throws Exception {
    ObjectMapper json = new ObjectMapper();
    CommandLineRun up = spillway("local", "up", "--home", home.toString());
    assertThat(up.exit()).as(up.out()).isZero();
    JsonNode state = json.readTree(up.out());
    long servePid = state.get("pid").asLong();
    long kinesisPid = state.get("kinesisMockPid").asLong();
    assertThat(state.get("dynamodbEndpoint").asText()).startsWith("http://127.0.0.1:");
    assertThat(state.get("kinesisEndpoint").asText()).startsWith("http://127.0.0.1:");
    try {
      assertThat(spillway("local", "status", "--home", home.toString()).exit()).isZero();

      CommandLineRun run = spillway("run", "--backend", "local", "--jobs", "3", "--events-per-job", "3000", "--json", "--home", home.toString());

      assertThat(run.exit()).as(run.out()).isZero();
      JsonNode summary = json.readTree(run.out());
      assertThat(summary.get("jobsAvailable").asInt()).isEqualTo(3);
      assertThat(summary.get("eventsProduced").asLong()).isEqualTo(9_000);
      assertThat(summary.get("eventsReadBack").asLong()).isEqualTo(9_000);
      assertThat(summary.get("eventsLost").asLong()).isZero();
      assertThat(summary.get("readBackVerified").asBoolean()).isTrue();
      assertThat(summary.get("wcuConsumed").asDouble()).isPositive().isLessThan(summary.get("wcuItemPerEvent").asDouble());

      // the side-by-side bench prints its fields from a real run (its figures live in docs/benchmarks.md, not here)
      CommandLineRun bench = spillway("bench", "--backend", "local", "--events", "20000", "--json", "--home", home.toString());
      assertThat(bench.exit()).as(bench.out()).isZero();
      JsonNode figures = json.readTree(bench.out());
      for (String field : List.of("eventsPerSecond", "eventsPerSecondItemPerEvent", "speedup", "wcuRatio", "requestRatio")) {
        assertThat(figures.get(field)).as(field).isNotNull();
        assertThat(figures.get(field).asDouble()).as(field).isPositive();
      }
      assertThat(figures.get("readBackVerified").asBoolean()).isTrue();
      // every ~345-byte event is one write unit as its own item, as DynamoDB Local charged it and as modelled
      assertThat(figures.get("wcuItemPerEvent").asDouble()).isEqualTo(20_000.0);
      assertThat(figures.get("wcuItemPerEventModelled").asLong()).isEqualTo(20_000L);
      assertThat(figures.get("wcuRatio").asDouble()).isGreaterThan(1.0);
      assertThat(figures.get("requestRatio").asDouble()).isGreaterThan(1.0);
      // and both read back, after a warm-up round: Spillway's chunks by bucket Queries, the items by a Query of the job's partition
      for (String field : List.of("readEventsPerSecond", "readEventsPerSecondItemPerEvent", "readSpeedup", "readUnits", "readUnitsItemPerEvent",
          "readRequests", "readRequestsItemPerEvent")) {
        assertThat(figures.get(field)).as(field).isNotNull();
        assertThat(figures.get(field).asDouble()).as(field).isPositive();
      }
      assertThat(figures.get("rounds").asInt()).isEqualTo(3);
      assertThat(figures.get("speedupRounds")).hasSize(3);
      assertThat(figures.get("readSpeedupRounds")).hasSize(3);
      // items of some 300 bytes read at 4 KB a strongly consistent unit (at least 200 bytes each counted), against chunks of ~40 bytes an event
      assertThat(figures.get("readUnitsItemPerEvent").asDouble()).isGreaterThan(20_000 * 200 / 4096.0);
      assertThat(figures.get("readUnitRatio").asDouble()).isGreaterThan(1.0);
    } finally {
      assertThat(spillway("local", "down", "--home", home.toString()).out()).contains("stopped");
    }
    assertThat(ProcessHandle.of(servePid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
    assertThat(ProcessHandle.of(kinesisPid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
    assertThat(Files.exists(home.resolve("local").resolve("state.properties"))).isFalse();
    assertThat(spillway("local", "status", "--home", home.toString()).exit()).isEqualTo(3);
  }
}
