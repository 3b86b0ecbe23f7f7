package io.spillway.bootstrap.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.spillway.adapters.inmemory.ManualClock;
import io.spillway.application.port.in.OpenJob;
import io.spillway.bootstrap.SpillwayConfig;
import io.spillway.bootstrap.workload.AnalyticsEvents;
import io.spillway.bootstrap.wiring.InMemorySpillway;
import io.spillway.domain.event.Event;
import io.spillway.domain.job.Job;
import io.spillway.domain.job.JobClass;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class SpillwayMetricsTest {

  @Test
  void metersReportWhatThePipelineDid() throws Exception {
    InMemorySpillway spillway = InMemorySpillway.create(SpillwayConfig.defaults().withSequentialJobIds(true), ManualClock.atEpochDay());
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    new SpillwayMetrics(spillway, java.util.Optional::empty, Tags.of("pipeline", "test")).bindTo(registry);

    Job job = spillway.intake().open(OpenJob.named("metered", JobClass.STANDARD, 2));
    List<Event> events = new AnalyticsEvents(job.id(), 3, Instant.parse("2026-01-01T00:00:00Z")).next(20_000);
    spillway.intake().appendAll(job.id(), events);
    spillway.intake().appendAll(job.id(), events.subList(0, 10));
    spillway.intake().seal(job.id());
    spillway.consumer().drain(100);

    assertThat(registry.get("spillway.intake.events.accepted").tag("pipeline", "test").functionCounter().count()).isEqualTo(20_000);
    assertThat(registry.get("spillway.intake.events.duplicates").functionCounter().count()).isEqualTo(10);
    double cut = registry.get("spillway.intake.chunks.cut").functionCounter().count();
    assertThat(cut).isPositive();
    assertThat(registry.get("spillway.publisher.chunks.published").functionCounter().count()).isEqualTo(cut);
    assertThat(registry.get("spillway.ingest.chunks.written").functionCounter().count()).isEqualTo(cut);
    assertThat(registry.get("spillway.ingest.write.units").functionCounter().count()).isEqualTo(spillway.chunks().capacity().consumed());
    assertThat(registry.get("spillway.publisher.buffered.bytes").gauge().value()).isZero();
    assertThat(registry.get("spillway.governor.write.units.per.second").gauge().value()).isEqualTo(SpillwayConfig.defaults().ingest().writeUnitsPerSecond());
    spillway.datasets().close();
  }
}
