package io.spillway.domain.testing;

import io.spillway.domain.Checks;
import io.spillway.domain.event.Event;
import io.spillway.domain.job.JobId;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

/**
 * Shared jqwik arbitraries for the domain's values, shipped in the domain test-jar so the other
 * modules generate the same edge cases: multibyte and four-byte UTF-8, longest keys, canonical and
 * free-text event ids, pre-1970 and sub-millisecond times, empty and maximum-size payloads.
 *
 * <p>Sizes are kept sane by default (at most a few hundred events, most payloads small) so
 * properties stay fast; the heavy cases are opt-in ({@link #maxPayloads()},
 * {@link #jobEventsWithMaxPayloads(JobId)}) or rare.
 */
public final class DomainArbitraries {
  private DomainArbitraries() {}

  /** A 255-byte group key made of three-byte characters: the longest key, in bytes, an event may carry. */
  public static final String LONGEST_GROUP_KEY = "界".repeat(85);
  /** A 64-character job id: the longest one. */
  public static final String LONGEST_JOB_ID = "job-" + "x".repeat(JobId.MAX_LENGTH - 4);

  private static final String JOB_ID_CHARS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.";

  // ---------------------------------------------------------------- jobs

  /** Any valid job id: 1..64 of A-Z a-z 0-9 - _ . (the longest included as an edge case). */
  public static Arbitrary<JobId> jobIds() {
    Arbitrary<String> any = Arbitraries.strings().withChars(JOB_ID_CHARS.toCharArray()).ofMinLength(1).ofMaxLength(JobId.MAX_LENGTH);
    return Arbitraries.frequencyOf(
            Tuple.of(8, any),
            Tuple.of(1, Arbitraries.just(LONGEST_JOB_ID)))
        .map(JobId::new);
  }

  // ---------------------------------------------------------------- text

  /**
   * Valid Unicode scalar values that {@link Checks#text} accepts: mostly printable ASCII, then two-,
   * three- and four-byte UTF-8 (supplementary characters become surrogate pairs in Java strings).
   * No control characters, no lone surrogates.
   */
  public static Arbitrary<Integer> codePoints() {
    return Arbitraries.frequencyOf(
        Tuple.of(6, Arbitraries.integers().between(0x20, 0x7E)),
        Tuple.of(1, Arbitraries.integers().between(0xA0, 0x7FF)),
        Tuple.of(1, Arbitraries.integers().between(0x800, 0xD7FF)),
        Tuple.of(1, Arbitraries.integers().between(0xE000, 0xFFFD)),
        Tuple.of(1, Arbitraries.integers().between(0x10000, 0x10FFFF)));
  }

  /** Valid text of {@code minBytes..maxBytes} UTF-8 bytes (maxBytes at least 4), long strings cut at a character boundary. */
  public static Arbitrary<String> text(int minBytes, int maxBytes) {
    if (maxBytes < 4 || minBytes > maxBytes) {
      throw new IllegalArgumentException("need 4 <= maxBytes and minBytes <= maxBytes");
    }
    return codePoints().list().ofMinSize(Math.max(1, minBytes)).ofMaxSize(maxBytes)
        .map(cps -> fromCodePoints(cps, maxBytes))
        .filter(s -> Checks.utf8Length(s) >= minBytes);
  }

  private static String fromCodePoints(List<Integer> cps, int maxBytes) {
    StringBuilder sb = new StringBuilder();
    int bytes = 0;
    for (int cp : cps) {
      int len = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
      if (bytes + len > maxBytes) {
        break;
      }
      sb.appendCodePoint(cp);
      bytes += len;
    }
    return sb.toString();
  }

  // ---------------------------------------------------------------- event fields

  /** Canonical lowercase UUIDs (the envelope packs them into 16 bytes). */
  public static Arbitrary<String> canonicalUuids() {
    return Combinators.combine(Arbitraries.longs(), Arbitraries.longs()).as((hi, lo) -> new UUID(hi, lo).toString());
  }

  /** Event ids: canonical UUIDs, upper-case UUIDs (not canonical, so stored as text) and any valid text up to 128 bytes. */
  public static Arbitrary<String> eventIds() {
    return Arbitraries.frequencyOf(
        Tuple.of(5, canonicalUuids()),
        Tuple.of(1, canonicalUuids().map(s -> s.toUpperCase(java.util.Locale.ROOT))),
        Tuple.of(2, text(1, Event.MAX_EVENT_ID_BYTES)),
        Tuple.of(1, Arbitraries.of("a", "0", "00000000-0000-0000-0000-00000000000", "🚀".repeat(32), "x".repeat(Event.MAX_EVENT_ID_BYTES))));
  }

  /** Times across the whole valid range, with nanosecond precision, pre-1970 and the exact bounds included. */
  public static Arbitrary<Instant> eventTimes() {
    Arbitrary<Instant> anywhere = Combinators.combine(
            Arbitraries.longs().between(Event.MIN_TIME.getEpochSecond(), Event.MAX_TIME.getEpochSecond()),
            Arbitraries.integers().between(0, 999_999_999))
        .as(Instant::ofEpochSecond);
    long from = Instant.parse("2020-01-01T00:00:00Z").getEpochSecond();
    long to = Instant.parse("2030-01-01T00:00:00Z").getEpochSecond();
    Arbitrary<Instant> recentMillis = Combinators.combine(
            Arbitraries.longs().between(from, to), Arbitraries.integers().between(0, 999))
        .as((s, ms) -> Instant.ofEpochSecond(s, ms * 1_000_000L));
    Arbitrary<Instant> recentNanos = Combinators.combine(
            Arbitraries.longs().between(from, to), Arbitraries.integers().between(0, 999_999_999))
        .as(Instant::ofEpochSecond);
    Arbitrary<Instant> edges = Arbitraries.of(
        Event.MIN_TIME,
        Event.MAX_TIME,
        Instant.EPOCH,
        Instant.EPOCH.minusNanos(1),
        Instant.EPOCH.minusMillis(1),
        Instant.parse("1969-07-20T20:17:40.000000001Z"),
        Instant.parse("1900-01-01T00:00:00.999999999Z"));
    return Arbitraries.frequencyOf(
        Tuple.of(1, edges), Tuple.of(3, anywhere), Tuple.of(3, recentMillis), Tuple.of(3, recentNanos));
  }

  /** Event types: a few recurring ones (so the per-chunk dictionary is exercised) and any valid text up to 64 bytes. */
  public static Arbitrary<String> types() {
    return Arbitraries.frequencyOf(
        Tuple.of(4, Arbitraries.of("click", "view", "purchase", "página_vista", "イベント", "🚀launch")),
        Tuple.of(1, text(1, Event.MAX_TYPE_BYTES)),
        Tuple.of(1, Arbitraries.of("t".repeat(Event.MAX_TYPE_BYTES), "型".repeat(Event.MAX_TYPE_BYTES / 3))));
  }

  /** Group keys: short and common ones, any valid text, and the longest (255 bytes). */
  public static Arbitrary<String> groupKeys() {
    return Arbitraries.frequencyOf(
        Tuple.of(4, Arbitraries.of("g", "orders", "region-eu#1", "用户-7", "grüße/🚀")),
        Tuple.of(2, text(1, Event.MAX_GROUP_KEY_BYTES)),
        Tuple.of(1, Arbitraries.of(LONGEST_GROUP_KEY, "k".repeat(Event.MAX_GROUP_KEY_BYTES))));
  }

  /** Schema versions 0..65535, mostly small. */
  public static Arbitrary<Integer> schemaVersions() {
    return Arbitraries.frequencyOf(
        Tuple.of(4, Arbitraries.integers().between(0, 5)),
        Tuple.of(1, Arbitraries.integers().between(0, Event.MAX_SCHEMA_VERSION)));
  }

  // ---------------------------------------------------------------- payloads

  /** Random (incompressible) bytes of the given size, drawn from a seed so that generation is cheap. */
  public static byte[] randomBytes(long seed, int size) {
    byte[] b = new byte[size];
    new Random(seed).nextBytes(b);
    return b;
  }

  /**
   * A JSON-like document of about {@code approxBytes} bytes: recurring keys, varying values, so it
   * compresses like real analytics payloads (several times, not a hundred times).
   */
  public static byte[] jsonLike(long seed, int approxBytes) {
    Random r = new Random(seed);
    StringBuilder sb = new StringBuilder(approxBytes + 64);
    sb.append("{\"user\":\"u").append(r.nextInt(100_000))
        .append("\",\"session\":\"").append(Long.toHexString(r.nextLong()))
        .append("\",\"page\":\"/products/").append(r.nextInt(5000))
        .append("\",\"amount\":").append(r.nextInt(100_000) / 100.0)
        .append(",\"country\":\"").append(COUNTRIES[r.nextInt(COUNTRIES.length)]).append("\",\"tags\":[");
    int i = 0;
    while (sb.length() < approxBytes - 2) {
      if (i++ > 0) sb.append(',');
      sb.append("\"tag").append(r.nextInt(50)).append('"');
    }
    sb.append("]}");
    return sb.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static final String[] COUNTRIES = {"DE", "FR", "US", "JP", "BR", "IN", "GB", "ES"};

  /** Small JSON-like payloads of about 300 bytes (the typical event of the brief). */
  public static Arbitrary<byte[]> jsonLikePayloads() {
    return Combinators.combine(Arbitraries.longs(), Arbitraries.integers().between(250, 350)).as(DomainArbitraries::jsonLike);
  }

  /** Payloads of exactly {@link Event#MAX_PAYLOAD_BYTES}: incompressible, all zeros, or JSON-like. */
  public static Arbitrary<byte[]> maxPayloads() {
    return Arbitraries.frequencyOf(
        Tuple.of(2, Arbitraries.longs().map(seed -> randomBytes(seed, Event.MAX_PAYLOAD_BYTES))),
        Tuple.of(1, Arbitraries.just(Event.MAX_PAYLOAD_BYTES).map(byte[]::new)),
        Tuple.of(1, Arbitraries.longs().map(seed -> java.util.Arrays.copyOf(jsonLike(seed, Event.MAX_PAYLOAD_BYTES), Event.MAX_PAYLOAD_BYTES))));
  }

  /** Small payloads only: empty, arbitrary bytes up to 64, JSON-like ~300 bytes, arbitrary bytes up to 4 KiB. */
  public static Arbitrary<byte[]> smallPayloads() {
    return Arbitraries.frequencyOf(
        Tuple.of(1, Arbitraries.just(new byte[0])),
        Tuple.of(8, Arbitraries.bytes().array(byte[].class).ofMinSize(1).ofMaxSize(64)),
        Tuple.of(8, jsonLikePayloads()),
        Tuple.of(3, Combinators.combine(Arbitraries.longs(), Arbitraries.integers().between(0, 4096)).as(DomainArbitraries::randomBytes)));
  }

  /** Payloads as {@link #smallPayloads()}, with a rare ({@code ~0.5 %}) maximum-size one. */
  public static Arbitrary<byte[]> payloads() {
    return Arbitraries.frequencyOf(Tuple.of(199, smallPayloads()), Tuple.of(1, maxPayloads()));
  }

  // ---------------------------------------------------------------- events

  /** One valid event of the job, with any sequence. */
  public static Arbitrary<Event> events(JobId job) {
    return Combinators.combine(
            Arbitraries.longs().greaterOrEqual(0), eventIds(), eventTimes(), types(), groupKeys(), schemaVersions(), payloads())
        .as((seq, id, time, type, group, schema, payload) -> new Event(job, seq, id, time, type, group, schema, payload));
  }

  /** One valid event of any job. */
  public static Arbitrary<Event> events() {
    return jobIds().flatMap(DomainArbitraries::events);
  }

  /** A job's events in production order: 0..300 events, sequence i for the i-th, groups from a set of up to 4 keys. */
  public static Arbitrary<List<Event>> jobEvents(JobId job) {
    return jobEvents(job, 0, 300);
  }

  /** A job's events in production order, between minEvents and maxEvents of them, with {@link #payloads()}. */
  public static Arbitrary<List<Event>> jobEvents(JobId job, int minEvents, int maxEvents) {
    return jobEvents(job, minEvents, maxEvents, payloads(), 4);
  }

  /**
   * A job's events in production order: sequence i for the i-th event (dense from 0), group keys
   * drawn from a generated set of 1..maxGroups distinct keys, payloads from the given arbitrary.
   */
  public static Arbitrary<List<Event>> jobEvents(JobId job, int minEvents, int maxEvents, Arbitrary<byte[]> payloads, int maxGroups) {
    return jobEvents(job, minEvents, maxEvents, payloads, groupKeys().list().uniqueElements().ofMinSize(1).ofMaxSize(maxGroups));
  }

  /**
   * A job's events in production order: sequence i for the i-th event (dense from 0), each event's
   * group drawn from one generated set of keys (give a fixed set with {@code Arbitraries.just}).
   */
  public static Arbitrary<List<Event>> jobEvents(
      JobId job, int minEvents, int maxEvents, Arbitrary<byte[]> payloads, Arbitrary<List<String>> groupSets) {
    Arbitrary<EventSpec> spec = Combinators.combine(
            eventIds(), eventTimes(), types(), Arbitraries.integers().between(0, 1 << 20).withDistribution(net.jqwik.api.RandomDistribution.uniform()),
            schemaVersions(), payloads)
        .as(EventSpec::new);
    return Combinators.combine(groupSets, spec.list().ofMinSize(minEvents).ofMaxSize(maxEvents))
        .as((keys, specs) -> {
          if (keys.isEmpty()) {
            throw new IllegalArgumentException("a job needs at least one group key");
          }
          List<Event> events = new ArrayList<>(specs.size());
          for (int i = 0; i < specs.size(); i++) {
            EventSpec s = specs.get(i);
            events.add(new Event(job, i, s.eventId, s.time, s.type, keys.get(s.group % keys.size()), s.schema, s.payload));
          }
          return events;
        });
  }

  /** A job's events (1..12 of them, up to 3 groups) where about a third of the payloads are maximum-size. */
  public static Arbitrary<List<Event>> jobEventsWithMaxPayloads(JobId job) {
    return jobEvents(job, 1, 12, Arbitraries.frequencyOf(Tuple.of(2, smallPayloads()), Tuple.of(1, maxPayloads())), 3);
  }

  private record EventSpec(String eventId, Instant time, String type, int group, int schema, byte[] payload) {}
}
