package io.spillway.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import io.spillway.application.port.in.DatasetReader;
import io.spillway.application.port.in.ReadPosition;
import io.spillway.bootstrap.workload.AnalyticsEvents;
import io.spillway.domain.chunk.ChunkAssembler;
import io.spillway.domain.event.Event;
import io.spillway.domain.job.Job;
import io.spillway.domain.job.JobClass;
import io.spillway.domain.job.JobStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The roles on the in-memory environment, on the wall clock. */
class SpillwayInMemoryTest {

  @Test
  void chunksLeaveOnTheirLingerDeadlineWithoutTheEmbedderFlushing() throws Exception {
    ChunkAssembler.Settings quick = new ChunkAssembler.Settings(0.96, 0.85, 256 * 1024 * 1024, Duration.ofMillis(200));
    try (Spillway spillway = Spillway.inMemory(SpillwayConfig.defaults().withAssembler(quick))) {
      SpillwayProducer producer = spillway.producer();
      Job job = producer.open("trickle", JobClass.STANDARD, 2);
      // far too few events to fill a chunk or a batch: only the linger deadline lets them leave
      producer.appendAll(job.id(), new AnalyticsEvents(job.id(), 1, Instant.parse("2026-11-28T00:00:00Z")).next(20));

      StandIns.await(Duration.ofSeconds(10), () -> producer.publisherStats().eventsPublished() == 20);
      assertThat(producer.stats().chunksCut()).isPositive();
      assertThat(spillway.services().jobs().find(job.id()).orElseThrow().status()).isEqualTo(JobStatus.PRODUCING);
    }
  }

  @Test
  void aReaderWaitsUntilTheConsumerHasStoredTheLastChunk() throws Exception {
    try (Spillway spillway = Spillway.inMemory(SpillwayConfig.defaults())) {
      SpillwayProducer producer = spillway.producer();
      SpillwayReader reader = spillway.reader();
      Job job = producer.open("waited on", JobClass.STANDARD, 4);
      List<Event> events = new AnalyticsEvents(job.id(), 2, Instant.parse("2026-11-28T00:00:00Z")).next(5_000);
      producer.appendAll(job.id(), events);
      producer.seal(job.id());

      // nothing consumes yet: the wait times out and says where the job stands
      assertThat(reader.await(job.id(), Duration.ofMillis(300))).isEqualTo(JobStatus.SEALED);

      SpillwayConsumer consumer = spillway.consumer().start();
      assertThat(reader.await(job.id(), Duration.ofSeconds(30))).isEqualTo(JobStatus.AVAILABLE);
      List<Event> back = new ArrayList<>();
      reader.read(job.id(), back::add);
      assertThat(back).containsExactlyInAnyOrderElementsOf(events);
      assertThat(consumer.health().live()).isTrue();
      assertThat(consumer.health().leasesHeld()).isEqualTo(SpillwayConfig.defaults().stream().shards());
      assertThat(consumer.stats().ingest().chunksWritten()).isEqualTo(spillway.services().jobs().manifest(job.id()).orElseThrow().chunkCount());
    }
  }

  @Test
  void aReaderPullsAJobAtItsOwnPaceAndResumesWhereItStopped() throws Exception {
    try (Spillway spillway = Spillway.inMemory(SpillwayConfig.defaults())) {
      SpillwayProducer producer = spillway.producer();
      SpillwayReader reader = spillway.reader();
      Job job = producer.open("pulled", JobClass.STANDARD, 4);
      List<Event> events = new AnalyticsEvents(job.id(), 3, Instant.parse("2026-11-28T00:00:00Z")).next(20_000);
      producer.appendAll(job.id(), events);
      producer.seal(job.id());
      spillway.consumer().start();
      assertThat(reader.await(job.id(), Duration.ofSeconds(30))).isEqualTo(JobStatus.AVAILABLE);

      List<Event> back = new ArrayList<>();
      ReadPosition stoppedAt;
      try (DatasetReader first = reader.open(job.id())) {
        for (int i = 0; i < 7_777; i++) {
          back.add(first.next());
        }
        stoppedAt = first.position();
      }
      try (DatasetReader rest = reader.resume(stoppedAt)) {
        rest.forEachRemaining(back::add);
        assertThat(rest.summary().verifiedAgainstManifest()).isTrue();
      }
      assertThat(back).containsExactlyInAnyOrderElementsOf(events);
    }
  }

  @Test
  void aConsumerNotStartedIsNeitherLiveNorReady() {
    try (Spillway spillway = Spillway.inMemory(SpillwayConfig.defaults())) {
      SpillwayConsumer.Health health = spillway.consumer().health();
      assertThat(health.live()).isFalse();
      assertThat(health.ready()).isFalse();
      assertThat(health.detail()).isEqualTo("not started");
    }
  }
}
