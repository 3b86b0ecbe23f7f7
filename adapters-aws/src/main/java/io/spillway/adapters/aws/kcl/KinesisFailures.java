package io.spillway.adapters.aws.kcl;

import io.spillway.application.port.out.PermanentStoreException;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.kinesis.model.ResourceNotFoundException;

/**
 * Tells, from the causes of a failed KCL worker, whether building it again can help: a missing
 * stream or refused credentials cannot; timeouts, lost connections, 5xx answers and throttling can.
 */
final class KinesisFailures {
  /** Error codes AWS answers when the caller may not do what it asked, whatever the retry. */
  private static final Set<String> REFUSED = Set.of("AccessDeniedException", "AccessDenied", "UnrecognizedClientException",
      "InvalidSignatureException", "MissingAuthenticationToken", "ValidationException");

  private KinesisFailures() {}

  static Optional<PermanentStoreException> permanent(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof PermanentStoreException p) {
        return Optional.of(p);
      }
      if (t instanceof ResourceNotFoundException r) {
        return Optional.of(new PermanentStoreException("stream", "Kinesis: " + firstLine(r), r));
      }
      if (t instanceof software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException r) {
        return Optional.of(new PermanentStoreException("lease table", "DynamoDB (KCL's lease tables): " + firstLine(r), r));
      }
      if (t instanceof AwsServiceException a && isCreationRace(a)) {
        // consumers started together race to create KCL's lease-owner index: the loser is told it exists,
        // which is what it wanted; a worker built afresh finds it there
        return Optional.empty();
      }
      if (t instanceof AwsServiceException a && a.awsErrorDetails() != null && REFUSED.contains(a.awsErrorDetails().errorCode())) {
        return Optional.of(new PermanentStoreException(a.awsErrorDetails().serviceName(),
            a.awsErrorDetails().serviceName() + " refused KCL's request: " + a.awsErrorDetails().errorCode() + ": " + firstLine(a), a));
      }
    }
    return Optional.empty();
  }

  /** DynamoDB's answer to creating an index (or a table) another worker created a moment before: a ValidationException by its code. */
  static boolean isCreationRace(AwsServiceException e) {
    if (e.awsErrorDetails() == null || !"ValidationException".equals(e.awsErrorDetails().errorCode())) {
      return false;
    }
    String m = firstLine(e).toLowerCase(java.util.Locale.ROOT);
    return m.contains("already exist");
  }

  private static String firstLine(AwsServiceException e) {
    String m = e.awsErrorDetails() != null && e.awsErrorDetails().errorMessage() != null ? e.awsErrorDetails().errorMessage() : String.valueOf(e.getMessage());
    int nl = m.indexOf('\n');
    return nl < 0 ? m : m.substring(0, nl);
  }
}
