package io.spillway.application.port.in;

/** The job is unknown or not AVAILABLE yet: its dataset cannot be served. */
public final class DatasetNotAvailableException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public DatasetNotAvailableException(String message) {
    super(message);
  }
}
