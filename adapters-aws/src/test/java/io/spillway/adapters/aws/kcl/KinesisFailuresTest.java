package io.spillway.adapters.aws.kcl;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;

/** Which failed KCL initializations a fresh worker can get past, and which stop the consumer. */
class KinesisFailuresTest {

  private static DynamoDbException dynamo(String code, String message) {
    return (DynamoDbException) DynamoDbException.builder().message(message)
        .awsErrorDetails(AwsErrorDetails.builder().errorCode(code).errorMessage(message).serviceName("DynamoDb").build()).build();
  }

  @Test
  void losingTheRaceToCreateTheLeaseOwnerIndexIsRebuiltNotFatal() {
    // what DynamoDB (Local) answers the second of two consumers started together on a new lease table
    DynamoDbException race = dynamo("ValidationException", "Attempting to create an index which already exists");

    assertThat(KinesisFailures.permanent(new CompletionException(new IllegalStateException("init failed", race)))).isEmpty();
  }

  @Test
  void anotherValidationFailureOrRefusedAccessStopsTheConsumerNamingTheService() {
    assertThat(KinesisFailures.permanent(dynamo("ValidationException", "One or more parameter values were invalid")))
        .hasValueSatisfying(p -> assertThat(p.getMessage()).contains("DynamoDb refused KCL's request: ValidationException"));
    assertThat(KinesisFailures.permanent(dynamo("AccessDeniedException", "not authorized to perform dynamodb:CreateTable"))).isPresent();
  }
}
