package io.spillway.adapters.aws.dynamodb;

import io.spillway.application.port.out.PermanentStoreException;
import io.spillway.application.port.out.RetryableStoreException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.ProvisionedThroughputExceededException;
import software.amazon.awssdk.services.dynamodb.model.RequestLimitExceededException;

/**
 * Sorts DynamoDB failures inside the adapter, before they cross a port: throttling, retryable
 * (5xx answers, timeouts, connection failures) and permanent (the table is missing, access is
 * denied, the request is invalid), so no caller ever mistakes one for another.
 */
final class Failures {
  private Failures() {}

  /** The table refused for lack of capacity. */
  static boolean isThrottling(SdkException e) {
    if (e instanceof ProvisionedThroughputExceededException || e instanceof RequestLimitExceededException) {
      return true;
    }
    return "ThrottlingException".equals(errorCode(e));
  }

  /** DynamoDB refused an item for being larger than 400 KB: a fault of that item, not of the table. */
  static boolean isItemTooLarge(SdkException e) {
    return "ValidationException".equals(errorCode(e)) && e.getMessage() != null
        && e.getMessage().toLowerCase(java.util.Locale.ROOT).contains("item size");
  }

  /** Throttling, 5xx answers and transport failures may pass on a later attempt; the rest will not. */
  static boolean isRetryable(SdkException e) {
    return isThrottling(e)
        || e instanceof SdkClientException
        || (e instanceof DynamoDbException d && d.statusCode() >= 500);
  }

  /** The exception to throw for {@code e}: a {@link RetryableStoreException} or a {@link PermanentStoreException} naming {@code resource}. */
  static RuntimeException classify(String resource, String action, SdkException e) {
    if (isRetryable(e)) {
      return new RetryableStoreException(action + " on " + resource + " failed: " + e.getMessage(), e);
    }
    String code = errorCode(e);
    return new PermanentStoreException(resource, action + " on DynamoDB table " + resource + " failed and cannot succeed on retry: "
        + (code == null ? "" : code + ": ") + firstLine(e), e);
  }

  private static String errorCode(SdkException e) {
    return e instanceof DynamoDbException d && d.awsErrorDetails() != null ? d.awsErrorDetails().errorCode() : null;
  }

  private static String firstLine(SdkException e) {
    String m = e instanceof DynamoDbException d && d.awsErrorDetails() != null && d.awsErrorDetails().errorMessage() != null
        ? d.awsErrorDetails().errorMessage()
        : String.valueOf(e.getMessage());
    int nl = m.indexOf('\n');
    return nl < 0 ? m : m.substring(0, nl);
  }
}
