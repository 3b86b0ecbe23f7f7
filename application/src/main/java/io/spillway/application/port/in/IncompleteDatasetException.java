package io.spillway.application.port.in;

/** What was read back does not add up to the manifest: chunks or events missing, extra or altered. */
public final class IncompleteDatasetException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public IncompleteDatasetException(String message) {
    super(message);
  }

  public IncompleteDatasetException(String message, Throwable cause) {
    super(message, cause);
  }
}
