package io.spillway.bootstrap.wiring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.spillway.adapters.inmemory.ManualClock;
import io.spillway.application.port.in.OpenJob;
import io.spillway.application.port.out.JobAvailable;
import io.spillway.application.port.out.JobFailed;
import io.spillway.bootstrap.SpillwayConfig;
import io.spillway.bootstrap.SpillwaySettings;
import io.spillway.bootstrap.aws.AwsClients;
import io.spillway.bootstrap.aws.AwsSettings;
import io.spillway.bootstrap.aws.AwsSpillway;
import io.spillway.bootstrap.workload.AnalyticsEvents;
import io.spillway.domain.InvalidFieldException;
import io.spillway.domain.job.Job;
import io.spillway.domain.job.JobClass;
import io.spillway.domain.job.JobStatus;
import io.spillway.domain.manifest.Manifest;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * Announcements are off unless configured: in memory, {@code memoryAnnouncements} records them; on
 * AWS, an event bus sends them to EventBridge. Whatever the backend, the availability check
 * announces through the environment's one announcer, which an operator's command uses too.
 */
class AnnouncementsWiringTest {
  private static final Instant T = Instant.parse("2026-11-28T00:00:00Z");

  private static Job runToAvailable(InMemorySpillway spillway) throws InterruptedException {
    Job job = spillway.intake().open(OpenJob.named("announced", JobClass.STANDARD, 2));
    spillway.intake().appendAll(job.id(), new AnalyticsEvents(job.id(), 1, T).next(2_000));
    spillway.intake().seal(job.id());
    spillway.consumer().drain(1_000);
    assertThat(spillway.jobs().find(job.id()).orElseThrow().status()).isEqualTo(JobStatus.AVAILABLE);
    return spillway.jobs().find(job.id()).orElseThrow();
  }

  @Test
  void inMemoryNothingIsRecordedUnlessAsked() throws Exception {
    InMemorySpillway spillway = InMemorySpillway.create(SpillwayConfig.defaults(), ManualClock.atEpochDay());

    runToAvailable(spillway);

    assertThat(spillway.announcements().accepted()).isEmpty();
    assertThat(spillway.availability().announcer()).isSameAs(spillway.announcer());
  }

  @Test
  void inMemoryWhenAskedTheAvailableJobIsRecordedWithItsManifest() throws Exception {
    InMemorySpillway spillway = InMemorySpillway.create(SpillwayConfig.defaults().withMemoryAnnouncements(true), ManualClock.atEpochDay());

    Job job = runToAvailable(spillway);

    Manifest manifest = spillway.jobs().manifest(job.id()).orElseThrow();
    assertThat(spillway.announcements().accepted()).containsExactly(JobAvailable.of(job, manifest));
  }

  @Test
  void anOperatorMarkingAJobFailedAnnouncesItThroughTheServices() {
    InMemorySpillway spillway = InMemorySpillway.create(SpillwayConfig.defaults().withMemoryAnnouncements(true), ManualClock.atEpochDay());
    Job job = spillway.intake().open(OpenJob.named("given up", JobClass.COMPLEX, 1));

    // what `spillway jobs fail` does: the conditional move, then the announcement of the settled job
    Job failed = job.transitionTo(JobStatus.FAILED, spillway.clock().now());
    assertThat(spillway.jobs().replace(job, failed)).isTrue();
    spillway.announcer().announceSettled(job.id(), Optional.of("marked FAILED by an operator"));

    assertThat(spillway.announcements().accepted())
        .containsExactly(JobFailed.of(failed, 0, Optional.of("marked FAILED by an operator")));
  }

  @Test
  void onAwsAnEventBusSendsAnnouncementsToEventBridge() throws Exception {
    List<String> bodies = new CopyOnWriteArrayList<>();
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", exchange -> {
      bodies.add(exchange.getRequestHeaders().getFirst("X-Amz-Target") + " "
          + new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
      byte[] answer = "{\"FailedEntryCount\":0,\"Entries\":[{\"EventId\":\"e-1\"}]}".getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", "application/x-amz-json-1.1");
      exchange.sendResponseHeaders(200, answer.length);
      exchange.getResponseBody().write(answer);
      exchange.close();
    });
    server.start();
    URI nowhere = URI.create("http://127.0.0.1:9");
    AwsSettings settings = AwsSettings.onStandIns("spillway-stream", "spillway-table", nowhere, nowhere, 1)
        .withEventBridgeEndpoint(URI.create("http://127.0.0.1:" + server.getAddress().getPort()))
        .withEventBus("analytics-events");
    AwsSpillway aws = AwsSpillway.create(SpillwayConfig.defaults(), settings, AwsClients.local(nowhere, nowhere));
    try {
      JobFailed failed = new JobFailed(io.spillway.domain.job.JobId.of("aws-1"), "on aws", JobClass.STANDARD, 0, Optional.empty(), T);

      aws.announcer().announce(failed);

      assertThat(bodies).hasSize(1);
      assertThat(bodies.get(0)).startsWith("AWSEvents.PutEvents ").contains("\"EventBusName\":\"analytics-events\"")
          .contains("\"DetailType\":\"JobFailed\"").contains("aws-1");
      assertThat(aws.announcer().stats().delivered()).isEqualTo(1);
    } finally {
      aws.clients().close();
      server.stop(0);
    }
  }

  @Test
  void onAwsWithoutAnEventBusNothingIsSent() {
    URI nowhere = URI.create("http://127.0.0.1:9");
    AwsSpillway aws = AwsSpillway.create(SpillwayConfig.defaults(), AwsSettings.onStandIns("spillway-stream", "spillway-table", nowhere, nowhere, 1),
        AwsClients.local(nowhere, nowhere));
    try {
      aws.announcer().announce(new JobFailed(io.spillway.domain.job.JobId.of("aws-2"), "quiet", JobClass.STANDARD, 0, Optional.empty(), T));

      assertThat(aws.announcer().stats()).isEqualTo(new io.spillway.application.service.JobAnnouncer.Stats(1, 0, 0, 0, 0));
    } finally {
      aws.clients().close();
    }
  }

  @Test
  void theSettingsTurnAnnouncementsOn() {
    SpillwaySettings aws = SpillwaySettings.from(Map.of("spillway.backend", "aws", "spillway.aws.stream", "analytics-chunks",
        "spillway.aws.table", "analytics", "spillway.aws.eventBus", "analytics-events",
        "spillway.aws.eventBridgeEndpoint", "https://events.eu-west-1.amazonaws.com"));
    SpillwaySettings memory = SpillwaySettings.from(Map.of("spillway.memory.announcements", "true"));

    assertThat(aws.aws().orElseThrow().eventBus()).contains("analytics-events");
    assertThat(aws.aws().orElseThrow().eventBridgeEndpoint()).contains(URI.create("https://events.eu-west-1.amazonaws.com"));
    assertThat(memory.config().memoryAnnouncements()).isTrue();
    assertThat(SpillwaySettings.from(Map.of()).config().memoryAnnouncements()).isFalse();
    assertThatThrownBy(() -> SpillwaySettings.from(Map.of("spillway.aws.eventBus", "analytics-events")))
        .isInstanceOf(InvalidFieldException.class).hasMessageContaining("spillway.backend=aws");
    assertThatThrownBy(() -> SpillwaySettings.from(Map.of("spillway.backend", "aws", "spillway.aws.stream", "s-1", "spillway.aws.table", "t-1",
        "spillway.aws.standIns", "true", "spillway.aws.dynamodbEndpoint", "http://127.0.0.1:8000",
        "spillway.aws.kinesisEndpoint", "http://127.0.0.1:4567", "spillway.aws.eventBus", "b")))
        .isInstanceOf(InvalidFieldException.class).hasMessageContaining("eventBridgeEndpoint");
  }
}
