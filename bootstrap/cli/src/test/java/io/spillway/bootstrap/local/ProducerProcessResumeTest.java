package io.spillway.bootstrap.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.spillway.bootstrap.Spillway;
import io.spillway.bootstrap.SpillwayConfig;
import io.spillway.bootstrap.aws.AwsSettings;
import io.spillway.bootstrap.pipeline.EventDigest;
import io.spillway.bootstrap.workload.AnalyticsEvents;
import io.spillway.domain.event.Event;
import io.spillway.domain.job.JobId;
import io.spillway.domain.job.JobStatus;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A producer task as a real process on the local backend (the AWS SDK against kinesis-mock and
 * DynamoDB Local), killed with SIGKILL half-way through its partition after some of its chunks were
 * stored, and started again: the job completes with every event of both partitions exactly once, no
 * chunk stored twice, and the chunks stored before the kill not published again.
 */
class ProducerProcessResumeTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Path LOGS = Path.of("target", "producer-processes");
  @TempDir static Path home;
  private static LocalStandIns standIns;
  private static LocalStandIns.State state;
  private static final List<Process> started = new ArrayList<>();

  @BeforeAll
  static void up() throws Exception {
    standIns = new LocalStandIns(home);
    state = standIns.up(Duration.ofMinutes(3));
  }

  @AfterAll
  static void down() throws Exception {
    started.forEach(Process::destroyForcibly);
    standIns.down(Duration.ofSeconds(30));
  }

  private record Run(Process process, Path out, Path log) {
    String logged() throws Exception {
      return Files.readString(log, StandardCharsets.UTF_8);
    }

    JsonNode result() throws Exception {
      assertThat(process.waitFor(4, TimeUnit.MINUTES)).as("produce finishes").isTrue();
      assertThat(process.exitValue()).as(logged()).isZero();
      return JSON.readTree(Files.readString(out, StandardCharsets.UTF_8));
    }
  }

  private static Run produce(String name, String job, int partition, String... more) throws Exception {
    List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"), "-Xmx512m", "-cp",
        System.getProperty("java.class.path"), "io.spillway.bootstrap.cli.SpillwayCommand", "produce", job, "--partition", String.valueOf(partition),
        "--partitions", "2", "--events", "300000", "--buckets", "3", "--seed", "9", "--json",
        "--backend", "local", "--home", home.toString(), "--stream", name, "--table", name));
    command.addAll(List.of(more));
    String tag = job + "-p" + partition + "-" + System.nanoTime();
    Path out = home.resolve(tag + ".out");
    Path log = Files.createDirectories(LOGS).resolve(tag + ".log");
    Process p = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(log.toFile()).start();
    started.add(p);
    return new Run(p, out, log);
  }

  private static void await(Duration timeout, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as("condition within " + timeout).isLessThan(deadline);
      Thread.sleep(50);
    }
  }

  @Test
  void aProducerKilledMidPartitionIsRunAgainAndTheJobHoldsEveryEventOnce() throws Exception {
    String name = "resume-" + Long.toString(System.currentTimeMillis(), 36);
    String job = name + "-job";
    JobId id = new JobId(job);
    AwsSettings aws = AwsSettings.onStandIns(name, name, state.dynamoDb(), state.kinesis(), 2);
    try (Spillway spillway = Spillway.onAws(SpillwayConfig.defaults(), aws)) {
      spillway.consumer().start();

      Run doomed = produce(name, job, 1, "--stop-after", "150000");
      await(Duration.ofMinutes(3), () -> {
        try {
          return doomed.logged().contains("hanging until killed");
        } catch (Exception e) {
          return false;
        }
      });
      // some of the dead run's chunks are in the table before it dies
      await(Duration.ofMinutes(3), () -> spillway.operator().job(id).stored() >= 1);
      doomed.process().destroyForcibly().waitFor();
      assertThat(spillway.operator().job(id).job().status()).isEqualTo(JobStatus.PRODUCING);
      java.util.regex.Matcher cut = java.util.regex.Pattern.compile("stopped after \\d+ events \\((\\d+) chunks cut").matcher(doomed.logged());
      assertThat(cut.find()).as(doomed.logged()).isTrue();
      long cutByTheDeadRun = Long.parseLong(cut.group(1));

      JsonNode resumed = produce(name, job, 1).result();
      assertThat(resumed.get("opened").asText()).isEqualTo("RESUMED");
      // what the consumers had stored of the dead run's chunks when the task came back (they go on
      // storing what the stream holds after the kill): never more than it cut
      assertThat(resumed.get("chunksKnownStored").asLong()).isBetween(1L, cutByTheDeadRun);
      assertThat(resumed.get("chunksNotRepublished").asLong()).isEqualTo(resumed.get("chunksKnownStored").asLong());
      assertThat(resumed.get("partitionEvents").asLong()).isEqualTo(300_000);
      assertThat(resumed.get("jobStatus").asText()).isEqualTo("PRODUCING");

      JsonNode other = produce(name, job, 0).result();
      assertThat(other.get("opened").asText()).isEqualTo("NEW");
      assertThat(other.get("jobStatus").asText()).isIn("SEALED", "AVAILABLE");

      assertThat(spillway.reader().await(id, Duration.ofMinutes(3))).isEqualTo(JobStatus.AVAILABLE);
      EventDigest expected = new EventDigest();
      for (int p = 0; p < 2; p++) {
        Supplier<Event> events = AnalyticsEvents.forPartition(id, p, 9);
        for (int i = 0; i < 300_000; i++) {
          expected.add(events.get());
        }
      }
      EventDigest read = new EventDigest();
      spillway.reader().read(id, read::add);
      assertThat(read.count()).isEqualTo(600_000);
      assertThat(read.value()).isEqualTo(expected.value());
      long promised = spillway.operator().job(id).manifest().orElseThrow().chunkCount();
      assertThat(spillway.operator().job(id).stored()).as("no chunk stored twice, none left over from the dead run").isEqualTo(promised);
    }
  }
}
