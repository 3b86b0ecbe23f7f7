package io.spillway.application.port.out;

import io.spillway.domain.Checks;
import io.spillway.domain.InvalidFieldException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * A stream record that could not be ingested, with where it came from and why, so it can be
 * inspected and replayed; it never blocks its shard and is never silently skipped.
 *
 * <p>A letter always fits one store item, however large the poison record: {@code record} holds
 * the whole record up to {@link #KEPT_BYTES} and only its head beyond that, while
 * {@code recordLength} and {@code sha256} always describe the whole record.
 *
 * @param source the shard the record came from
 * @param position its sequence number in that shard
 * @param record the record, or its first {@link #KEPT_BYTES} bytes when it is longer
 * @param recordLength the whole record's length in bytes
 * @param sha256 the whole record's SHA-256, lowercase hex
 */
public record DeadLetter(String source, String position, String reason, String detail, byte[] record, long recordLength, String sha256,
    Instant at) {
  /** The most of a record a letter keeps: with its other attributes it stays well under DynamoDB's 400 KB item. */
  public static final int KEPT_BYTES = 256 * 1024;
  /** The longest detail a letter keeps; longer messages are cut with an ellipsis. */
  public static final int DETAIL_CHARS = 1_000;
  /** The reason for a chunk whose job has no job record (a producer on another table, a record deleted by hand). */
  public static final String UNKNOWN_JOB = "UNKNOWN_JOB";

  public DeadLetter {
    Checks.required("deadLetter.source", source);
    Checks.required("deadLetter.position", position);
    Checks.required("deadLetter.reason", reason);
    Checks.required("deadLetter.detail", detail);
    Checks.required("deadLetter.record", record);
    Checks.required("deadLetter.sha256", sha256);
    Checks.required("deadLetter.at", at);
    if (record.length > KEPT_BYTES) {
      throw new InvalidFieldException("deadLetter.record", record.length + " bytes", "at most " + KEPT_BYTES + " bytes kept");
    }
    if (recordLength < record.length || (recordLength > record.length && record.length < KEPT_BYTES)) {
      throw new InvalidFieldException("deadLetter.recordLength", recordLength,
          "the kept bytes' length (" + record.length + "), or more when " + KEPT_BYTES + " bytes are kept");
    }
    if (detail.length() > DETAIL_CHARS) {
      throw new InvalidFieldException("deadLetter.detail", detail.length() + " characters", "at most " + DETAIL_CHARS);
    }
    if (sha256.length() != 64 || !sha256.chars().allMatch(c -> (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
      throw new InvalidFieldException("deadLetter.sha256", sha256, "64 lowercase hex digits");
    }
  }

  /** A letter for {@code record}, keeping at most {@link #KEPT_BYTES} of it and at most {@link #DETAIL_CHARS} of the detail. */
  public static DeadLetter of(String source, String position, String reason, String detail, byte[] record, Instant at) {
    Checks.required("deadLetter.record", record);
    Checks.required("deadLetter.detail", detail);
    String shortDetail = detail.length() <= DETAIL_CHARS ? detail : detail.substring(0, DETAIL_CHARS - 1) + "…";
    byte[] kept = Arrays.copyOf(record, Math.min(record.length, KEPT_BYTES));
    return new DeadLetter(source, position, reason, shortDetail, kept, record.length, sha256(record), at);
  }

  /**
   * This letter after a replay found its record still poison: the new reason, and a detail that
   * starts with the replay's line and keeps the earlier reasons after it (cut to {@link #DETAIL_CHARS}).
   * Source, position, record and arrival time stay as they were.
   */
  public DeadLetter replayedAgain(String newReason, String newDetail, Instant replayedAt) {
    Checks.required("deadLetter.reason", newReason);
    Checks.required("deadLetter.detail", newDetail);
    String lines = "replayed " + replayedAt + ": " + newReason + ": " + newDetail + "\n" + reason + ": " + detail;
    String kept = lines.length() <= DETAIL_CHARS ? lines : lines.substring(0, DETAIL_CHARS - 1) + "…";
    return new DeadLetter(source, position, newReason, kept, record, recordLength, sha256, at);
  }

  /** True when only the head of the record was kept. */
  public boolean truncated() {
    return recordLength > record.length;
  }

  /** Lowercase hex SHA-256 of {@code bytes}. */
  public static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform provides SHA-256", e);
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof DeadLetter d && source.equals(d.source) && position.equals(d.position) && reason.equals(d.reason)
        && detail.equals(d.detail) && Arrays.equals(record, d.record) && recordLength == d.recordLength && sha256.equals(d.sha256)
        && at.equals(d.at);
  }

  @Override
  public int hashCode() {
    return (source + "/" + position).hashCode();
  }

  @Override
  public String toString() {
    return "DeadLetter[" + source + "@" + position + " " + reason + ": " + detail + " (" + recordLength + " bytes"
        + (truncated() ? ", first " + record.length + " kept" : "") + ", sha256 " + sha256 + ")]";
  }
}
