package io.spillway.adapters.aws.eventbridge;

import io.spillway.application.port.out.JobAnnouncement;
import io.spillway.application.port.out.JobAvailable;
import io.spillway.application.port.out.JobFailed;
import io.spillway.application.port.out.JobIncomplete;

/**
 * An announcement as the JSON {@code detail} of an EventBridge event. Written by hand: ten flat
 * fields do not justify a JSON library in the adapter. Every kind carries the same keys, with null
 * where a FAILED job has no manifest, so rules and receivers can match on one shape; the checksum
 * is 16 hex digits, since a 64-bit number does not survive a JavaScript or JSON-path reader.
 */
final class AnnouncementDetail {
  /** Bumped when a key changes meaning or goes away (adding one does not). */
  static final int SCHEMA_VERSION = 1;

  private AnnouncementDetail() {}

  static String json(JobAnnouncement a) {
    Long chunkCount = null;
    Long eventCount = null;
    Long missing = null;
    Long checksum = null;
    String reason = null;
    if (a instanceof JobAvailable v) {
      chunkCount = v.chunkCount();
      eventCount = v.eventCount();
      missing = 0L;
      checksum = v.datasetChecksum();
    } else if (a instanceof JobIncomplete i) {
      chunkCount = i.chunkCount();
      eventCount = i.eventCount();
      missing = i.missingChunks();
      checksum = i.datasetChecksum();
    } else if (a instanceof JobFailed f) {
      reason = f.reason().orElse(null);
    }
    StringBuilder out = new StringBuilder(320).append('{');
    field(out, "schemaVersion", String.valueOf(SCHEMA_VERSION));
    field(out, "jobId", string(a.jobId().value()));
    field(out, "name", string(a.name()));
    field(out, "jobClass", string(a.jobClass().name()));
    field(out, "status", string(a.status().name()));
    field(out, "chunkCount", number(chunkCount));
    field(out, "eventCount", number(eventCount));
    field(out, "storedChunks", String.valueOf(a.storedChunks()));
    field(out, "missingChunks", number(missing));
    field(out, "datasetChecksum", checksum == null ? "null" : string(String.format("%016x", checksum)));
    field(out, "at", string(a.at().toString()));
    field(out, "reason", reason == null ? "null" : string(reason));
    out.setLength(out.length() - 1);
    return out.append('}').toString();
  }

  private static void field(StringBuilder out, String key, String value) {
    out.append('"').append(key).append("\":").append(value).append(',');
  }

  private static String number(Long n) {
    return n == null ? "null" : n.toString();
  }

  /** A JSON string: quotes, backslashes and control characters escaped, everything else as is (the body is UTF-8). */
  static String string(String s) {
    StringBuilder out = new StringBuilder(s.length() + 2).append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          // U+2028 and U+2029 are valid JSON but end a line in JavaScript: escaped for receivers that eval
          if (c < 0x20 || c == '\u2028' || c == '\u2029') {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.append('"').toString();
  }
}
