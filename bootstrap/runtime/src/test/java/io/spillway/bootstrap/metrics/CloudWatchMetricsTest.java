package io.spillway.bootstrap.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.micrometer.cloudwatch2.CloudWatchMeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.spillway.adapters.inmemory.ManualClock;
import io.spillway.bootstrap.Spillway;
import io.spillway.bootstrap.SpillwayConfig;
import io.spillway.bootstrap.workload.AnalyticsEvents;
import io.spillway.domain.job.Job;
import io.spillway.domain.job.JobClass;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.Protocol;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudwatch.CloudWatchAsyncClient;

/** The meters reach CloudWatch as PutMetricData calls: what the SDK sends, recorded by a loopback endpoint. */
class CloudWatchMetricsTest {

  @Test
  void closingTheRegistrySendsSpillwaysMetersUnderTheNamespace() throws Exception {
    List<String> requests = new CopyOnWriteArrayList<>();
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", exchange -> {
      // the body as sent (the SDK's wire format may be form-encoded or binary), with the header naming the call
      String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.ISO_8859_1);
      requests.add(exchange.getRequestURI() + "\n" + body.replace("%2F", "/"));
      byte[] answer = ("<PutMetricDataResponse xmlns=\"http://monitoring.amazonaws.com/doc/2010-08-01/\"><ResponseMetadata>"
          + "<RequestId>r</RequestId></ResponseMetadata></PutMetricDataResponse>").getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", "text/xml");
      exchange.sendResponseHeaders(200, answer.length);
      exchange.getResponseBody().write(answer);
      exchange.close();
    });
    server.start();
    try (CloudWatchAsyncClient client = CloudWatchAsyncClient.builder()
        .endpointOverride(URI.create("http://127.0.0.1:" + server.getAddress().getPort()))
        .region(Region.US_EAST_1)
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
        // plain HTTP on loopback speaks HTTP/1.1 (real CloudWatch negotiates over TLS)
        .httpClientBuilder(NettyNioAsyncHttpClient.builder().protocol(Protocol.HTTP1_1))
        .build();
        Spillway spillway = Spillway.inMemory(SpillwayConfig.defaults(), ManualClock.atEpochDay())) {
      CloudWatchMeterRegistry registry = CloudWatchMetrics.registry(client, "Spillway/Test", Duration.ofMinutes(1));
      spillway.metrics(Tags.of("stream", "analytics")).bindTo(registry);
      Job job = spillway.producer().open("metered", JobClass.STANDARD, 2);
      spillway.producer().appendAll(job.id(), new AnalyticsEvents(job.id(), 1, Instant.parse("2026-11-28T00:00:00Z")).next(1_000));

      registry.close();
    } finally {
      server.stop(0);
    }

    String sent = String.join("\n", requests);
    assertThat(requests).isNotEmpty();
    assertThat(sent).contains("PutMetricData").contains("Spillway/Test")
        .contains("spillway.intake.events.accepted.count").contains("spillway.ingest.chunks.written.count")
        .contains("spillway.retention.risk.level.value").contains("analytics");
  }
}
