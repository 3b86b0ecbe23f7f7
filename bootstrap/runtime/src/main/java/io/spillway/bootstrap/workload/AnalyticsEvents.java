package io.spillway.bootstrap.workload;

import io.spillway.domain.event.Event;
import io.spillway.domain.job.JobId;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Events shaped like an analytics job's output: a random UUID, a dense sequence, increasing times,
 * one of 20 types, one of 10 categories as the group, and a ~200-byte JSON payload naming one of
 * 10,000 entities (whose category, region and model are the entity's own) with a few numeric
 * fields of 3–6 significant digits (~300 bytes per event as JSON). Deterministic for a seed and job.
 */
public final class AnalyticsEvents {
  private static final String[] TYPES = new String[20];
  private static final String[] CATEGORIES = {"electronics", "grocery", "apparel", "travel", "media", "home", "sports", "beauty", "toys", "automotive"};
  private static final String[] REGIONS = {"eu-west", "eu-central", "us-east", "us-west", "ap-south", "ap-northeast"};
  private static final String[] MODELS = {"churn-v3", "ltv-v7", "propensity-v2", "uplift-v5"};

  static {
    String[] kinds = {"forecast", "score", "segment", "anomaly", "attribution"};
    String[] stages = {"computed", "adjusted", "rolled-up", "final"};
    for (int i = 0; i < 20; i++) {
      TYPES[i] = kinds[i % 5] + "." + stages[i / 5];
    }
  }

  private final JobId job;
  private final SplittableRandom random;
  private final Instant start;
  private long sequence;
  private long timeMillis;

  public AnalyticsEvents(JobId job, long seed, Instant start) {
    this.job = job;
    this.random = new SplittableRandom(seed ^ ((long) job.value().hashCode() << 32));
    this.start = start;
  }

  /**
   * The events of one partition of a job, as a deterministic task computes them: a pure function of
   * job, partition and seed, so a task that is run again sends the same events.
   */
  public static java.util.function.Supplier<Event> forPartition(JobId job, int partition, long seed) {
    AnalyticsEvents events = new AnalyticsEvents(job, seed * 1_000_003L + partition, Instant.parse("2026-01-01T00:00:00Z"));
    return () -> events.next().inPartition(partition);
  }

  public Event next() {
    timeMillis += 1 + random.nextInt(3);
    long hi = (random.nextLong() & ~0xF000L) | 0x4000L;
    long lo = (random.nextLong() & 0x3FFF_FFFF_FFFF_FFFFL) | 0x8000_0000_0000_0000L;
    String id = new java.util.UUID(hi, lo).toString();
    int entity = random.nextInt(10_000);
    String category = CATEGORIES[entity % CATEGORIES.length];
    String payload = "{\"entity\":\"ent-" + pad(entity) + "\",\"category\":\"" + category
        + "\",\"region\":\"" + REGIONS[entity % REGIONS.length]
        + "\",\"model\":\"" + MODELS[entity % MODELS.length]
        + "\",\"score\":0." + (10_000 + random.nextInt(90_000))
        + ",\"amount\":" + (100 + random.nextInt(9_900)) + "." + (10 + random.nextInt(90))
        + ",\"count\":" + random.nextInt(1_000)
        + ",\"confidence\":0." + (100 + random.nextInt(900))
        + ",\"window\":\"P1D\",\"currency\":\"EUR\"}";
    return new Event(job, sequence++, id, start.plusMillis(timeMillis), TYPES[random.nextInt(TYPES.length)], category, 3,
        payload.getBytes(StandardCharsets.UTF_8));
  }

  public List<Event> next(int n) {
    List<Event> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add(next());
    }
    return out;
  }

  private static String pad(int n) {
    String s = Integer.toString(n);
    return "000000".substring(s.length()) + s;
  }

  /** The event as one JSON line, envelope included: the size an item-per-event design stores and sends. */
  public static int jsonSize(Event e) {
    return 96 + e.eventId().length() + e.type().length() + e.groupKey().length() + e.jobId().value().length() + e.payload().length;
  }
}
