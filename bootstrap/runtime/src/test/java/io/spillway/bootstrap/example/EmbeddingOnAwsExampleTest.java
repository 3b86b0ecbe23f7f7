package io.spillway.bootstrap.example;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Tags;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.spillway.bootstrap.Spillway;
import io.spillway.bootstrap.SpillwayConfig;
import io.spillway.bootstrap.SpillwayConsumer;
import io.spillway.bootstrap.SpillwayProducer;
import io.spillway.bootstrap.SpillwayReader;
import io.spillway.bootstrap.StandIns;
import io.spillway.bootstrap.aws.AwsSettings;
import io.spillway.bootstrap.metrics.MetricsServer;
import io.spillway.bootstrap.metrics.SpillwayMetrics;
import io.spillway.bootstrap.workload.AnalyticsEvents;
import io.spillway.domain.event.Event;
import io.spillway.domain.job.Job;
import io.spillway.domain.job.JobClass;
import io.spillway.domain.job.JobStatus;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The README's "Embedding Spillway on AWS" example, as written: a job runner, a consumer service
 * and a downstream service, each with a Spillway of its own built from the runtime artifact alone,
 * on the local stand-ins (DynamoDB Local and kinesis-mock) through the real SDK and KCL.
 */
class EmbeddingOnAwsExampleTest {

  @Test
  void aJobRunnerAConsumerServiceAndADownstreamServiceMoveAJobToAvailableAndBack() throws Exception {
    String name = StandIns.freshName("example");
    AwsSettings aws = AwsSettings.onStandIns(name, name, StandIns.dynamoDb(), StandIns.kinesis(), 2);
    SpillwayConfig config = SpillwayConfig.defaults();

    // the consumer service: a member of the KCL fleet, with its metrics endpoint
    try (Spillway consumerSide = Spillway.onAws(config, aws)) {
      SpillwayConsumer consumer = consumerSide.consumer().start();
      PrometheusMeterRegistry registry = MetricsServer.prometheusRegistry();
      SpillwayMetrics meters = consumerSide.metrics(Tags.of("service", "example"));
      meters.bindTo(registry);
      try (MetricsServer server = MetricsServer.start(MetricsServer.loopback(0), registry, meters, consumer::health)) {

        // the job runner
        List<Event> events;
        Job job;
        try (Spillway producerSide = Spillway.onAws(config, aws)) {
          SpillwayProducer producer = producerSide.producer();
          job = producer.open("nightly scoring", JobClass.COMPLEX, 4);
          events = new AnalyticsEvents(job.id(), 7, Instant.parse("2026-11-28T00:00:00Z")).next(20_000);
          producer.appendAll(job.id(), events);
          producer.seal(job.id());
        }

        // the downstream service
        List<Event> back = new ArrayList<>();
        try (Spillway readerSide = Spillway.onAws(config, aws)) {
          SpillwayReader reader = readerSide.reader();
          JobStatus status = reader.await(job.id(), Duration.ofMinutes(3));
          assertThat(status).isEqualTo(JobStatus.AVAILABLE);
          var summary = reader.read(job.id(), back::add);
          assertThat(summary.verifiedAgainstManifest()).isTrue();
        }
        assertThat(back).hasSameSizeAs(events).containsExactlyInAnyOrderElementsOf(events);

        StandIns.await(Duration.ofSeconds(60), () -> consumer.health().ready());
        String metrics = get(server, "/metrics").body();
        assertThat(metrics)
            .contains("spillway_iterator_age_seconds{service=\"example\",shard=\"shardId-000000000000\"}")
            .contains("spillway_iterator_age_seconds{service=\"example\",shard=\"shardId-000000000001\"}")
            .contains("spillway_retention_risk_level{service=\"example\"} 0.0")
            .contains("spillway_retention_seconds_to_loss{service=\"example\"}")
            .contains("spillway_consumer_leases{service=\"example\"} 2.0");
        assertThat(value(metrics, "spillway_ingest_chunks_written_total{service=\"example\"}"))
            .isEqualTo(consumer.stats().ingest().chunksWritten()).isPositive();
        assertThat(value(metrics, "spillway_consumer_records_processed_total{service=\"example\"}")).isPositive();
        assertThat(get(server, "/health/ready").statusCode()).isEqualTo(200);
        assertThat(get(server, "/health").body()).contains("\"live\":true", "\"leases\":2");
      }
      consumer.close();
      assertThat(consumer.health().live()).isFalse();
    }
  }

  private static HttpResponse<String> get(MetricsServer server, String path) throws Exception {
    URI uri = URI.create("http://127.0.0.1:" + server.address().getPort() + path);
    return HttpClient.newHttpClient().send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
  }

  private static double value(String metrics, String series) {
    return metrics.lines().filter(l -> l.startsWith(series + " ")).mapToDouble(l -> Double.parseDouble(l.substring(series.length() + 1)))
        .findFirst().orElseThrow(() -> new AssertionError("no series " + series));
  }
}
