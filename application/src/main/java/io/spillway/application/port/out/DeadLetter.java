package io.spillway.application.port.out;

import io.spillway.domain.Checks;
import java.time.Instant;
import java.util.Arrays;

/**
 * A stream record that could not be ingested, kept whole with where it came from and why, so it
 * can be inspected and replayed; it never blocks its shard and is never silently skipped.
 */
public record DeadLetter(String source, String position, String reason, String detail, byte[] record, Instant at) {
  public DeadLetter {
    Checks.required("deadLetter.source", source);
    Checks.required("deadLetter.position", position);
    Checks.required("deadLetter.reason", reason);
    Checks.required("deadLetter.detail", detail);
    Checks.required("deadLetter.record", record);
    Checks.required("deadLetter.at", at);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof DeadLetter d && source.equals(d.source) && position.equals(d.position) && reason.equals(d.reason)
        && detail.equals(d.detail) && Arrays.equals(record, d.record) && at.equals(d.at);
  }

  @Override
  public int hashCode() {
    return (source + "/" + position).hashCode();
  }

  @Override
  public String toString() {
    return "DeadLetter[" + source + "@" + position + " " + reason + ": " + detail + " (" + record.length + " bytes)]";
  }
}
