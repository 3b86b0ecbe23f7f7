package io.spillway.bootstrap.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.spillway.application.port.out.PermanentStoreException;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.kinesis.model.KinesisException;
import software.amazon.awssdk.services.kinesis.model.ResourceNotFoundException;

/** Set-up calls are retried while their failures may pass, and given up at once when they cannot. */
class PatienceTest {

  @Test
  void aTimeoutIsRetriedUntilTheCallSucceeds() {
    AtomicInteger calls = new AtomicInteger();

    String answer = Patience.UNTIL_STOPPED.retry("describing stream s", () -> {
      if (calls.incrementAndGet() == 1) {
        throw new CompletionException(SdkClientException.create("Unable to execute HTTP request: Read timed out"));
      }
      return "ACTIVE";
    });

    assertThat(answer).isEqualTo("ACTIVE");
    assertThat(calls).hasValue(2);
  }

  @Test
  void aMissingStreamIsNotRetried() {
    AtomicInteger calls = new AtomicInteger();

    assertThatThrownBy(() -> Patience.UNTIL_STOPPED.retry("describing stream s", () -> {
      calls.incrementAndGet();
      throw ResourceNotFoundException.builder().message("Stream s under account 000000000000 not found.").build();
    })).isInstanceOf(ResourceNotFoundException.class);
    assertThat(calls).hasValue(1);
  }

  @Test
  void patienceRunsOutWithOneLineNamingTheCall() {
    AtomicInteger calls = new AtomicInteger();

    assertThatThrownBy(() -> new Patience(Duration.ZERO).retry("creating stream s", () -> {
      calls.incrementAndGet();
      throw SdkClientException.create("Unable to execute HTTP request: Connection refused");
    })).isInstanceOf(IllegalStateException.class).hasMessageStartingWith("creating stream s still failing after")
        .hasMessageContaining("Connection refused");
    assertThat(calls).hasValue(1);
  }

  @Test
  void serverErrorsAndThrottlingMayPassTheRestMayNot() {
    KinesisException unavailable = (KinesisException) KinesisException.builder().statusCode(503)
        .awsErrorDetails(AwsErrorDetails.builder().errorCode("ServiceUnavailable").build()).build();
    KinesisException limit = (KinesisException) KinesisException.builder().statusCode(400)
        .awsErrorDetails(AwsErrorDetails.builder().errorCode("LimitExceededException").build()).build();
    KinesisException denied = (KinesisException) KinesisException.builder().statusCode(400)
        .awsErrorDetails(AwsErrorDetails.builder().errorCode("AccessDeniedException").build()).build();

    assertThat(Patience.mayPass(unavailable)).isTrue();
    assertThat(Patience.mayPass(limit)).isTrue();
    assertThat(Patience.mayPass(new CompletionException(SdkClientException.create("Read timed out")))).isTrue();
    assertThat(Patience.mayPass(denied)).isFalse();
    assertThat(Patience.mayPass(new PermanentStoreException("t", "table t is gone", null))).isFalse();
    assertThat(Patience.mayPass(new IllegalArgumentException("bad name"))).isFalse();
  }
}
