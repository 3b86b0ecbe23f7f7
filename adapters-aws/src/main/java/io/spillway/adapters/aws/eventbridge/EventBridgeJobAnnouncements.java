package io.spillway.adapters.aws.eventbridge;

import io.spillway.application.port.out.JobAnnouncement;
import io.spillway.application.port.out.JobAnnouncements;
import io.spillway.domain.InvalidFieldException;
import java.util.Objects;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequestEntry;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResponse;
import software.amazon.awssdk.services.eventbridge.model.PutEventsResultEntry;

/**
 * Announces jobs on an Amazon EventBridge bus, one PutEvents entry per announcement: source
 * {@value #SOURCE} (or the one given), detail type the announcement's kind ({@code JobAvailable},
 * {@code JobIncomplete}, {@code JobFailed}), detail the JSON of {@link AnnouncementDetail}, time the
 * moment the job settled. PutEvents answers 200 even when it refuses an entry, so the answer's
 * failed count and the entry's error code are read, and sorted like a failed call.
 */
public final class EventBridgeJobAnnouncements implements JobAnnouncements {
  /** The event source Spillway's announcements carry unless told otherwise. */
  public static final String SOURCE = "io.spillway";
  /** Every account's bus, where AWS services' events go too. */
  public static final String DEFAULT_BUS = "default";

  private final EventBridgeClient client;
  private final String bus;
  private final String source;

  /** On the bus named (or its ARN, for another account's bus), as source {@value #SOURCE}. */
  public EventBridgeJobAnnouncements(EventBridgeClient client, String bus) {
    this(client, bus, SOURCE);
  }

  public EventBridgeJobAnnouncements(EventBridgeClient client, String bus, String source) {
    this.client = Objects.requireNonNull(client, "client");
    if (bus == null || bus.isBlank() || bus.length() > 1600) {
      throw new InvalidFieldException("eventBus", bus, "a bus name or ARN");
    }
    if (source == null || source.isBlank() || source.length() > 256 || source.startsWith("aws.")) {
      throw new InvalidFieldException("eventSource", source, "1..256 characters, not starting with aws. (reserved for AWS)");
    }
    this.bus = bus;
    this.source = source;
  }

  @Override
  public void announce(JobAnnouncement announcement) {
    String what = "PutEvents of " + announcement.kind() + " for job " + announcement.jobId();
    PutEventsRequestEntry entry = PutEventsRequestEntry.builder()
        .eventBusName(bus)
        .source(source)
        .detailType(announcement.kind())
        .detail(AnnouncementDetail.json(announcement))
        .time(announcement.at())
        .build();
    PutEventsResponse response;
    try {
      response = client.putEvents(r -> r.entries(entry));
    } catch (SdkException e) {
      throw EventBridgeFailures.classify(bus, what, e);
    }
    Integer failed = response.failedEntryCount();
    PutEventsResultEntry result = response.hasEntries() && !response.entries().isEmpty() ? response.entries().get(0) : null;
    if ((failed != null && failed > 0) || (result != null && result.errorCode() != null)) {
      String code = result == null || result.errorCode() == null ? EventBridgeFailures.UNKNOWN_ENTRY_ERROR : result.errorCode();
      throw EventBridgeFailures.classifyEntry(bus, what, code, result == null ? null : result.errorMessage());
    }
  }

  /** The bus announced on. */
  public String bus() {
    return bus;
  }
}
