package io.spillway.bootstrap.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.spillway.bootstrap.Spillway;
import io.spillway.bootstrap.SpillwayConfig;
import io.spillway.bootstrap.aws.AwsSettings;
import io.spillway.bootstrap.workload.AnalyticsEvents;
import io.spillway.domain.event.Event;
import io.spillway.domain.job.Job;
import io.spillway.domain.job.JobClass;
import io.spillway.domain.job.JobId;
import io.spillway.domain.job.JobStatus;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The operator commands against the local stand-ins, as an operator runs them: a job produced and
 * persisted through kinesis-mock, a KCL worker and DynamoDB Local, then listed, shown, waited for,
 * verified and exported with {@code --backend local}; the export is checked with Debian's own zstd.
 */
class OperatorCommandsOnStandInsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  @TempDir static Path home;
  private static LocalStandIns standIns;
  private static LocalStandIns.State state;

  @BeforeAll
  static void up() throws Exception {
    standIns = new LocalStandIns(home);
    state = standIns.up(Duration.ofMinutes(3));
  }

  @AfterAll
  static void down() throws Exception {
    standIns.down(Duration.ofSeconds(30));
  }

  private static CommandLineRun spillway(String... args) {
    return CommandLineRun.of(args);
  }

  @Test
  void aJobStoredThroughKclIsListedShownVerifiedAndExportedSoThatZstdDecompressesExactlyItsEvents(@TempDir Path dir) throws Exception {
    String name = "ops-" + Long.toString(System.currentTimeMillis(), 36);
    AwsSettings aws = AwsSettings.onStandIns(name, name, state.dynamoDb(), state.kinesis(), 2);
    Job job;
    List<Event> events;
    try (Spillway spillway = Spillway.onAws(SpillwayConfig.defaults(), aws)) {
      spillway.consumer().start();
      job = spillway.producer().open("exported nightly", JobClass.STANDARD, 3);
      events = new AnalyticsEvents(job.id(), 5, Instant.parse("2026-11-28T00:00:00Z")).next(30_000);
      spillway.producer().appendAll(job.id(), events);
      spillway.producer().seal(job.id());
      assertThat(spillway.reader().await(job.id(), Duration.ofMinutes(3))).isEqualTo(JobStatus.AVAILABLE);
    }
    String[] where = {"--backend", "local", "--home", home.toString(), "--stream", name, "--table", name};
    String id = job.id().value();

    CommandLineRun listed = spillway(with(where, "jobs", "list", "--since", "1h", "--json"));
    CommandLineRun shown = spillway(with(where, "jobs", "show", id, "--json"));
    CommandLineRun waited = spillway(with(where, "jobs", "wait", id, "--timeout", "10s"));
    CommandLineRun verified = spillway(with(where, "verify", id, "--json"));
    Path export = dir.resolve("x.jsonl.zst");
    CommandLineRun read = spillway(with(where, "read", id, "--out", export.toString()));

    assertThat(listed.exit()).as(listed.out()).isZero();
    assertThat(JSON.readTree(listed.out()).get("jobs")).extracting(j -> j.get("id").asText()).containsExactly(id);
    assertThat(JSON.readTree(shown.out()).get("chunksMissing").asLong()).isZero();
    assertThat(waited.exit()).isZero();
    assertThat(verified.exit()).as(verified.out()).isZero();
    assertThat(JSON.readTree(verified.out()).get("events").asLong()).isEqualTo(events.size());
    assertThat(read.exit()).as(read.out()).isZero();

    Process zstd = new ProcessBuilder("zstd", "-d", "-c", export.toString()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    byte[] decompressed = zstd.getInputStream().readAllBytes();
    assertThat(zstd.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(zstd.exitValue()).isZero();
    List<Event> back = new ArrayList<>();
    for (String line : new String(decompressed, StandardCharsets.UTF_8).lines().toList()) {
      JsonNode n = JSON.readTree(line);
      back.add(new Event(JobId.of(n.get("job").asText()), n.get("sequence").asLong(), n.get("eventId").asText(),
          Instant.parse(n.get("eventTime").asText()), n.get("type").asText(), n.get("group").asText(), n.get("schemaVersion").asInt(),
          n.get("payload").asText().getBytes(StandardCharsets.UTF_8)));
    }
    assertThat(back).hasSameSizeAs(events).containsExactlyInAnyOrderElementsOf(events);

    // an operator fails a job that will never be sealed, and replays the dead letters after a fix
    Job abandoned;
    io.spillway.domain.chunk.Chunk orphan;
    try (Spillway spillway = Spillway.onAws(SpillwayConfig.defaults(), aws)) {
      abandoned = spillway.producer().open("abandoned", JobClass.STANDARD, 1);
      try (java.util.stream.Stream<io.spillway.domain.chunk.Chunk> s = spillway.services().chunks().read(job.id(), 0, java.util.Optional.empty())) {
        orphan = s.findFirst().orElseThrow();
      }
      spillway.services().deadLetters().add(io.spillway.application.port.out.DeadLetter.of("shardId-000000000000", "0001", "MALFORMED",
          "bad magic", "not a chunk".getBytes(StandardCharsets.UTF_8), Instant.parse("2026-11-28T01:00:00Z")));
      // a chunk already stored, dead-lettered by hand: its replay finds it stored and removes the letter
      spillway.services().deadLetters().add(io.spillway.application.port.out.DeadLetter.of("shardId-000000000001", "0002", "UNKNOWN_JOB",
          "no job record", orphan.record(), Instant.parse("2026-11-28T01:00:01Z")));
    }
    CommandLineRun failed = spillway(with(where, "jobs", "fail", abandoned.id().value(), "--json"));
    CommandLineRun waitFailed = spillway(with(where, "jobs", "wait", abandoned.id().value(), "--timeout", "5s"));
    CommandLineRun letters = spillway(with(where, "dead-letters", "list", "--json"));
    CommandLineRun shownLetter = spillway(with(where, "dead-letters", "show", "shardId-000000000001@0002"));
    CommandLineRun replayed = spillway(with(where, "dead-letters", "replay", "--all", "--json"));
    CommandLineRun lettersAfter = spillway(with(where, "dead-letters", "list", "--json"));

    assertThat(JSON.readTree(failed.out()).get("status").asText()).isEqualTo("FAILED");
    assertThat(waitFailed.exit()).isEqualTo(4);
    assertThat(JSON.readTree(letters.out()).get("count").asLong()).isEqualTo(2);
    assertThat(shownLetter.out()).contains("header    chunk " + orphan.id());
    assertThat(replayed.exit()).isEqualTo(3);
    assertThat(JSON.readTree(replayed.out()).get("replayed")).extracting(r -> r.get("outcome").asText()).containsExactly("STILL_POISON", "ALREADY_STORED");
    assertThat(JSON.readTree(lettersAfter.out()).get("deadLetters")).extracting(d -> d.get("id").asText()).containsExactly("shardId-000000000000@0001");
    assertThat(JSON.readTree(lettersAfter.out()).get("deadLetters").get(0).get("detail").asText()).startsWith("replayed ").contains("MALFORMED: bad magic");
  }

  private static String[] with(String[] where, String... command) {
    String[] all = new String[command.length + where.length];
    System.arraycopy(command, 0, all, 0, command.length);
    System.arraycopy(where, 0, all, command.length, where.length);
    return all;
  }
}
