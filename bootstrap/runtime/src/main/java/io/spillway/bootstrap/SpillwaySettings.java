package io.spillway.bootstrap;

import io.spillway.adapters.aws.kcl.KclConsumer;
import io.spillway.adapters.aws.kcl.KclFailover;
import io.spillway.adapters.inmemory.StreamLimits;
import io.spillway.adapters.inmemory.TableCapacity;
import io.spillway.application.service.BacklogMonitorSettings;
import io.spillway.application.service.IngestSettings;
import io.spillway.domain.risk.RetentionRiskPolicies;
import io.spillway.application.service.PublisherSettings;
import io.spillway.bootstrap.aws.AwsSettings;
import io.spillway.bootstrap.aws.Patience;
import io.spillway.domain.InvalidFieldException;
import io.spillway.domain.chunk.ChunkAssembler;
import io.spillway.domain.chunk.CodecId;
import java.io.IOException;
import java.io.Reader;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a {@link SpillwayConfig} (and, for {@code spillway.backend=aws}, an {@link AwsSettings})
 * from properties: every key is optional and defaults to {@link SpillwayConfig#defaults()}; an
 * unknown key or a bad value is refused with the key, the value and what is allowed. Durations are
 * ISO-8601 ({@code PT30S}) or a number with a unit ({@code 500ms}, {@code 30s}, {@code 5m},
 * {@code 24h}, {@code 7d}). The keys, with their defaults, are listed in the README.
 */
public record SpillwaySettings(SpillwayConfig config, Optional<AwsSettings> aws) {
  private static final Pattern SHORT_DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)");

  /** Every key understood, so that a misspelt one is refused rather than ignored. */
  public static final Set<String> KEYS = Set.of(
      "spillway.backend",
      "spillway.codec", "spillway.codec.level",
      "spillway.assembler.targetFill", "spillway.assembler.minFill", "spillway.assembler.maxPendingRawBytes", "spillway.assembler.linger",
      "spillway.publisher.maxBufferedBytes", "spillway.publisher.batchRecords", "spillway.publisher.batchBytes",
      "spillway.publisher.backoffBase", "spillway.publisher.backoffMax", "spillway.publisher.backpressure", "spillway.publisher.blockTimeout",
      "spillway.publisher.spillDirectory", "spillway.publisher.spillMaxBytes", "spillway.intake.maxAssembledBytes",
      "spillway.intake.progressInterval",
      "spillway.ingest.writeUnitsPerSecond", "spillway.ingest.maxPutAttempts", "spillway.ingest.backoffBase", "spillway.ingest.backoffMax",
      "spillway.ingest.verifyPayload",
      "spillway.memory.shards", "spillway.memory.retention", "spillway.memory.tableWriteUnits", "spillway.memory.announcements",
      "spillway.read.parallelism", "spillway.consumer.batchRecords", "spillway.seal.timeout",
      "spillway.availability.sweep", "spillway.availability.maxRecountInterval",
      "spillway.risk.window", "spillway.risk.calmDown", "spillway.risk.watch", "spillway.risk.critical",
      "spillway.aws.stream", "spillway.aws.table", "spillway.aws.region", "spillway.aws.dynamodbEndpoint", "spillway.aws.kinesisEndpoint",
      "spillway.aws.standIns", "spillway.aws.shards", "spillway.aws.workers", "spillway.aws.workerId", "spillway.aws.failover",
      "spillway.aws.retrieval", "spillway.aws.chunkTtl", "spillway.aws.patience", "spillway.aws.eventBus", "spillway.aws.eventBridgeEndpoint");

  public static SpillwaySettings load(Path file) throws IOException {
    Properties p = new Properties();
    try (Reader r = Files.newBufferedReader(file)) {
      p.load(r);
    }
    Map<String, String> map = new TreeMap<>();
    p.stringPropertyNames().forEach(k -> map.put(k, p.getProperty(k).trim()));
    return from(map);
  }

  /** From a map of keys to values (e.g. a properties file, or options mapped onto these keys). */
  public static SpillwaySettings from(Map<String, String> properties) {
    Set<String> unknown = new TreeSet<>(properties.keySet());
    unknown.removeAll(KEYS);
    if (!unknown.isEmpty()) {
      String key = unknown.iterator().next();
      throw new InvalidFieldException(key, properties.get(key), "a known key (see the README's configuration section)");
    }
    Values v = new Values(properties);
    SpillwayConfig d = SpillwayConfig.defaults();

    ChunkAssembler.Settings a = d.assembler();
    a = new ChunkAssembler.Settings(v.number("spillway.assembler.targetFill", a.targetFill()), v.number("spillway.assembler.minFill", a.minFill()),
        v.integer("spillway.assembler.maxPendingRawBytes", a.maxPendingRawBytes()), v.duration("spillway.assembler.linger", a.linger()));
    PublisherSettings p = d.publisher();
    p = new PublisherSettings(v.longValue("spillway.publisher.maxBufferedBytes", p.maxBufferedBytes()),
        v.integer("spillway.publisher.batchRecords", p.batchRecords()), v.integer("spillway.publisher.batchBytes", p.batchBytes()),
        v.duration("spillway.publisher.backoffBase", p.backoffBase()), v.duration("spillway.publisher.backoffMax", p.backoffMax()),
        v.choice("spillway.publisher.backpressure", PublisherSettings.Backpressure.class, p.backpressure()),
        v.duration("spillway.publisher.blockTimeout", p.blockTimeout()));
    IngestSettings i = d.ingest();
    i = new IngestSettings(v.number("spillway.ingest.writeUnitsPerSecond", i.writeUnitsPerSecond()),
        v.integer("spillway.ingest.maxPutAttempts", i.maxPutAttempts()), v.duration("spillway.ingest.backoffBase", i.backoffBase()),
        v.duration("spillway.ingest.backoffMax", i.backoffMax()), v.bool("spillway.ingest.verifyPayload", i.verifyPayload()));
    StreamLimits stream = StreamLimits.kinesis(v.integer("spillway.memory.shards", d.stream().shards()))
        .withRetention(v.duration("spillway.memory.retention", d.stream().retention()));
    TableCapacity.Settings table = properties.containsKey("spillway.memory.tableWriteUnits")
        ? TableCapacity.Settings.provisioned(v.number("spillway.memory.tableWriteUnits", 0)) : d.table();
    CodecId codec = v.choice("spillway.codec", CodecId.class, d.codec());
    SpillwayConfig config = new SpillwayConfig(codec, v.integer("spillway.codec.level", d.zstdLevel()), a, p, i, stream, table,
        v.integer("spillway.read.parallelism", d.readParallelism()), v.integer("spillway.consumer.batchRecords", d.consumerBatchRecords()),
        v.duration("spillway.seal.timeout", d.sealTimeout()), d.sequentialJobIds(), d.jitterSeed(),
        v.duration("spillway.availability.sweep", d.availabilitySweep()),
        v.duration("spillway.availability.maxRecountInterval", d.maxRecountInterval()), backlog(v, d.backlog()),
        v.bool("spillway.memory.announcements", d.memoryAnnouncements()), spill(v),
        new io.spillway.application.service.IntakeSettings(v.longValue("spillway.intake.maxAssembledBytes", d.intake().maxAssembledBytes()),
            v.duration("spillway.intake.progressInterval", d.intake().progressInterval())));

    String backend = properties.getOrDefault("spillway.backend", "memory");
    if (backend.equals("memory")) {
      Optional<String> awsKey = properties.keySet().stream().filter(k -> k.startsWith("spillway.aws.")).findFirst();
      if (awsKey.isPresent()) {
        throw new InvalidFieldException(awsKey.get(), properties.get(awsKey.get()), "only with spillway.backend=aws");
      }
      return new SpillwaySettings(config, Optional.empty());
    }
    if (!backend.equals("aws")) {
      throw new InvalidFieldException("spillway.backend", backend, "memory or aws");
    }
    AwsSettings aws = new AwsSettings(v.required("spillway.aws.stream"), v.required("spillway.aws.table"),
        v.optional("spillway.aws.region", s -> s), v.optional("spillway.aws.dynamodbEndpoint", s -> v.uri("spillway.aws.dynamodbEndpoint", s)),
        v.optional("spillway.aws.kinesisEndpoint", s -> v.uri("spillway.aws.kinesisEndpoint", s)), v.bool("spillway.aws.standIns", false),
        v.integer("spillway.aws.shards", 4), v.integer("spillway.aws.workers", 1), v.optional("spillway.aws.workerId", s -> s),
        v.optional("spillway.aws.failover", s -> new KclFailover(v.duration("spillway.aws.failover", Duration.ZERO))),
        v.choice("spillway.aws.retrieval", KclConsumer.Retrieval.class, KclConsumer.Retrieval.POLLING),
        v.optional("spillway.aws.chunkTtl", s -> v.duration("spillway.aws.chunkTtl", Duration.ZERO)),
        new Patience(v.duration("spillway.aws.patience", Patience.BRIEF.limit())), v.optional("spillway.aws.eventBus", s -> s),
        v.optional("spillway.aws.eventBridgeEndpoint", s -> v.uri("spillway.aws.eventBridgeEndpoint", s)));
    if (aws.standIns() && (aws.dynamoDbEndpoint().isEmpty() || aws.kinesisEndpoint().isEmpty())) {
      throw new InvalidFieldException("spillway.aws.standIns", "true", "with spillway.aws.dynamodbEndpoint and spillway.aws.kinesisEndpoint set");
    }
    return new SpillwaySettings(config, Optional.of(aws));
  }

  private static Optional<SpillSettings> spill(Values v) {
    String directory = v.map().get("spillway.publisher.spillDirectory");
    if (directory == null || directory.isEmpty()) {
      if (v.map().containsKey("spillway.publisher.spillMaxBytes")) {
        throw new InvalidFieldException("spillway.publisher.spillMaxBytes", v.map().get("spillway.publisher.spillMaxBytes"),
            "only with spillway.publisher.spillDirectory");
      }
      return Optional.empty();
    }
    return Optional.of(new SpillSettings(Path.of(directory), v.longValue("spillway.publisher.spillMaxBytes", SpillSettings.DEFAULT_MAX_BYTES)));
  }

  private static BacklogMonitorSettings backlog(Values v, BacklogMonitorSettings d) {
    BacklogMonitorSettings b = d.withWindow(v.duration("spillway.risk.window", d.window()))
        .withCalmDown(v.duration("spillway.risk.calmDown", d.calmDown()));
    if (v.map().containsKey("spillway.risk.watch") || v.map().containsKey("spillway.risk.critical")) {
      Duration critical = v.duration("spillway.risk.critical", Duration.ofHours(1));
      Duration watch = v.duration("spillway.risk.watch", Duration.ofHours(6));
      // the drain "needed" is the one that pushes loss past the watch horizon
      b = new BacklogMonitorSettings(b.window(), b.maxSamples(), RetentionRiskPolicies.horizons(critical, watch, 0.5), watch, b.calmDown());
    }
    return b;
  }

  /** Parses a duration as the properties take it: ISO-8601, or a whole number with ms, s, m, h or d. */
  public static Duration parseDuration(String key, String text) {
    Matcher m = SHORT_DURATION.matcher(text.trim().toLowerCase(Locale.ROOT));
    if (m.matches()) {
      long n = Long.parseLong(m.group(1));
      return switch (m.group(2)) {
        case "ms" -> Duration.ofMillis(n);
        case "s" -> Duration.ofSeconds(n);
        case "m" -> Duration.ofMinutes(n);
        case "h" -> Duration.ofHours(n);
        default -> Duration.ofDays(n);
      };
    }
    try {
      return Duration.parse(text.trim());
    } catch (DateTimeParseException e) {
      throw new InvalidFieldException(key, text, "a duration such as 30s, 5m, 24h or PT30S");
    }
  }

  /** Typed reads of the properties, each refusing a bad value with its key. */
  private record Values(Map<String, String> map) {
    String required(String key) {
      String s = map.get(key);
      if (s == null || s.isBlank()) {
        throw new InvalidFieldException(key, s, "set (required with spillway.backend=aws)");
      }
      return s;
    }

    <T> Optional<T> optional(String key, Function<String, T> parse) {
      String s = map.get(key);
      return s == null || s.isBlank() ? Optional.empty() : Optional.of(parse.apply(s));
    }

    Duration duration(String key, Duration otherwise) {
      String s = map.get(key);
      return s == null ? otherwise : parseDuration(key, s);
    }

    double number(String key, double otherwise) {
      String s = map.get(key);
      if (s == null) {
        return otherwise;
      }
      try {
        return Double.parseDouble(s);
      } catch (NumberFormatException e) {
        throw new InvalidFieldException(key, s, "a number");
      }
    }

    int integer(String key, int otherwise) {
      long n = longValue(key, otherwise);
      if (n < Integer.MIN_VALUE || n > Integer.MAX_VALUE) {
        throw new InvalidFieldException(key, n, "a whole number up to " + Integer.MAX_VALUE);
      }
      return (int) n;
    }

    long longValue(String key, long otherwise) {
      String s = map.get(key);
      if (s == null) {
        return otherwise;
      }
      try {
        return Long.parseLong(s.replace("_", ""));
      } catch (NumberFormatException e) {
        throw new InvalidFieldException(key, s, "a whole number");
      }
    }

    boolean bool(String key, boolean otherwise) {
      String s = map.get(key);
      if (s == null) {
        return otherwise;
      }
      if (!s.equalsIgnoreCase("true") && !s.equalsIgnoreCase("false")) {
        throw new InvalidFieldException(key, s, "true or false");
      }
      return Boolean.parseBoolean(s);
    }

    <E extends Enum<E>> E choice(String key, Class<E> type, E otherwise) {
      String s = map.get(key);
      if (s == null) {
        return otherwise;
      }
      for (E e : type.getEnumConstants()) {
        if (e.name().equalsIgnoreCase(s.replace('-', '_'))) {
          return e;
        }
      }
      throw new InvalidFieldException(key, s, "one of " + java.util.Arrays.toString(type.getEnumConstants()).toLowerCase(Locale.ROOT));
    }

    URI uri(String key, String s) {
      try {
        URI uri = URI.create(s);
        if (uri.getScheme() == null || uri.getHost() == null) {
          throw new IllegalArgumentException("no scheme or host");
        }
        return uri;
      } catch (IllegalArgumentException e) {
        throw new InvalidFieldException(key, s, "an endpoint such as http://127.0.0.1:4566");
      }
    }
  }
}
