package io.spillway.bootstrap.aws;

import io.spillway.application.port.out.PermanentStoreException;
import io.spillway.application.port.out.RetryableStoreException;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;

/**
 * How long a process keeps retrying a call to Kinesis or DynamoDB that failed in a way a retry may
 * fix (a timeout, a lost connection, a 5xx answer, throttling) before it gives up: a consumer
 * service waits for its dependencies for as long as it runs; a one-off command gives up after a while.
 */
public record Patience(Duration limit) {
  private static final Logger log = LoggerFactory.getLogger(Patience.class);
  private static final long MAX_PAUSE_MILLIS = 30_000;

  /** Retries for as long as the process runs. */
  public static final Patience UNTIL_STOPPED = new Patience(Duration.ofSeconds(Long.MAX_VALUE));
  /** Retries for about half a minute. */
  public static final Patience BRIEF = new Patience(Duration.ofSeconds(30));

  /** Runs {@code call}, retrying with a growing pause while its failures may pass and the patience lasts. */
  public <T> T retry(String what, Supplier<T> call) {
    long start = System.nanoTime();
    long pause = 500;
    for (int attempt = 1; ; attempt++) {
      try {
        return call.get();
      } catch (RuntimeException e) {
        if (!mayPass(e)) {
          throw e;
        }
        Duration waited = Duration.ofNanos(System.nanoTime() - start);
        if (waited.plusMillis(pause).compareTo(limit) > 0) {
          throw new IllegalStateException(what + " still failing after " + waited.toSeconds() + " s: " + oneLine(e), e);
        }
        log.warn("{} failed (attempt {}), retrying in {} ms: {}", what, attempt, pause, oneLine(e));
        try {
          Thread.sleep(pause);
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("interrupted while retrying " + what, interrupted);
        }
        pause = Math.min(pause * 2, MAX_PAUSE_MILLIS);
      }
    }
  }

  /** Runs {@code call} as {@link #retry(String, Supplier)} does. */
  public void retry(String what, Runnable call) {
    retry(what, () -> {
      call.run();
      return null;
    });
  }

  /** Whether a later attempt may succeed: timeouts, connection failures, 5xx and throttling may; the rest will not. */
  static boolean mayPass(Throwable e) {
    Throwable t = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
    if (t instanceof PermanentStoreException) {
      return false;
    }
    if (t instanceof RetryableStoreException || t instanceof SdkClientException) {
      return true;
    }
    if (t instanceof AwsServiceException a) {
      return a.statusCode() >= 500 || a.isThrottlingException()
          || (a.awsErrorDetails() != null && "LimitExceededException".equals(a.awsErrorDetails().errorCode()));
    }
    return false;
  }

  private static String oneLine(Throwable e) {
    Throwable t = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
    String m = String.valueOf(t.getMessage());
    int nl = m.indexOf('\n');
    return t.getClass().getSimpleName() + ": " + (nl < 0 ? m : m.substring(0, nl));
  }
}
