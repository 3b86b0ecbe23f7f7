package io.spillway.application.port.out;

/** A failure of a store or stream that a later attempt may not meet (timeouts, 5xx, throttling storms). */
public class RetryableStoreException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public RetryableStoreException(String message, Throwable cause) {
    super(message, cause);
  }

  public RetryableStoreException(String message) {
    super(message);
  }
}
