package io.spillway.application.port.in;

/** The job is unknown, not AVAILABLE yet, or INCOMPLETE (chunks lost): its dataset cannot be served. */
public final class DatasetNotAvailableException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public DatasetNotAvailableException(String message) {
    super(message);
  }
}
