package io.spillway.adapters.aws.eventbridge;

import io.spillway.application.port.out.PermanentStoreException;
import io.spillway.application.port.out.RetryableStoreException;
import java.util.Set;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * Sorts EventBridge failures inside the adapter, before they cross the port: throttling, internal
 * errors, 5xx answers and transport failures may pass on a later attempt; a denied, unknown or
 * invalid request will not until someone changes the bus, the policy or the event.
 */
final class EventBridgeFailures {
  /** An entry counted as failed without a code: nothing says a retry is futile, so it is tried again. */
  static final String UNKNOWN_ENTRY_ERROR = "UnknownEntryError";
  /** Per-entry error codes of PutEvents that a later attempt may not meet. */
  private static final Set<String> RETRYABLE_ENTRY_CODES = Set.of("ThrottlingException", "InternalFailure", "InternalException",
      "ServiceUnavailable", "ServiceUnavailableException", UNKNOWN_ENTRY_ERROR);

  private EventBridgeFailures() {}

  /** A call that failed as a whole. */
  static RuntimeException classify(String bus, String what, SdkException e) {
    if (e instanceof SdkClientException || (e instanceof AwsServiceException a && (a.isThrottlingException() || a.statusCode() >= 500))) {
      return new RetryableStoreException(what + " on event bus " + bus + " failed: " + e.getMessage(), e);
    }
    String code = e instanceof AwsServiceException a && a.awsErrorDetails() != null ? a.awsErrorDetails().errorCode() : null;
    return new PermanentStoreException(bus, what + " on event bus " + bus + " failed and cannot succeed on retry: "
        + (code == null ? "" : code + ": ") + firstLine(e), e);
  }

  /** An entry PutEvents answered with an error code (the call itself succeeded). */
  static RuntimeException classifyEntry(String bus, String what, String code, String message) {
    String detail = code + (message == null ? "" : ": " + message);
    if (RETRYABLE_ENTRY_CODES.contains(code)) {
      return new RetryableStoreException(what + " on event bus " + bus + " was refused for now: " + detail);
    }
    return new PermanentStoreException(bus, what + " on event bus " + bus + " was refused and cannot succeed on retry: " + detail, null);
  }

  private static String firstLine(SdkException e) {
    String m = e instanceof AwsServiceException a && a.awsErrorDetails() != null && a.awsErrorDetails().errorMessage() != null
        ? a.awsErrorDetails().errorMessage()
        : String.valueOf(e.getMessage());
    int nl = m.indexOf('\n');
    return nl < 0 ? m : m.substring(0, nl);
  }
}
