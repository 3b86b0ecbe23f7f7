package io.spillway.bootstrap.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.spillway.adapters.aws.dynamodb.DynamoDbChunks;
import io.spillway.adapters.aws.dynamodb.SpillwayTable;
import io.spillway.application.port.in.OpenJob;
import io.spillway.bootstrap.SystemClock;
import io.spillway.bootstrap.pipeline.AnalyticsEvents;
import io.spillway.bootstrap.pipeline.EventDigest;
import io.spillway.domain.event.Event;
import io.spillway.domain.job.JobClass;
import io.spillway.domain.job.JobId;
import io.spillway.domain.job.JobStatus;
import io.spillway.domain.manifest.Manifest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Consumers as separate processes on the local stand-ins: one is killed mid-run (SIGKILL) and
 * restarted. Every job completes, nothing is lost, and no chunk is stored twice.
 */
class ConsumerProcessesTest {
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
    synchronized (STARTED) {
      for (Process p : STARTED) {
        p.destroyForcibly();
      }
    }
    standIns.down(Duration.ofSeconds(30));
  }

  /** Three jobs of 50,000 events each, published and sealed with no consumer running. */
  private static List<List<Event>> produce(AwsPipeline producer, String run) {
    List<List<Event>> jobs = new ArrayList<>();
    for (int j = 0; j < 3; j++) {
      JobId id = new JobId(run + "-" + j);
      List<Event> events = new AnalyticsEvents(id, 5 + j, Instant.parse("2026-01-01T00:00:00Z")).next(50_000);
      producer.intake().open(new OpenJob(Optional.of(id), run, JobClass.STANDARD, 3));
      producer.intake().appendAll(id, events);
      producer.intake().seal(id);
      jobs.add(events);
    }
    return jobs;
  }

  /** A consumer process; what it prints goes to a file next to the stand-ins' state. */
  private record Consumer(Process process, Path out) {}

  private static final List<Process> STARTED = new ArrayList<>();

  private static Consumer consumer(String stream, String table, String workerId) throws Exception {
    List<String> command = List.of(ProcessHandle.current().info().command().orElse("java"), "-Xmx1g", "-cp", System.getProperty("java.class.path"),
        "io.spillway.bootstrap.cli.SpillwayCommand", "consume", "--backend", "local", "--home", home.toString(),
        "--stream", stream, "--table", table, "--worker-id", workerId);
    Path out = home.resolve(workerId + "-" + System.nanoTime() + ".out");
    Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).redirectOutput(out.toFile()).start();
    synchronized (STARTED) {
      STARTED.add(process);
    }
    return new Consumer(process, out);
  }

  /** Stops a consumer with SIGTERM and returns the JSON line it prints on the way out. */
  private static JsonNode stop(Consumer consumer) throws Exception {
    consumer.process().destroy();
    assertThat(consumer.process().waitFor(90, TimeUnit.SECONDS)).isTrue();
    String out = Files.readString(consumer.out(), StandardCharsets.UTF_8).trim();
    String last = out.substring(out.lastIndexOf('\n') + 1);
    return new ObjectMapper().readTree(last);
  }

  private static long stored(DynamoDbChunks chunks, List<List<Event>> jobs) {
    long n = 0;
    for (List<Event> events : jobs) {
      for (int b = 0; b < 3; b++) n += chunks.count(events.get(0).jobId(), b);
    }
    return n;
  }

  private static void await(Duration timeout, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as("condition within " + timeout).isLessThan(deadline);
      Thread.sleep(20);
    }
  }

  private static void assertEveryJobReadsBackExactly(AwsPipeline reader, DynamoDbChunks chunks, List<List<Event>> jobs) {
    long promised = 0;
    for (List<Event> events : jobs) {
      JobId id = events.get(0).jobId();
      assertThat(reader.jobs().find(id).orElseThrow().status()).isEqualTo(JobStatus.AVAILABLE);
      promised += reader.jobs().manifest(id).map(Manifest::chunkCount).orElseThrow();
      EventDigest expected = new EventDigest();
      events.forEach(expected::add);
      EventDigest read = new EventDigest();
      reader.datasets().read(id, Optional.empty(), read::add);
      assertThat(read.count()).isEqualTo(expected.count());
      assertThat(read.value()).isEqualTo(expected.value());
    }
    assertThat(stored(chunks, jobs)).as("no chunk stored twice").isEqualTo(promised);
  }

  @Test
  void aConsumerKilledMidRunIsRestartedAndEveryJobCompletes() throws Exception {
    String run = "crash-" + Long.toString(System.currentTimeMillis(), 36);
    try (AwsPipeline producer = new AwsPipeline(AwsClients.local(state), new AwsPipeline.Settings(run, run, 4, 1, 1e9))) {
      List<List<Event>> jobs = produce(producer, run);
      DynamoDbChunks chunks = new DynamoDbChunks(new SpillwayTable(producer.clientsForTests().dynamo(), run), new SystemClock(), Optional.empty());
      long total = 0;
      for (List<Event> events : jobs) total += producer.jobs().manifest(events.get(0).jobId()).orElseThrow().chunkCount();
      long promised = total;

      Consumer first = consumer(run, run, "crash-worker");
      await(Duration.ofMinutes(4), () -> stored(chunks, jobs) >= 1);
      first.process().destroyForcibly().waitFor();
      long storedAtKill = stored(chunks, jobs);

      Consumer second = consumer(run, run, "crash-worker");
      await(Duration.ofMinutes(4), () -> jobs.stream().allMatch(l -> producer.jobs().find(l.get(0).jobId()).orElseThrow().status() == JobStatus.AVAILABLE));
      JsonNode secondStats = stop(second);

      assertThat(storedAtKill).as("killed mid-run").isLessThan(promised);
      assertThat(secondStats.get("chunksWritten").asLong()).isEqualTo(promised - storedAtKill);
      assertThat(secondStats.get("deadLettered").asLong()).isZero();
      assertEveryJobReadsBackExactly(producer, chunks, jobs);
    }
  }
}
