package io.spillway.application.port.in;

/**
 * The producer's bounded buffer is full because the stream is refusing records. The event in hand
 * was not accepted; everything accepted before it is still buffered and will be published.
 */
public final class BackpressureException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public BackpressureException(String message) {
    super(message);
  }
}
