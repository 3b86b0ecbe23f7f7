package io.spillway.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.spillway.adapters.inmemory.InMemoryJobs;
import io.spillway.application.port.out.Clock;
import io.spillway.application.port.out.DeadLetters;
import io.spillway.application.port.out.Jobs;
import io.spillway.application.port.out.PermanentStoreException;
import io.spillway.application.port.out.StoredChunks;
import io.spillway.application.service.AvailabilityCheck;
import io.spillway.application.service.ChunkPublisher;
import io.spillway.application.service.DatasetService;
import io.spillway.application.service.IngestService;
import io.spillway.application.service.IntakeService;
import io.spillway.application.service.WriteRateGovernor;
import io.spillway.bootstrap.metrics.MetricsServer;
import io.spillway.bootstrap.metrics.SpillwayMetrics;
import io.spillway.bootstrap.wiring.InMemorySpillway;
import io.spillway.bootstrap.wiring.SpillwayServices;
import io.spillway.bootstrap.wiring.StreamRetention;
import io.spillway.domain.job.Job;
import io.spillway.domain.job.JobId;
import io.spillway.domain.manifest.Manifest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import io.micrometer.core.instrument.Tags;
import org.junit.jupiter.api.Test;

/** A consumer's health, its stop on a failure no retry fixes, and what its endpoint answers, over a fleet the test controls. */
class SpillwayConsumerTest {

  /** Workers the test starts, holds leases for, and fails at will. */
  private static final class ScriptedFleet implements ConsumerFleet {
    final CompletableFuture<PermanentStoreException> failure = new CompletableFuture<>();
    final AtomicInteger running = new AtomicInteger();
    final AtomicBoolean closed = new AtomicBoolean();
    ShardTracker tracker;

    @Override
    public void start(ShardTracker tracker) {
      this.tracker = tracker;
      running.set(1);
    }

    @Override
    public int workersRunning() {
      return running.get();
    }

    @Override
    public CompletableFuture<PermanentStoreException> failure() {
      return failure;
    }

    @Override
    public void close() {
      closed.set(true);
      running.set(0);
    }
  }

  /** The in-memory services, with a job store whose sealed list can be made to fail for good (the table is gone). */
  private static SpillwayServices services(AtomicBoolean tableGone, Duration sweep) {
    InMemorySpillway memory = InMemorySpillway.create(SpillwayConfig.defaults().withAvailabilitySweep(sweep, Duration.ofMinutes(1)),
        new SystemClock());
    Jobs jobs = new GoneableJobs(new InMemoryJobs(), tableGone);
    AvailabilityCheck availability = new AvailabilityCheck(jobs, memory.chunks(), memory.clock());
    return new SpillwayServices() {
      public IntakeService intake() { return memory.intake(); }
      public ChunkPublisher publisher() { return memory.publisher(); }
      public IngestService ingest() { return memory.ingest(); }
      public WriteRateGovernor governor() { return memory.governor(); }
      public AvailabilityCheck availability() { return availability; }
      public DatasetService datasets() { return memory.datasets(); }
      public Jobs jobs() { return jobs; }
      public DeadLetters deadLetters() { return memory.deadLetters(); }
      public io.spillway.application.port.out.Chunks chunks() { return memory.chunks(); }
      public io.spillway.domain.chunk.CodecRegistry codecs() { return memory.codecs(); }
      public Clock clock() { return memory.clock(); }
      public SpillwayConfig config() { return memory.config(); }
      public StreamRetention retention() { return memory.retention(); }
    };
  }

  @Test
  void liveOnceWorkersRunReadyOnlyWhileItHoldsLeasesAndNeitherOnceStopped() {
    ScriptedFleet fleet = new ScriptedFleet();
    SpillwayConsumer consumer = new SpillwayConsumer(services(new AtomicBoolean(), Duration.ofMinutes(5)), fleet);
    assertThat(consumer.health().live()).isFalse();

    consumer.start();
    assertThat(consumer.health()).extracting(SpillwayConsumer.Health::live, SpillwayConsumer.Health::ready).containsExactly(true, false);
    assertThat(consumer.health().detail()).isEqualTo("holds no lease");

    fleet.tracker.leaseTaken("shardId-000000000000");
    fleet.tracker.batchDone("shardId-000000000000", Optional.of(Instant.now().minusSeconds(30)), 3, 1_000, false);
    assertThat(consumer.health()).extracting(SpillwayConsumer.Health::ready, SpillwayConsumer.Health::leasesHeld).containsExactly(true, 1);
    assertThat(consumer.stats().recordsProcessed()).isEqualTo(3);
    assertThat(consumer.stats().iteratorAges().get("shardId-000000000000")).isGreaterThanOrEqualTo(Duration.ofSeconds(30));

    fleet.tracker.leaseEnded("shardId-000000000000");
    assertThat(consumer.health().ready()).isFalse();
    consumer.close();
    assertThat(fleet.closed).isTrue();
    assertThat(consumer.health().live()).isFalse();
  }

  @Test
  void aWorkerStoppedForGoodMakesTheConsumerNotLiveAndSaysWhy() {
    ScriptedFleet fleet = new ScriptedFleet();
    SpillwayConsumer consumer = new SpillwayConsumer(services(new AtomicBoolean(), Duration.ofMinutes(5)), fleet).start();

    fleet.failure.complete(new PermanentStoreException("table t", "PutItem on DynamoDB table t failed and cannot succeed on retry", null));

    assertThat(consumer.failure()).isDone();
    assertThat(consumer.health().live()).isFalse();
    assertThat(consumer.health().detail()).contains("table t");
  }

  @Test
  void anIdleConsumerWhoseTableIsGoneStopsAtItsNextSweep() throws Exception {
    AtomicBoolean tableGone = new AtomicBoolean();
    ScriptedFleet fleet = new ScriptedFleet();
    SpillwayConsumer consumer = new SpillwayConsumer(services(tableGone, Duration.ofMillis(50)), fleet).start();

    tableGone.set(true);
    PermanentStoreException stopped = consumer.failure().get(10, TimeUnit.SECONDS);

    assertThat(stopped.getMessage()).contains("gone-table");
    assertThat(fleet.closed).as("its workers were stopped").isTrue();
    assertThat(consumer.health().live()).isFalse();
  }

  @Test
  void theEndpointAnswersHealthAsProbesExpectAndMetricsAsPrometheusText() throws Exception {
    ScriptedFleet fleet = new ScriptedFleet();
    SpillwayServices services = services(new AtomicBoolean(), Duration.ofMinutes(5));
    SpillwayConsumer consumer = new SpillwayConsumer(services, fleet);
    PrometheusMeterRegistry registry = MetricsServer.prometheusRegistry();
    SpillwayMetrics meters = new SpillwayMetrics(services, () -> Optional.of(consumer), Tags.of("stream", "s"));
    meters.bindTo(registry);
    try (MetricsServer server = MetricsServer.start(MetricsServer.loopback(0), registry, meters, consumer::health)) {
      assertThat(get(server, "/health/live").statusCode()).isEqualTo(503);
      consumer.start();
      fleet.tracker.leaseTaken("shardId-000000000001");
      fleet.tracker.batchDone("shardId-000000000001", Optional.of(Instant.now().minusSeconds(90)), 2, 500, false);

      assertThat(get(server, "/health/live").statusCode()).isEqualTo(200);
      assertThat(get(server, "/health/ready").statusCode()).isEqualTo(200);
      assertThat(get(server, "/nowhere").statusCode()).isEqualTo(404);
      String metrics = get(server, "/metrics").body();
      assertThat(metrics).contains("spillway_iterator_age_seconds{shard=\"shardId-000000000001\",stream=\"s\"} 9")
          .contains("spillway_consumer_records_processed_total{stream=\"s\"} 2.0")
          .contains("spillway_consumer_leases{stream=\"s\"} 1.0");

      fleet.tracker.leaseEnded("shardId-000000000001");
      assertThat(get(server, "/metrics").body()).doesNotContain("shard=\"shardId-000000000001\"");
      assertThat(get(server, "/health/ready").statusCode()).isEqualTo(503);
    } finally {
      consumer.close();
    }
  }

  private static HttpResponse<String> get(MetricsServer server, String path) throws Exception {
    URI uri = URI.create("http://127.0.0.1:" + server.address().getPort() + path);
    return HttpClient.newHttpClient().send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
  }

  /** Jobs whose table can vanish: every call then fails as DynamoDB's adapter reports a missing table. */
  private record GoneableJobs(Jobs delegate, AtomicBoolean gone) implements Jobs {
    private void check() {
      if (gone.get()) {
        throw new PermanentStoreException("gone-table", "Query of sealed jobs on DynamoDB table gone-table failed and cannot succeed on retry", null);
      }
    }

    public boolean create(Job job) { check(); return delegate.create(job); }
    public Optional<Job> find(JobId id) { check(); return delegate.find(id); }
    public boolean replace(Job current, Job next) { check(); return delegate.replace(current, next); }
    public void putManifest(Manifest manifest) { check(); delegate.putManifest(manifest); }
    public Optional<Manifest> manifest(JobId id) { check(); return delegate.manifest(id); }
    public Optional<StoredChunks> addStored(JobId id, long chunks) { check(); return delegate.addStored(id, chunks); }
    public Optional<StoredChunks> progress(JobId id) { check(); return delegate.progress(id); }
    public List<JobId> sealed() { check(); return delegate.sealed(); }
    public List<Job> opened(Instant from, Instant to) { check(); return delegate.opened(from, to); }
    public void owesAnnouncement(JobId id) { check(); delegate.owesAnnouncement(id); }
    public List<JobId> owedAnnouncements() { check(); return delegate.owedAnnouncements(); }
    public void announced(JobId id) { check(); delegate.announced(id); }
    public void touchPartition(JobId id, int p, Instant at, long n) { check(); delegate.touchPartition(id, p, at, n); }
    public void putPartitionManifest(io.spillway.domain.manifest.PartitionManifest m) { check(); delegate.putPartitionManifest(m); }
    public List<io.spillway.application.port.out.JobPartition> partitions(JobId id) { check(); return delegate.partitions(id); }
  }
}
