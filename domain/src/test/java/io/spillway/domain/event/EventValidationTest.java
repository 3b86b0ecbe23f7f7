package io.spillway.domain.event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.spillway.domain.InvalidFieldException;
import io.spillway.domain.job.JobId;
import java.time.Instant;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every field of an event is checked at construction, and a refusal names the field and the limit. */
class EventValidationTest {
  static final JobId JOB = JobId.of("job-1");
  static final String ID = "3f2b8c1e-9a4d-4c6b-8e2f-1a2b3c4d5e6f";
  static final Instant TIME = Instant.parse("2025-03-01T12:00:00.123456789Z");
  static final byte[] PAYLOAD = "{}".getBytes();

  /** A valid event with one field replaced. */
  record Fields(JobId job, long seq, String id, Instant time, String type, String group, int schema, byte[] payload) {
    static Fields valid() {
      return new Fields(JOB, 0, ID, TIME, "click", "orders", 1, PAYLOAD);
    }

    Event build() {
      return new Event(job, seq, id, time, type, group, schema, payload);
    }
  }

  static Stream<Arguments> invalidEvents() {
    return Stream.of(
        refused("null job", () -> new Fields(null, 0, ID, TIME, "click", "orders", 1, PAYLOAD), "event.jobId", "required"),
        refused("negative sequence", () -> new Fields(JOB, -1, ID, TIME, "click", "orders", 1, PAYLOAD), "event.sequence", "0.." + Long.MAX_VALUE),
        refused("min sequence", () -> new Fields(JOB, Long.MIN_VALUE, ID, TIME, "click", "orders", 1, PAYLOAD), "event.sequence", "0.."),
        refused("null event id", () -> new Fields(JOB, 0, null, TIME, "click", "orders", 1, PAYLOAD), "event.eventId", "required"),
        refused("empty event id", () -> new Fields(JOB, 0, "", TIME, "click", "orders", 1, PAYLOAD), "event.eventId", "1..128 UTF-8 bytes"),
        refused("129-byte ASCII event id", () -> new Fields(JOB, 0, "e".repeat(129), TIME, "click", "orders", 1, PAYLOAD), "event.eventId", "1..128 UTF-8 bytes (was 129)"),
        refused("43 three-byte chars = 129 bytes", () -> new Fields(JOB, 0, "€".repeat(43), TIME, "click", "orders", 1, PAYLOAD), "event.eventId", "(was 129)"),
        refused("33 emoji = 132 bytes", () -> new Fields(JOB, 0, "🚀".repeat(33), TIME, "click", "orders", 1, PAYLOAD), "event.eventId", "(was 132)"),
        refused("NUL in event id", () -> new Fields(JOB, 0, "a\u0000b", TIME, "click", "orders", 1, PAYLOAD), "event.eventId", "no control characters"),
        refused("newline in type", () -> new Fields(JOB, 0, ID, TIME, "cli\nck", "orders", 1, PAYLOAD), "event.type", "no control characters (U+a at 3)"),
        refused("DEL in group", () -> new Fields(JOB, 0, ID, TIME, "click", "ord\u007fers", 1, PAYLOAD), "event.groupKey", "no control characters"),
        refused("C1 control NEL in group", () -> new Fields(JOB, 0, ID, TIME, "click", "\u0085", 1, PAYLOAD), "event.groupKey", "no control characters"),
        refused("lone high surrogate at the end", () -> new Fields(JOB, 0, "abc\uD83D", TIME, "click", "orders", 1, PAYLOAD), "event.eventId", "well-formed Unicode (lone surrogate at 3)"),
        refused("lone low surrogate", () -> new Fields(JOB, 0, ID, TIME, "\uDE80x", "orders", 1, PAYLOAD), "event.type", "well-formed Unicode (lone surrogate at 0)"),
        refused("surrogates in the wrong order", () -> new Fields(JOB, 0, ID, TIME, "click", "\uDE80\uD83D", 1, PAYLOAD), "event.groupKey", "well-formed Unicode"),
        refused("null time", () -> new Fields(JOB, 0, ID, null, "click", "orders", 1, PAYLOAD), "event.eventTime", "required"),
        refused("a nanosecond before year 0", () -> new Fields(JOB, 0, ID, Event.MIN_TIME.minusNanos(1), "click", "orders", 1, PAYLOAD), "event.eventTime", Event.MIN_TIME + ".." + Event.MAX_TIME),
        refused("a nanosecond after year 9999", () -> new Fields(JOB, 0, ID, Event.MAX_TIME.plusNanos(1), "click", "orders", 1, PAYLOAD), "event.eventTime", Event.MIN_TIME + ".." + Event.MAX_TIME),
        refused("Instant.MAX", () -> new Fields(JOB, 0, ID, Instant.MAX, "click", "orders", 1, PAYLOAD), "event.eventTime", Event.MAX_TIME.toString()),
        refused("null type", () -> new Fields(JOB, 0, ID, TIME, null, "orders", 1, PAYLOAD), "event.type", "required"),
        refused("empty type", () -> new Fields(JOB, 0, ID, TIME, "", "orders", 1, PAYLOAD), "event.type", "1..64 UTF-8 bytes (was 0)"),
        refused("65-byte type", () -> new Fields(JOB, 0, ID, TIME, "t".repeat(65), "orders", 1, PAYLOAD), "event.type", "1..64 UTF-8 bytes (was 65)"),
        refused("null group", () -> new Fields(JOB, 0, ID, TIME, "click", null, 1, PAYLOAD), "event.groupKey", "required"),
        refused("empty group", () -> new Fields(JOB, 0, ID, TIME, "click", "", 1, PAYLOAD), "event.groupKey", "1..255 UTF-8 bytes"),
        refused("256-byte group", () -> new Fields(JOB, 0, ID, TIME, "click", "g".repeat(256), 1, PAYLOAD), "event.groupKey", "1..255 UTF-8 bytes (was 256)"),
        refused("128 two-byte chars = 256 bytes", () -> new Fields(JOB, 0, ID, TIME, "click", "é".repeat(128), 1, PAYLOAD), "event.groupKey", "(was 256)"),
        refused("negative schema", () -> new Fields(JOB, 0, ID, TIME, "click", "orders", -1, PAYLOAD), "event.schemaVersion", "0..65535"),
        refused("schema 65536", () -> new Fields(JOB, 0, ID, TIME, "click", "orders", 65_536, PAYLOAD), "event.schemaVersion", "0..65535"),
        refused("null payload", () -> new Fields(JOB, 0, ID, TIME, "click", "orders", 1, null), "event.payload", "required"),
        refused("payload one byte over", () -> new Fields(JOB, 0, ID, TIME, "click", "orders", 1, new byte[Event.MAX_PAYLOAD_BYTES + 1]), "event.payload", "at most 400000 bytes"));
  }

  private static Arguments refused(String name, Supplier<Fields> fields, String field, String limit) {
    return Arguments.of(name, fields, field, limit);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidEvents")
  void refusesAnInvalidFieldNamingTheFieldAndTheLimit(String name, Supplier<Fields> fields, String field, String limit) {
    InvalidFieldException e = catchThrowableOfType(InvalidFieldException.class, () -> fields.get().build());

    assertThat(e).as(name).isNotNull();
    assertThat(e.field()).isEqualTo(field);
    assertThat(e.limit()).contains(limit);
    assertThat(e.getMessage()).startsWith(field + ": ").contains(limit);
    assertThat(e).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void acceptsEveryFieldAtItsLimit() {
    assertThatCode(() -> new Event(JOB, Long.MAX_VALUE, "🚀".repeat(32), Event.MAX_TIME, "型".repeat(21) + "t", "界".repeat(85), 65_535,
        new byte[Event.MAX_PAYLOAD_BYTES])).doesNotThrowAnyException();
    assertThatCode(() -> new Event(JOB, 0, "x", Event.MIN_TIME, "t", "g", 0, new byte[0])).doesNotThrowAnyException();
    assertThatCode(() -> new Event(JOB, 0, "e".repeat(128), Instant.EPOCH.minusNanos(1), "t".repeat(64), "g".repeat(255), 0, new byte[0]))
        .doesNotThrowAnyException();
  }

  @Test
  void countsTheLimitInUtf8BytesNotInChars() {
    // 64 chars but 128 bytes: over the 64-byte type limit although short in chars
    InvalidFieldException e = catchThrowableOfType(InvalidFieldException.class,
        () -> new Event(JOB, 0, ID, TIME, "é".repeat(64), "g", 0, PAYLOAD));
    assertThat(e.field()).isEqualTo("event.type");
    assertThat(e.limit()).contains("(was 128)");
  }

  @Test
  void showsALongValueCutShort() {
    InvalidFieldException e = catchThrowableOfType(InvalidFieldException.class,
        () -> new Event(JOB, 0, ID, TIME, "click", "g".repeat(1000), 0, PAYLOAD));
    assertThat(e.value()).hasSizeLessThanOrEqualTo(81).endsWith("…");
    assertThat(e.getMessage()).hasSizeLessThan(200);
  }

  @Test
  void equalityComparesPayloadContentsNotArrays() {
    Event a = Fields.valid().build();
    Event b = new Event(JOB, 0, ID, TIME, "click", "orders", 1, PAYLOAD.clone());
    Event c = new Event(JOB, 0, ID, TIME, "click", "orders", 1, "{ }".getBytes());
    assertThat(a).isEqualTo(b).hasSameHashCodeAs(b).isNotEqualTo(c);
  }
}
