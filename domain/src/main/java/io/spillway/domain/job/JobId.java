package io.spillway.domain.job;

import io.spillway.domain.InvalidFieldException;

/** Identifies one analytics job; safe inside DynamoDB keys and Kinesis partition keys. */
public record JobId(String value) implements Comparable<JobId> {
  public static final int MAX_LENGTH = 64;

  public JobId {
    if (value == null || value.isEmpty() || value.length() > MAX_LENGTH) {
      throw new InvalidFieldException("jobId", value, "1.." + MAX_LENGTH + " characters");
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.';
      if (!ok) {
        throw new InvalidFieldException("jobId", value, "characters A-Z a-z 0-9 - _ . only");
      }
    }
  }

  public static JobId of(String value) {
    return new JobId(value);
  }

  @Override
  public int compareTo(JobId other) {
    return value.compareTo(other.value);
  }

  @Override
  public String toString() {
    return value;
  }
}
