package io.spillway.bootstrap.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.spillway.adapters.aws.dynamodb.DynamoDbChunks;
import io.spillway.adapters.aws.dynamodb.DynamoDbDeadLetters;
import io.spillway.adapters.aws.dynamodb.SpillwayTable;
import io.spillway.application.port.in.OpenJob;
import io.spillway.bootstrap.SystemClock;
import io.spillway.application.service.PublisherSettings;
import io.spillway.bootstrap.SpillwayConfig;
import io.spillway.bootstrap.aws.AwsClients;
import io.spillway.bootstrap.aws.Patience;
import io.spillway.bootstrap.pipeline.EventDigest;
import io.spillway.bootstrap.workload.AnalyticsEvents;
import io.spillway.domain.event.Event;
import io.spillway.domain.job.JobClass;
import io.spillway.domain.job.JobId;
import io.spillway.domain.job.JobStatus;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code spillway consume} as an operated service on the local stand-ins: its table deleted under
 * it, and a backlog it cannot keep up with, watched through its metrics endpoint.
 */
class ConsumerServiceTest {
  private static final Path LOGS = Path.of("target", "consumer-service");
  private static final Pattern METRICS_AT = Pattern.compile("metrics on (http://[^ ]+)/metrics");
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

  private static ConsumeProcess consume(String run, String... options) throws Exception {
    return ConsumeProcess.start(home, LOGS, run, run, run + "-worker", options);
  }

  @Test
  void aTableDeletedUnderARunningConsumerStopsItWithOneLineAndARecreatedTableCompletesTheJob() throws Exception {
    String run = "gone-" + Long.toString(System.currentTimeMillis(), 36);
    // the test's own clients: each pipeline closes the clients it runs on
    AwsClients clients = AwsClients.local(state.dynamoDb(), state.kinesis());
    JobId id = new JobId(run + "-job");
    List<Event> events = new AnalyticsEvents(id, 11, Instant.parse("2026-11-28T00:00:00Z")).next(150_000);
    SpillwayTable table = new SpillwayTable(clients.dynamo(), run);
    DynamoDbChunks chunks = new DynamoDbChunks(table, new SystemClock(), Optional.empty());
    long promised;
    ConsumeProcess first;
    try (AwsPipeline producer = new AwsPipeline(AwsClients.local(state.dynamoDb(), state.kinesis()), new AwsPipeline.Settings(run, run, 2, 1, 1e9))) {
      // paced to about one 400 KB chunk every two seconds, so the table goes while records still wait in the stream
      first = consume(run, "--wcu", "200");
      producer.intake().open(new OpenJob(Optional.of(id), run, JobClass.STANDARD, 2));
      producer.intake().appendAll(id, events);
      producer.intake().seal(id);
      promised = producer.jobs().manifest(id).orElseThrow().chunkCount();
      await(Duration.ofMinutes(4), () -> stored(chunks, id) >= 1);
    }
    long deletedAt = System.nanoTime();
    clients.dynamo().deleteTable(r -> r.tableName(run));

    assertThat(first.process().waitFor(90, TimeUnit.SECONDS)).as("consume exits").isTrue();
    double secondsToExit = (System.nanoTime() - deletedAt) / 1e9;
    assertThat(first.process().exitValue()).isEqualTo(1);
    List<String> lines = first.logged().lines().toList();
    int at = lines.size() - 1;
    while (at >= 0 && !lines.get(at).startsWith("spillway consume: ")) {
      at--;
    }
    assertThat(at).as("a line saying why").isNotNegative();
    String said = lines.get(at);
    assertThat(said).contains("DynamoDB table " + run).contains("ResourceNotFoundException").contains("cannot succeed on retry");
    assertThat(lines.subList(at + 1, lines.size())).as("no stack trace after it").noneMatch(l -> l.startsWith("\tat "));
    assertThat(secondsToExit).isLessThan(30);
    System.out.printf("table deleted: consume exited 1 after %.1f s: %s%n", secondsToExit, said);

    // the operator re-creates the table; the job's records went with it, so its runner runs it again
    table.createIfAbsent(new SpillwayTable.Billing.OnDemand());
    try (clients; AwsPipeline rerun = new AwsPipeline(AwsClients.local(state.dynamoDb(), state.kinesis()), new AwsPipeline.Settings(run, run, 2, 1, 1e9))) {
      rerun.intake().open(new OpenJob(Optional.of(id), run, JobClass.STANDARD, 2));
      rerun.intake().appendAll(id, events);
      rerun.intake().seal(id);
      assertThat(rerun.jobs().manifest(id).orElseThrow().chunkCount()).isEqualTo(promised);
      ConsumeProcess second = consume(run);
      await(Duration.ofMinutes(4), () -> rerun.jobs().find(id).orElseThrow().status() == JobStatus.AVAILABLE);
      JsonNode stats = second.stop();

      assertThat(stats.get("deadLettered").asLong()).as("no record that met the missing table was dead-lettered or skipped").isZero();
      assertThat(new DynamoDbDeadLetters(table).list(100)).isEmpty();
      assertThat(stored(chunks, id)).as("every chunk stored once").isEqualTo(promised);
      EventDigest expected = new EventDigest();
      events.forEach(expected::add);
      EventDigest read = new EventDigest();
      rerun.datasets().read(id, Optional.empty(), read::add);
      assertThat(read.count()).isEqualTo(expected.count());
      assertThat(read.value()).isEqualTo(expected.value());
    }
  }

  @Test
  void aConsumerPacedBelowTheArrivalLeavesOkAndProjectsLossNearTheClosedForm() throws Exception {
    String run = "backlog-" + Long.toString(System.currentTimeMillis(), 36);
    // kinesis-mock keeps records 24 h: horizons that a backlog growing for two minutes can reach
    Path config = Files.writeString(home.resolve(run + ".properties"), String.join("\n",
        "spillway.risk.watch=72h", "spillway.risk.critical=12h", "spillway.risk.window=120s", "spillway.consumer.batchRecords=2", ""));
    // chunks leave in pairs, so they arrive at an even pace rather than in 5 MB PutRecords bursts
    PublisherSettings d = PublisherSettings.defaults();
    SpillwayConfig smooth = SpillwayConfig.defaults().withPublisher(new PublisherSettings(d.maxBufferedBytes(), 2, d.batchBytes(), d.backoffBase(),
        d.backoffMax(), d.backpressure(), d.blockTimeout()));
    try (AwsPipeline producer = new AwsPipeline(AwsClients.local(state.dynamoDb(), state.kinesis()), new AwsPipeline.Settings(run, run, 2, 1, 1e9),
        Patience.BRIEF, smooth)) {
      ConsumeProcess consumer = consume(run, "--wcu", "400", "--metrics-port", "0", "--config", config.toString());
      await(Duration.ofMinutes(2), () -> METRICS_AT.matcher(consumer.logged()).find());
      Matcher at = METRICS_AT.matcher(consumer.logged());
      assertThat(at.find()).isTrue();
      URI metrics = URI.create(at.group(1) + "/metrics");
      await(Duration.ofMinutes(2), () -> get(URI.create(at.group(1) + "/health/ready")).statusCode() == 200);
      assertThat(scrape(metrics, "spillway_retention_risk_level{stream=\"" + run + "\"}")).isZero();

      // about two chunks a second against a drain of about one: the backlog's age grows half a second per second
      JobId id = new JobId(run + "-job");
      producer.intake().open(new OpenJob(Optional.of(id), run, JobClass.STANDARD, 4));
      AnalyticsEvents source = new AnalyticsEvents(id, 3, Instant.parse("2026-11-28T00:00:00Z"));
      long start = System.nanoTime();
      double windowStart = -1;
      long publishedAtWindow = 0;
      double writtenAtWindow = 0;
      long windowStartNanos = 0;
      // the test measures arrival and drain over the same last 120 s that the monitor's window covers
      // (spillway.risk.window above): over different stretches, an uneven drain on a busy machine reads differently
      while (System.nanoTime() - start < TimeUnit.SECONDS.toNanos(170)) {
        double seconds = (System.nanoTime() - start) / 1e9;
        if (producer.publisher().stats().chunksPublished() < 2 * seconds) {
          producer.intake().appendAll(id, source.next(500));
        } else {
          Thread.sleep(20);
        }
        if (windowStart < 0 && seconds >= 50) {
          windowStart = seconds;
          windowStartNanos = System.nanoTime();
          publishedAtWindow = producer.publisher().stats().chunksPublished();
          writtenAtWindow = scrape(metrics, "spillway_ingest_chunks_written_total{stream=\"" + run + "\"}");
        }
      }
      double window = (System.nanoTime() - windowStartNanos) / 1e9;
      double arrival = (producer.publisher().stats().chunksPublished() - publishedAtWindow) / window;
      double drain = (scrape(metrics, "spillway_ingest_chunks_written_total{stream=\"" + run + "\"}") - writtenAtWindow) / window;
      double oldest = scrape(metrics, "spillway_retention_oldest_age_seconds{stream=\"" + run + "\"}");
      double closedForm = (Duration.ofHours(24).toSeconds() - oldest) / (1 - drain / arrival);
      double projected = scrape(metrics, "spillway_retention_seconds_to_loss{stream=\"" + run + "\"}");
      double level = scrape(metrics, "spillway_retention_risk_level{stream=\"" + run + "\"}");
      System.out.printf("backlog: arrival %.2f chunks/s, drain %.2f chunks/s, oldest %.0f s; loss projected in %.0f s, closed form %.0f s "
          + "(error %.1f %%), level %.0f%n", arrival, drain, oldest, projected, closedForm, 100 * (projected - closedForm) / closedForm, level);

      assertThat(drain).as("the consumer is paced below the arrival").isLessThan(0.8 * arrival);
      assertThat(level).as("left OK").isGreaterThanOrEqualTo(1);
      assertThat(projected).isCloseTo(closedForm, org.assertj.core.data.Percentage.withPercentage(20));
      assertThat(get(metrics).body()).contains("spillway_iterator_age_seconds{shard=\"shardId-000000000000\",stream=\"" + run + "\"}");
      assertThat(consumer.logged()).containsPattern("retention risk .*WATCH");
      consumer.process().destroy();
      assertThat(consumer.process().waitFor(90, TimeUnit.SECONDS)).isTrue();
    }
  }

  private static HttpResponse<String> get(URI uri) {
    try {
      return HttpClient.newHttpClient().send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
    } catch (Exception e) {
      throw new IllegalStateException("GET " + uri + ": " + e, e);
    }
  }

  private static double scrape(URI metrics, String series) {
    return get(metrics).body().lines().filter(l -> l.startsWith(series + " "))
        .mapToDouble(l -> Double.parseDouble(l.substring(series.length() + 1).trim())).findFirst()
        .orElseThrow(() -> new AssertionError("no series " + series));
  }

  private static long stored(DynamoDbChunks chunks, JobId id) {
    return chunks.count(id, 0) + chunks.count(id, 1);
  }

  private static void await(Duration timeout, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as("condition within " + timeout).isLessThan(deadline);
      Thread.sleep(200);
    }
  }
}
