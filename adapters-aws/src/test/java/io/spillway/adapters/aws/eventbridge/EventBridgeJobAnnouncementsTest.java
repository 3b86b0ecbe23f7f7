package io.spillway.adapters.aws.eventbridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spillway.application.port.out.JobAvailable;
import io.spillway.application.port.out.PermanentStoreException;
import io.spillway.application.port.out.RetryableStoreException;
import io.spillway.domain.job.JobClass;
import io.spillway.domain.job.JobId;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.protocols.jsoncore.JsonNode;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;

/**
 * What the SDK sends for an announcement — one signed AWS JSON 1.1 PutEvents call with one entry on
 * the configured bus — and how each refusal EventBridge can answer is sorted, as recorded and
 * answered by a loopback endpoint.
 */
class EventBridgeJobAnnouncementsTest {
  private static final Instant AT = Instant.parse("2026-11-28T06:04:30.500Z");
  private static final JobAvailable AVAILABLE = new JobAvailable(JobId.of("nightly-7"), "nightly scoring", JobClass.COMPLEX, 120, 1_000_000,
      0x00C0FFEE_12345678L, AT);

  private LoopbackEventBridge bridge;
  private EventBridgeClient client;

  @BeforeEach
  void start() throws Exception {
    bridge = new LoopbackEventBridge();
    client = bridge.client();
  }

  @AfterEach
  void stop() {
    client.close();
    bridge.close();
  }

  @Test
  void anAnnouncementIsOneSignedPutEventsCallWithOneEntryOnTheBus() {
    new EventBridgeJobAnnouncements(client, "analytics-events").announce(AVAILABLE);

    assertThat(bridge.accepted()).hasSize(1);
    LoopbackEventBridge.Request request = bridge.accepted().get(0);
    assertThat(request.method()).isEqualTo("POST");
    assertThat(request.path()).isEqualTo("/");
    assertThat(request.headers().get("X-Amz-Target")).isEqualTo("AWSEvents.PutEvents");
    assertThat(request.headers().get("Content-Type")).startsWith("application/x-amz-json-1.1");
    assertThat(request.headers().get("Authorization"))
        .startsWith("AWS4-HMAC-SHA256 Credential=AKIDLOOPBACK/")
        .contains("/us-east-1/events/aws4_request")
        .doesNotContain("loopback-secret");

    List<JsonNode> entries = request.entries();
    assertThat(entries).hasSize(1);
    JsonNode entry = entries.get(0);
    assertThat(entry.field("EventBusName").orElseThrow().asString()).isEqualTo("analytics-events");
    assertThat(entry.field("Source").orElseThrow().asString()).isEqualTo("io.spillway");
    assertThat(entry.field("DetailType").orElseThrow().asString()).isEqualTo("JobAvailable");
    // the JSON protocol sends a timestamp as epoch seconds
    assertThat(Double.parseDouble(entry.field("Time").orElseThrow().asNumber())).isEqualTo(AT.toEpochMilli() / 1000.0);
  }

  @Test
  void theDetailNamesTheJobItsCountsAndItsChecksumInOneFlatObject() {
    new EventBridgeJobAnnouncements(client, "default").announce(AVAILABLE);

    String detail = bridge.accepted().get(0).entries().get(0).field("Detail").orElseThrow().asString();
    assertThat(detail).isEqualTo("{\"schemaVersion\":1,\"jobId\":\"nightly-7\",\"name\":\"nightly scoring\",\"jobClass\":\"COMPLEX\","
        + "\"status\":\"AVAILABLE\",\"chunkCount\":120,\"eventCount\":1000000,\"storedChunks\":120,\"missingChunks\":0,"
        + "\"datasetChecksum\":\"00c0ffee12345678\",\"at\":\"2026-11-28T06:04:30.500Z\",\"reason\":null}");
  }

  @Test
  void anotherSourceIsSentAsGivenAndAnAwsSourceIsRefusedUpFront() {
    new EventBridgeJobAnnouncements(client, "default", "com.example.analytics").announce(AVAILABLE);

    assertThat(bridge.accepted().get(0).entries().get(0).field("Source").orElseThrow().asString()).isEqualTo("com.example.analytics");
    assertThatThrownBy(() -> new EventBridgeJobAnnouncements(client, "default", "aws.spillway")).hasMessageContaining("aws.");
  }

  @Test
  void aThrottledEntryInASuccessfulAnswerIsRetryable() {
    bridge.answerNext(LoopbackEventBridge.Answer.failedEntry("ThrottlingException", "Rate exceeded"));

    assertThatThrownBy(() -> new EventBridgeJobAnnouncements(client, "default").announce(AVAILABLE))
        .isInstanceOf(RetryableStoreException.class)
        .hasMessageContaining("ThrottlingException")
        .hasMessageContaining("nightly-7");
  }

  @Test
  void anInternalFailureOfAnEntryIsRetryable() {
    bridge.answerNext(LoopbackEventBridge.Answer.failedEntry("InternalFailure", "try again"));

    assertThatThrownBy(() -> new EventBridgeJobAnnouncements(client, "default").announce(AVAILABLE)).isInstanceOf(RetryableStoreException.class);
  }

  @Test
  void anEntryRefusedAsMalformedIsPermanentAndNamesTheBus() {
    bridge.answerNext(LoopbackEventBridge.Answer.failedEntry("MalformedDetail", "Detail is malformed."));

    assertThatThrownBy(() -> new EventBridgeJobAnnouncements(client, "analytics-events").announce(AVAILABLE))
        .isInstanceOfSatisfying(PermanentStoreException.class, e -> assertThat(e.resource()).isEqualTo("analytics-events"))
        .hasMessageContaining("MalformedDetail");
  }

  @Test
  void accessDeniedIsPermanentAndSaysWhy() {
    bridge.answerNext(LoopbackEventBridge.Answer.error(400, "AccessDeniedException", "not authorized to perform: events:PutEvents"));

    assertThatThrownBy(() -> new EventBridgeJobAnnouncements(client, "analytics-events").announce(AVAILABLE))
        .isInstanceOfSatisfying(PermanentStoreException.class, e -> assertThat(e.resource()).isEqualTo("analytics-events"))
        .hasMessageContaining("AccessDeniedException")
        .hasMessageContaining("events:PutEvents")
        .hasMessageContaining("cannot succeed on retry");
  }

  @Test
  void aBusThatDoesNotExistIsPermanent() {
    bridge.answerNext(LoopbackEventBridge.Answer.error(400, "ResourceNotFoundException", "Event bus analytics-events does not exist."));

    assertThatThrownBy(() -> new EventBridgeJobAnnouncements(client, "analytics-events").announce(AVAILABLE))
        .isInstanceOf(PermanentStoreException.class)
        .hasMessageContaining("does not exist");
  }

  @Test
  void aThrottledCallAndA5xxAreRetryable() {
    bridge.answerNext(LoopbackEventBridge.Answer.error(400, "ThrottlingException", "Rate exceeded"))
        .answerNext(LoopbackEventBridge.Answer.error(503, "ServiceUnavailable", "busy"));
    EventBridgeJobAnnouncements announcements = new EventBridgeJobAnnouncements(client, "default");

    assertThatThrownBy(() -> announcements.announce(AVAILABLE)).isInstanceOf(RetryableStoreException.class);
    assertThatThrownBy(() -> announcements.announce(AVAILABLE)).isInstanceOf(RetryableStoreException.class);
    announcements.announce(AVAILABLE);
    assertThat(bridge.accepted()).hasSize(1);
    assertThat(bridge.refused()).hasSize(2);
  }

  @Test
  void anEndpointThatRefusesConnectionsIsRetryable() throws Exception {
    int port;
    try (java.net.ServerSocket closed = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = closed.getLocalPort();
    }
    try (EventBridgeClient gone = EventBridgeClient.builder().endpointOverride(java.net.URI.create("http://127.0.0.1:" + port))
        .region(software.amazon.awssdk.regions.Region.US_EAST_1)
        .credentialsProvider(software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider.create())
        .overrideConfiguration(c -> c.retryStrategy(software.amazon.awssdk.awscore.retry.AwsRetryStrategy.doNotRetry()))
        .build()) {
      assertThatThrownBy(() -> new EventBridgeJobAnnouncements(gone, "default").announce(AVAILABLE)).isInstanceOf(RetryableStoreException.class);
    }
  }
}
