package io.spillway.adapters.aws.dynamodb;

import io.spillway.application.port.out.RetryableStoreException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.ProvisionedThroughputExceededException;
import software.amazon.awssdk.services.dynamodb.model.RequestLimitExceededException;

/** Sorts DynamoDB failures into throttling, retryable and not retryable, inside the adapter. */
final class Failures {
  private Failures() {}

  /** The table refused for lack of capacity. */
  static boolean isThrottling(SdkException e) {
    if (e instanceof ProvisionedThroughputExceededException || e instanceof RequestLimitExceededException) {
      return true;
    }
    return e instanceof DynamoDbException d && d.awsErrorDetails() != null
        && "ThrottlingException".equals(d.awsErrorDetails().errorCode());
  }

  /** Throttling, 5xx answers and transport failures may pass on a later attempt; the rest will not. */
  static RuntimeException classify(String action, SdkException e) {
    boolean retryable = isThrottling(e)
        || e instanceof SdkClientException
        || (e instanceof DynamoDbException d && d.statusCode() >= 500);
    return retryable ? new RetryableStoreException(action + " failed: " + e.getMessage(), e) : e;
  }
}
