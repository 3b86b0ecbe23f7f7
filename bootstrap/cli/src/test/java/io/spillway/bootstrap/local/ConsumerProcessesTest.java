package io.spillway.bootstrap.local;

import io.spillway.bootstrap.aws.AwsClients;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.spillway.adapters.aws.dynamodb.DynamoDbChunks;
import io.spillway.adapters.aws.dynamodb.SpillwayTable;
import io.spillway.application.port.in.OpenJob;
import io.spillway.bootstrap.SystemClock;
import io.spillway.bootstrap.workload.AnalyticsEvents;
import io.spillway.bootstrap.pipeline.EventDigest;
import io.spillway.domain.event.Event;
import io.spillway.domain.job.JobClass;
import io.spillway.domain.job.JobId;
import io.spillway.domain.job.JobStatus;
import io.spillway.domain.manifest.Manifest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Consumers as separate processes on the local stand-ins: one is killed mid-run (SIGKILL) and
 * restarted; of two sharing the shards, the leader is stopped (SIGKILL, or SIGTERM) and the other
 * takes over its shards. Every job completes, nothing is lost, and no chunk is stored twice.
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
    ConsumeProcess.killAll();
    standIns.down(Duration.ofSeconds(30));
  }

  /** Three jobs of 50,000 events each, published and sealed. */
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

  /** Where the consumer processes' logs are kept after the run (the module's build directory). */
  private static final Path LOGS = Path.of("target", "consumer-processes");

  private static ConsumeProcess consumer(String stream, String table, String workerId) throws Exception {
    return ConsumeProcess.start(home, LOGS, stream, table, workerId);
  }

  private static long stored(DynamoDbChunks chunks, List<List<Event>> jobs) {
    long n = 0;
    for (List<Event> events : jobs) {
      for (int b = 0; b < 3; b++) n += chunks.count(events.get(0).jobId(), b);
    }
    return n;
  }

  private static void await(Duration timeout, BooleanSupplier condition) throws InterruptedException {
    await(timeout, Duration.ofMillis(20), condition);
  }

  private static void await(Duration timeout, Duration poll, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as("condition within " + timeout).isLessThan(deadline);
      Thread.sleep(poll.toMillis());
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
    try (AwsPipeline producer = new AwsPipeline(AwsClients.local(state.dynamoDb(), state.kinesis()), new AwsPipeline.Settings(run, run, 4, 1, 1e9))) {
      List<List<Event>> jobs = produce(producer, run);
      DynamoDbChunks chunks = new DynamoDbChunks(new SpillwayTable(producer.clientsForTests().dynamo(), run), new SystemClock(), Optional.empty());
      long total = 0;
      for (List<Event> events : jobs) total += producer.jobs().manifest(events.get(0).jobId()).orElseThrow().chunkCount();
      long promised = total;

      ConsumeProcess first = consumer(run, run, "crash-worker");
      await(Duration.ofMinutes(4), () -> stored(chunks, jobs) >= 1);
      first.process().destroyForcibly().waitFor();
      long storedAtKill = stored(chunks, jobs);

      ConsumeProcess second = consumer(run, run, "crash-worker");
      await(Duration.ofMinutes(4), () -> jobs.stream().allMatch(l -> producer.jobs().find(l.get(0).jobId()).orElseThrow().status() == JobStatus.AVAILABLE));
      JsonNode secondStats = second.stop();

      assertThat(storedAtKill).as("killed mid-run").isLessThan(promised);
      assertThat(secondStats.get("chunksWritten").asLong()).isEqualTo(promised - storedAtKill);
      assertThat(secondStats.get("deadLettered").asLong()).isZero();
      assertEveryJobReadsBackExactly(producer, chunks, jobs);
    }
  }

  /**
   * Waits until the stream's 4 leases are spread over exactly these consumers and each consumer
   * reads the shards it holds (a lease assigned by the leader is not yet read), and returns the owners.
   */
  private static Map<String, String> awaitReadBy(Collection<ConsumeProcess> consumers, KclLeases leases, Duration timeout) throws InterruptedException {
    Map<String, ConsumeProcess> byId = consumers.stream().collect(Collectors.toMap(ConsumeProcess::workerId, c -> c));
    AtomicReference<Map<String, String>> owners = new AtomicReference<>();
    // a lease-table scan and the logs read per poll: five a second are plenty to time a takeover
    await(timeout, Duration.ofMillis(200), () -> {
      owners.set(KclLeases.owners(leases.read()));
      return owners.get().size() == 4 && Set.copyOf(owners.get().values()).equals(byId.keySet())
          && owners.get().entrySet().stream().allMatch(e -> byId.get(e.getValue()).reads(e.getKey()));
    });
    return owners.get();
  }

  /** How the leader of two consumers is stopped. */
  enum Stop {
    /** SIGKILL: nothing is released; its leases and its leader lock have to expire. */
    KILL,
    /** SIGTERM: a graceful stop; the leader lock is released, the leases still expire. */
    TERM
  }

  @ParameterizedTest
  @EnumSource(Stop.class)
  void whenTheLeaderOfTwoConsumersStopsTheOtherTakesOverItsShardsAndEveryJobCompletes(Stop how) throws Exception {
    String run = "failover-" + how.name().toLowerCase() + "-" + Long.toString(System.currentTimeMillis(), 36);
    try (AwsPipeline producer = new AwsPipeline(AwsClients.local(state.dynamoDb(), state.kinesis()), new AwsPipeline.Settings(run, run, 4, 1, 1e9))) {
      DynamoDbChunks chunks = new DynamoDbChunks(new SpillwayTable(producer.clientsForTests().dynamo(), run), new SystemClock(), Optional.empty());
      KclLeases leases = new KclLeases(producer.clientsForTests().dynamo(), AwsPipeline.consumerApplication(run));
      long started = System.nanoTime();
      Map<String, ConsumeProcess> consumers = Map.of("failover-a", consumer(run, run, "failover-a"), "failover-b", consumer(run, run, "failover-b"));
      // KCL waits up to 30 s for a lease table someone else may fill before it creates the leases
      Map<String, String> shared = awaitReadBy(consumers.values(), leases, Duration.ofMinutes(3));
      long sharedAt = System.nanoTime();

      // the harder case: the one stopped is the leader, the only worker that reassigns leases
      String stopped = leases.leader().orElseThrow();
      String survivor = consumers.keySet().stream().filter(id -> !id.equals(stopped)).findFirst().orElseThrow();
      if (how == Stop.KILL) {
        consumers.get(stopped).process().destroyForcibly().waitFor();
      } else {
        assertThat(consumers.get(stopped).stop().get("chunksWritten").asLong()).isZero();
      }
      long stoppedAt = System.nanoTime();
      // published after the stop, while the survivor takes over: it alone reads every shard, the stopped one's included
      CompletableFuture<List<List<Event>>> published = CompletableFuture.supplyAsync(() -> produce(producer, run));
      awaitReadBy(Set.of(consumers.get(survivor)), leases, Duration.ofMinutes(2));
      long movedAt = System.nanoTime();
      List<List<Event>> jobs = published.join();
      await(Duration.ofMinutes(2), () -> jobs.stream().allMatch(l -> producer.jobs().find(l.get(0).jobId()).orElseThrow().status() == JobStatus.AVAILABLE));
      long availableAt = System.nanoTime();
      JsonNode stats = consumers.get(survivor).stop();

      long promised = 0;
      for (List<Event> events : jobs) promised += producer.jobs().manifest(events.get(0).jobId()).orElseThrow().chunkCount();
      assertThat(stats.get("chunksWritten").asLong()).as("the survivor stored every chunk").isEqualTo(promised);
      assertThat(stats.get("deadLettered").asLong()).isZero();
      assertEveryJobReadsBackExactly(producer, chunks, jobs);
      Map<String, KclLeases.Lease> end = leases.read();
      assertThat(shared.keySet().stream().filter(shard -> shared.get(shard).equals(stopped)))
          .as("a shard of the stopped leader was read after it stopped: %s", end)
          .anyMatch(shard -> !end.get(shard).checkpoint().equals("TRIM_HORIZON"));
      System.out.printf("failover (%s): shards shared after %d ms %s; leader %s stopped; its shards held by %s after %d ms; "
              + "%d chunks, all stored %d ms after the stop%n", how, (sharedAt - started) / 1_000_000, shared, stopped, survivor,
          (movedAt - stoppedAt) / 1_000_000, promised, (availableAt - stoppedAt) / 1_000_000);
    }
  }

  /** Whether one of two consumers is killed while the jobs flow. */
  enum Kill {
    NONE,
    ONE
  }

  /**
   * Two consumer processes share the shards while 120 jobs of ten chunks each (one per group, on
   * every shard) are published at a steady pace: whichever process stores a job's last chunk, the
   * job becomes AVAILABLE seconds after its seal. With one consumer killed mid-run, the survivor
   * takes over its shards and every job still completes, nothing stored twice.
   */
  @ParameterizedTest
  @EnumSource(Kill.class)
  void withTwoConsumersEveryJobBecomesAvailableSoonAfterItsLastChunk(Kill kill) throws Exception {
    String run = "complete-" + kill.name().toLowerCase() + "-" + Long.toString(System.currentTimeMillis(), 36);
    try (AwsPipeline producer = new AwsPipeline(AwsClients.local(state.dynamoDb(), state.kinesis()), new AwsPipeline.Settings(run, run, 4, 1, 1e9))) {
      DynamoDbChunks chunks = new DynamoDbChunks(new SpillwayTable(producer.clientsForTests().dynamo(), run), new SystemClock(), Optional.empty());
      KclLeases leases = new KclLeases(producer.clientsForTests().dynamo(), AwsPipeline.consumerApplication(run));
      Map<String, ConsumeProcess> consumers = Map.of("complete-a", consumer(run, run, "complete-a"), "complete-b", consumer(run, run, "complete-b"));
      awaitReadBy(consumers.values(), leases, Duration.ofMinutes(3));

      List<List<Event>> jobs = new ArrayList<>();
      for (int j = 0; j < 120; j++) {
        if (kill == Kill.ONE && j == 40) {
          consumers.get("complete-b").process().destroyForcibly().waitFor();
        }
        JobId id = new JobId(run + "-" + j);
        List<Event> events = new AnalyticsEvents(id, j, Instant.parse("2026-01-01T00:00:00Z")).next(1_000);
        producer.intake().open(new OpenJob(Optional.of(id), run, JobClass.STANDARD, 3));
        producer.intake().appendAll(id, events);
        producer.intake().seal(id);
        jobs.add(events);
        Thread.sleep(100); // a steady pace of about eight jobs a second, not a synchronisation
      }
      await(Duration.ofMinutes(kill == Kill.ONE ? 4 : 2), Duration.ofMillis(500),
          () -> jobs.stream().allMatch(l -> producer.jobs().find(l.get(0).jobId()).orElseThrow().status() == JobStatus.AVAILABLE));

      List<Long> latencies = new ArrayList<>();
      for (List<Event> events : jobs) {
        JobId id = events.get(0).jobId();
        Manifest manifest = producer.jobs().manifest(id).orElseThrow();
        assertThat(manifest.chunkCount()).as("a chunk per group").isEqualTo(10);
        latencies.add(Duration.between(manifest.sealedAt(), producer.jobs().find(id).orElseThrow().updatedAt()).toMillis());
      }
      latencies.sort(null);
      System.out.printf("completion (%s kill): 120 jobs, seal -> AVAILABLE p50 %d ms, p95 %d ms, max %d ms%n", kill,
          latencies.get(59), latencies.get(113), latencies.get(119));
      if (kill == Kill.NONE) {
        // the availability sweep runs every 5 s and waits 10 s of quiet: a job found only by it would take longer
        assertThat(latencies.get(119)).as("every job AVAILABLE within seconds of its seal").isLessThan(8_000);
      }
      assertEveryJobReadsBackExactly(producer, chunks, jobs);
      for (ConsumeProcess c : consumers.values()) {
        if (c.process().isAlive()) {
          assertThat(c.stop().get("deadLettered").asLong()).isZero();
        }
      }
    }
  }
}
