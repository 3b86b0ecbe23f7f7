package io.spillway.bootstrap.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.spillway.bootstrap.wiring.InMemorySpillway;
import java.util.function.ToDoubleFunction;

/**
 * Publishes a Spillway's counters to Micrometer: what the producer accepted and published, what
 * the consumers stored, deduplicated, dead-lettered and were refused, the write budget the
 * governor runs at, and the consumer's iterator age — the input of the retention-risk forecast.
 * Meters read the services' own counters when scraped; nothing is counted twice.
 */
public final class SpillwayMetrics implements MeterBinder {
  private final InMemorySpillway spillway;
  private final Tags tags;

  public SpillwayMetrics(InMemorySpillway spillway, Tags tags) {
    this.spillway = spillway;
    this.tags = tags;
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    var intake = spillway.intake();
    var publisher = spillway.publisher();
    var ingest = spillway.ingest();
    counter(registry, "spillway.intake.events.accepted", "events accepted by the producer", s -> intake.stats().eventsAccepted());
    counter(registry, "spillway.intake.events.duplicates", "re-sent events ignored by sequence", s -> intake.stats().duplicatesIgnored());
    counter(registry, "spillway.intake.chunks.cut", "chunks cut by the assemblers", s -> intake.stats().chunksCut());
    gauge(registry, "spillway.intake.chunks.fill.ratio", "mean stored item size over the 409,600-byte limit", s -> intake.stats().fillRatio());
    counter(registry, "spillway.publisher.chunks.published", "chunks the stream accepted", s -> publisher.stats().chunksPublished());
    counter(registry, "spillway.publisher.chunks.throttled", "chunk publications the stream refused (retried)", s -> publisher.stats().chunksThrottled());
    gauge(registry, "spillway.publisher.buffered.bytes", "chunk bytes waiting for the stream", s -> publisher.bufferedBytes());
    counter(registry, "spillway.ingest.chunks.written", "chunks stored", s -> ingest.stats().chunksWritten());
    counter(registry, "spillway.ingest.chunks.duplicates", "redelivered chunks found already stored (success)", s -> ingest.stats().duplicates());
    counter(registry, "spillway.ingest.records.deadlettered", "poison records sent to the dead-letter store", s -> ingest.stats().deadLettered());
    counter(registry, "spillway.ingest.puts.throttled", "puts the table refused (retried)", s -> ingest.stats().throttledAttempts());
    counter(registry, "spillway.ingest.write.units", "write units charged to the consumers' puts", s -> ingest.stats().writeUnits());
    gauge(registry, "spillway.governor.write.units.per.second", "the write rate the governor currently allows", s -> spillway.governor().currentRate());
    gauge(registry, "spillway.consumer.iterator.age.seconds", "age of the oldest record not yet read, largest over the shards",
        s -> spillway.consumer().maxIteratorAge().toMillis() / 1000.0);
  }

  private void counter(MeterRegistry registry, String name, String description, ToDoubleFunction<InMemorySpillway> f) {
    FunctionCounter.builder(name, spillway, f).description(description).tags(tags).register(registry);
  }

  private void gauge(MeterRegistry registry, String name, String description, ToDoubleFunction<InMemorySpillway> f) {
    Gauge.builder(name, spillway, f).description(description).tags(tags).register(registry);
  }
}
