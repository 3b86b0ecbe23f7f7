package io.spillway.domain.chunk;

/** A chunk record that cannot be trusted: it is refused whole, with the reason, never half-read. */
public final class CorruptChunkException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Why a record was refused; also the dead-letter reason code. */
  public enum Reason {
    TOO_SHORT,
    BAD_MAGIC,
    UNSUPPORTED_VERSION,
    UNKNOWN_CODEC,
    CHECKSUM_MISMATCH,
    TRUNCATED,
    MALFORMED,
    RAW_SIZE_EXCEEDED,
    /** Verifies, but its item would exceed DynamoDB's 409,600-byte limit: no store will take it. */
    ITEM_TOO_LARGE
  }

  private final Reason reason;

  public CorruptChunkException(Reason reason, String detail) {
    super(reason + ": " + detail);
    this.reason = reason;
  }

  public CorruptChunkException(Reason reason, String detail, Throwable cause) {
    super(reason + ": " + detail, cause);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
