package io.spillway.adapters.aws.eventbridge;

import io.spillway.application.contract.JobAnnouncementsContract;
import io.spillway.application.port.out.JobAnnouncements;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import software.amazon.awssdk.protocols.jsoncore.JsonNode;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;

/** The announcements contract against the EventBridge adapter, through the SDK, on a loopback stand-in for the bus. */
class EventBridgeJobAnnouncementsContractTest extends JobAnnouncementsContract {
  private static final String BUS = "spillway-contract-bus";

  private LoopbackEventBridge bridge;
  private EventBridgeClient client;

  @Override
  protected JobAnnouncements newAnnouncements() {
    try {
      bridge = new LoopbackEventBridge();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    client = bridge.client();
    return new EventBridgeJobAnnouncements(client, BUS);
  }

  @AfterEach
  void stop() {
    client.close();
    bridge.close();
  }

  @Override
  protected List<Received> received() {
    return bridge.accepted().stream().flatMap(r -> r.entries().stream()).map(EventBridgeJobAnnouncementsContractTest::received).toList();
  }

  /** The announcement as a receiver of the event reads its detail. */
  static Received received(JsonNode entry) {
    JsonNode d = JsonNode.parser().parse(entry.field("Detail").orElseThrow().asString());
    return new Received(entry.field("DetailType").orElseThrow().asString(), text(d, "jobId"), text(d, "name"), text(d, "jobClass"),
        text(d, "status"), number(d, "chunkCount"), number(d, "eventCount"), number(d, "storedChunks"), number(d, "missingChunks"),
        text(d, "datasetChecksum"), Instant.parse(text(d, "at")), text(d, "reason"));
  }

  private static String text(JsonNode d, String key) {
    JsonNode v = d.field(key).orElseThrow(() -> new AssertionError("no " + key + " in the detail"));
    return v.isNull() ? null : v.asString();
  }

  private static Long number(JsonNode d, String key) {
    JsonNode v = d.field(key).orElseThrow(() -> new AssertionError("no " + key + " in the detail"));
    return v.isNull() ? null : Long.valueOf(v.asNumber());
  }

  @Override
  protected void refuseNext(Refusal refusal) {
    bridge.answerNext(refusal == Refusal.THROTTLED
        ? LoopbackEventBridge.Answer.failedEntry("ThrottlingException", "Rate exceeded")
        : LoopbackEventBridge.Answer.error(400, "AccessDeniedException",
            "User: arn:aws:iam::123456789012:user/x is not authorized to perform: events:PutEvents on resource: " + BUS));
  }

  @Override
  protected String destination() {
    return BUS;
  }
}
