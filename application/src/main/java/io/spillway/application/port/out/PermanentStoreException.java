package io.spillway.application.port.out;

/**
 * A failure of a store or stream that no retry will fix — the table or stream is gone, access is
 * denied, the request is malformed — naming the resource. A consumer stops on it, with its
 * checkpoint not advanced past the record it was storing, rather than retrying forever.
 */
public class PermanentStoreException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String resource;

  public PermanentStoreException(String resource, String message, Throwable cause) {
    super(message, cause);
    this.resource = resource;
  }

  /** The table, stream or other resource that failed, as named to the operator. */
  public String resource() {
    return resource;
  }
}
