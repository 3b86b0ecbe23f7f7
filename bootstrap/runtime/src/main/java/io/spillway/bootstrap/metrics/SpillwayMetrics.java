package io.spillway.bootstrap.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.spillway.bootstrap.SpillwayConsumer;
import io.spillway.bootstrap.wiring.SpillwayServices;
import io.spillway.domain.risk.DrainLimits;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

/**
 * Publishes a Spillway's counters to Micrometer, on every environment: what the producer accepted
 * and published, what the consumers processed, stored, deduplicated, dead-lettered and were
 * throttled on, the write budget the governor allows and the write units actually spent, each
 * shard's iterator age, and the retention-risk forecast. Meters read the services' own counters
 * when scraped; nothing is counted twice. Per-shard meters follow the shards this process holds
 * as of the last {@link #refresh()} (the metrics endpoint refreshes before each scrape).
 */
public final class SpillwayMetrics implements MeterBinder {
  private final SpillwayServices services;
  private final Supplier<Optional<SpillwayConsumer>> consumer;
  private final Tags tags;
  private final WindowedRate writeUnits;
  private MultiGauge iteratorAges;
  private MultiGauge bottleneck;

  public SpillwayMetrics(SpillwayServices services, Supplier<Optional<SpillwayConsumer>> consumer, Tags tags) {
    this.services = services;
    this.consumer = consumer;
    this.tags = tags;
    this.writeUnits = new WindowedRate(services.clock(), Duration.ofSeconds(60));
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    var intake = services.intake();
    var publisher = services.publisher();
    var ingest = services.ingest();
    counter(registry, "spillway.intake.events.accepted", "events accepted by the producer", () -> intake.stats().eventsAccepted());
    counter(registry, "spillway.intake.events.duplicates", "re-sent events ignored by sequence", () -> intake.stats().duplicatesIgnored());
    counter(registry, "spillway.intake.chunks.cut", "chunks cut by the assemblers", () -> intake.stats().chunksCut());
    gauge(registry, "spillway.intake.chunks.fill.ratio", "mean stored item size over the 409,600-byte limit", () -> intake.stats().fillRatio());
    counter(registry, "spillway.publisher.chunks.published", "chunks the stream accepted", () -> publisher.stats().chunksPublished());
    counter(registry, "spillway.publisher.chunks.throttled", "chunk publications the stream refused (retried)", () -> publisher.stats().chunksThrottled());
    gauge(registry, "spillway.publisher.buffered.bytes", "chunk bytes waiting for the stream", () -> publisher.stats().bufferedBytes());
    gauge(registry, "spillway.publisher.spill.bytes", "chunk bytes waiting for the stream in the spill", () -> publisher.spillStats().spillBytes());
    counter(registry, "spillway.publisher.chunks.spilled", "chunks written to the spill", () -> publisher.spillStats().chunksSpilled());
    counter(registry, "spillway.publisher.spill.corrupt", "spilled chunks found corrupt (set aside, never published)",
        () -> publisher.spillStats().corruptChunks());
    counter(registry, "spillway.consumer.records.processed", "stream records this process made durable", () -> consumerStat(c -> c.shards().recordsProcessed()));
    counter(registry, "spillway.consumer.bytes.processed", "bytes of stream records this process made durable", () -> consumerStat(c -> c.shards().bytesProcessed()));
    counter(registry, "spillway.ingest.chunks.written", "chunks stored", () -> ingest.stats().chunksWritten());
    counter(registry, "spillway.ingest.chunks.duplicates", "redelivered chunks found already stored (success)", () -> ingest.stats().duplicates());
    counter(registry, "spillway.ingest.records.deadlettered", "poison records sent to the dead-letter store", () -> ingest.stats().deadLettered());
    counter(registry, "spillway.ingest.puts.throttled", "puts the table refused (retried)", () -> ingest.stats().throttledAttempts());
    counter(registry, "spillway.ingest.write.units", "write units charged to the consumers' puts", () -> ingest.stats().writeUnits());
    gauge(registry, "spillway.ingest.write.units.per.second", "write units spent per second over the last minute",
        () -> writeUnits.rate(ingest.stats().writeUnits()));
    gauge(registry, "spillway.governor.write.units.per.second", "the write rate the governor currently allows", () -> services.governor().currentRate());
    gauge(registry, "spillway.consumer.leases", "shards this process holds", () -> consumerStat(c -> c.health().leasesHeld()));
    gauge(registry, "spillway.consumer.workers", "consumer workers running in this process", () -> consumerStat(c -> c.health().workersRunning()));
    gauge(registry, "spillway.iterator.age.max.seconds", "age of the oldest record not yet durable, largest over this process's shards",
        () -> consumerStat(c -> seconds(c.shards().maxIteratorAge())));
    gauge(registry, "spillway.retention.risk.level", "retention risk: 0 OK, 1 WATCH, 2 CRITICAL, 3 LOSS (held with hysteresis)",
        () -> consumerStat(c -> c.backlog().levelValue()));
    gauge(registry, "spillway.retention.seconds.to.loss", "projected seconds until records expire unread (+Inf: no loss projected)",
        () -> consumer.get().map(c -> c.backlog().secondsToLoss()).orElse(Double.POSITIVE_INFINITY));
    gauge(registry, "spillway.retention.oldest.age.seconds", "the backlog's oldest age the forecast starts from", () -> consumerStat(c -> c.backlog().oldestAgeSeconds()));
    gauge(registry, "spillway.retention.age.growth", "seconds of backlog age added per second (negative: the backlog shrinks)",
        () -> consumerStat(c -> c.backlog().ageGrowthPerSecond()));
    gauge(registry, "spillway.retention.arrival.records.per.second", "records arriving per second, as derived from the drain and the age trend",
        () -> consumerStat(c -> c.backlog().arrivalRate()));
    gauge(registry, "spillway.retention.drain.records.per.second", "records this process makes durable per second over the window",
        () -> consumerStat(c -> c.backlog().drainRate()));
    gauge(registry, "spillway.retention.required.drain.records.per.second", "the drain that would push loss past the watch horizon",
        () -> consumerStat(c -> c.backlog().requiredDrainRate()));
    bottleneck = MultiGauge.builder("spillway.retention.bottleneck")
        .description("1 for the limit that holds the drain back (write capacity, consumers or shard reads), 0 for the others")
        .tags(tags).register(registry);
    iteratorAges = MultiGauge.builder("spillway.iterator.age.seconds")
        .description("age of the oldest record of the shard not yet durable (KCL's millisBehindLatest, from the records' arrival)")
        .tags(tags).register(registry);
    refresh();
  }

  /** Brings the per-shard meters up to the shards held now. */
  public void refresh() {
    MultiGauge gauge = iteratorAges;
    if (gauge == null) {
      return;
    }
    Map<String, Duration> ages = consumer.get().map(c -> c.shards().iteratorAges()).orElse(Map.of());
    List<MultiGauge.Row<?>> rows = new ArrayList<>();
    ages.forEach((shard, age) -> rows.add(MultiGauge.Row.of(Tags.of("shard", shard), seconds(age))));
    gauge.register(rows, true);
    Optional<DrainLimits.Bottleneck> binding = consumer.get().flatMap(c -> c.backlog().bottleneck());
    List<MultiGauge.Row<?>> limits = new ArrayList<>();
    for (DrainLimits.Bottleneck b : DrainLimits.Bottleneck.values()) {
      limits.add(MultiGauge.Row.of(Tags.of("limit", b.name().toLowerCase(java.util.Locale.ROOT)), binding.filter(b::equals).isPresent() ? 1 : 0));
    }
    bottleneck.register(limits, true);
  }

  private double consumerStat(ToDoubleFunction<SpillwayConsumer> f) {
    return consumer.get().map(f::applyAsDouble).orElse(0.0);
  }

  private static double seconds(Duration d) {
    return d.toMillis() / 1000.0;
  }

  private void counter(MeterRegistry registry, String name, String description, Supplier<Number> f) {
    // Micrometer holds a meter's state object weakly: the services live as long as the Spillway does
    FunctionCounter.builder(name, services, s -> f.get().doubleValue()).description(description).tags(tags).register(registry);
  }

  private void gauge(MeterRegistry registry, String name, String description, Supplier<Number> f) {
    Gauge.builder(name, f, s -> s.get().doubleValue()).strongReference(true).description(description).tags(tags).register(registry);
  }
}
