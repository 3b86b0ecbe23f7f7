package io.spillway.bootstrap.wiring;

import static org.assertj.core.api.Assertions.assertThat;

import io.spillway.adapters.inmemory.ManualClock;
import io.spillway.application.port.in.OpenJob;
import io.spillway.bootstrap.SpillwayConfig;
import io.spillway.bootstrap.workload.AnalyticsEvents;
import io.spillway.domain.event.Event;
import io.spillway.domain.job.Job;
import io.spillway.domain.job.JobClass;
import io.spillway.domain.job.JobStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The README's embedding example, as written, on the default configuration (documented limits). */
class EmbeddingExampleTest {

  @Test
  void theReadmeExampleRunsAJobToAvailableAndReadsItBack() throws Exception {
    InMemorySpillway spillway = InMemorySpillway.create(SpillwayConfig.defaults().withSequentialJobIds(true), ManualClock.atEpochDay());
    Job job = spillway.intake().open(OpenJob.named("nightly scoring", JobClass.COMPLEX, 8));
    List<Event> events = new AnalyticsEvents(job.id(), 1, Instant.parse("2026-01-01T00:00:00Z")).next(30_000);

    spillway.intake().appendAll(job.id(), events);
    spillway.intake().seal(job.id());
    spillway.consumer().drain(1_000);
    List<Event> back = new ArrayList<>();
    spillway.datasets().read(job.id(), Optional.empty(), back::add);

    assertThat(spillway.jobs().find(job.id()).orElseThrow().status()).isEqualTo(JobStatus.AVAILABLE);
    assertThat(back).hasSameSizeAs(events).containsExactlyInAnyOrderElementsOf(events);
    spillway.datasets().close();
  }

  @Test
  void twoComponentsShareNothing() {
    InMemorySpillway a = InMemorySpillway.create(SpillwayConfig.defaults(), ManualClock.atEpochDay());
    InMemorySpillway b = InMemorySpillway.create(SpillwayConfig.defaults(), ManualClock.atEpochDay());
    a.intake().open(OpenJob.named("only in a", JobClass.STANDARD, 1));

    java.time.Instant from = a.clock().now().minus(java.time.Duration.ofHours(1));
    java.time.Instant to = from.plus(java.time.Duration.ofDays(1));
    assertThat(a.jobs().opened(from, to)).hasSize(1);
    assertThat(b.jobs().opened(from, to)).isEmpty();
    assertThat(a.intake()).isSameAs(a.intake());
  }
}
