package io.spillway.adapters.inmemory.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.spillway.adapters.inmemory.InMemoryChunks;
import io.spillway.adapters.inmemory.InMemoryDeadLetters;
import io.spillway.adapters.inmemory.InMemoryJobs;
import io.spillway.adapters.inmemory.InMemoryStream;
import io.spillway.adapters.inmemory.ManualClock;
import io.spillway.adapters.inmemory.SequentialJobIds;
import io.spillway.adapters.inmemory.StreamLimits;
import io.spillway.adapters.inmemory.TableCapacity;
import io.spillway.application.codec.Codecs;
import io.spillway.application.port.in.DatasetReader;
import io.spillway.application.port.in.OpenJob;
import io.spillway.application.port.in.PartitionOpened;
import io.spillway.application.port.in.StreamRecord;
import io.spillway.application.service.AvailabilityCheck;
import io.spillway.application.service.ChunkPublisher;
import io.spillway.application.service.DatasetService;
import io.spillway.application.service.IngestService;
import io.spillway.application.service.IngestSettings;
import io.spillway.application.service.IntakeService;
import io.spillway.application.service.IntakeSettings;
import io.spillway.application.service.PublisherSettings;
import io.spillway.application.service.WriteRateGovernor;
import io.spillway.domain.chunk.ChunkAssembler;
import io.spillway.domain.event.Event;
import io.spillway.domain.job.JobClass;
import io.spillway.domain.job.JobId;
import io.spillway.domain.job.JobStatus;
import io.spillway.domain.testing.DomainArbitraries;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * A producer task killed at any point and started again for its partition: every event of the
 * partition ends in the dataset exactly once, the dataset verifies against its manifest, no chunk is
 * stored that the manifest does not count, and chunks stored before the restart are not published again.
 *
 * <p>A kill abandons the producer process's services as they stand: whatever its publisher still
 * buffered is lost with it, whatever it published is in the stream, and a consumer may have stored
 * any prefix of that before the restart. The job is resumable (chunks cut by size and seal only).
 */
class ProducerResumeProperties {
  private static final JobId JOB = JobId.of("job-resume");

  record Plan(int partitions, int events, long seed, List<Double> kills, double storedBeforeRestart, boolean lingerTicks) {}

  @Provide
  Arbitrary<Plan> plans() {
    return Combinators.combine(
            Arbitraries.integers().between(1, 3),
            Arbitraries.integers().between(1, 500),
            Arbitraries.longs(),
            Arbitraries.doubles().between(0, 1).list().ofMinSize(1).ofMaxSize(3),
            Arbitraries.doubles().between(0, 1),
            Arbitraries.of(true, false))
        .as(Plan::new);
  }

  /** The world the producer processes share: job records, the stream, the table, a clock. */
  private static final class World {
    final ManualClock clock = ManualClock.atEpochDay();
    final Codecs codecs = Codecs.standard();
    final InMemoryJobs jobs = new InMemoryJobs();
    final InMemoryStream stream = new InMemoryStream(StreamLimits.unbounded(2), clock);
    final InMemoryChunks chunks = new InMemoryChunks(new TableCapacity(TableCapacity.Settings.unlimited(), clock.now()), clock);
    final IngestService consumer = new IngestService(chunks, new InMemoryDeadLetters(), new AvailabilityCheck(jobs, chunks, clock),
        new WriteRateGovernor(clock, 1e12), codecs, clock, IngestSettings.defaults());
    final Map<String, Long> consumed = new HashMap<>();

    IntakeService newProducer() {
      // a small buffer, so that a kill finds chunks in it that were never published
      PublisherSettings small = PublisherSettings.defaults().withMaxBufferedBytes(4L << 20);
      ChunkPublisher publisher = new ChunkPublisher(stream, clock, small);
      ChunkAssembler.Settings assembler = new ChunkAssembler.Settings(0.96, 0.85, 2 << 20, Duration.ofSeconds(5));
      return new IntakeService(jobs, new SequentialJobIds(), clock, publisher, codecs.writer(), assembler,
          new AvailabilityCheck(jobs, chunks, clock), Duration.ofMinutes(5), IntakeSettings.defaults(), chunks);
    }

    /** Stores a share of what the stream holds that the consumer has not read yet (the whole of it for 1). */
    void consume(double share) {
      for (String shard : stream.shardIds()) {
        long from = consumed.getOrDefault(shard, 0L);
        InMemoryStream.ReadResult r = stream.read(shard, from, 100_000);
        int n = (int) Math.round(r.records().size() * share);
        List<StreamRecord> batch = r.records().subList(0, n);
        consumer.ingest(batch);
        consumed.put(shard, from + n);
      }
    }
  }

  static Event event(long seed, int partition, long sequence) {
    Random r = new Random(seed * 31 + partition * 1_000_003L + sequence);
    int size = 500 + r.nextInt(40_000);
    byte[] payload = r.nextBoolean() ? DomainArbitraries.randomBytes(r.nextLong(), size) : DomainArbitraries.jsonLike(r.nextLong(), size);
    return new Event(JOB, partition, sequence, "e" + sequence, Instant.parse("2025-01-01T00:00:00Z").plusSeconds(sequence), "t",
        "g" + r.nextInt(4), 1, payload);
  }

  @Property(tries = 40)
  void aKilledAndRestartedPartitionEndsWithEveryEventOnce(@ForAll("plans") Plan plan) {
    World w = new World();
    int victim = (int) Math.floorMod(plan.seed(), (long) plan.partitions());
    IntakeService first = w.newProducer();
    first.create(new OpenJob(Optional.of(JOB), "resumable", JobClass.STANDARD, 4).withPartitions(plan.partitions()).asResumable());
    for (int p = 0; p < plan.partitions(); p++) {
      first.openPartition(JOB, p);
    }
    for (int p = 0; p < plan.partitions(); p++) {
      if (p == victim) {
        continue;
      }
      for (long s = 0; s < plan.events(); s++) {
        first.append(JOB, event(plan.seed(), p, s));
      }
      first.sealPartition(JOB, p);
    }
    // the victim's task dies, comes back, dies again ... each time after a different share of its events
    IntakeService producer = first;
    long notRepublished = 0;
    long storedOfVictim = 0;
    for (double kill : plan.kills()) {
      long upTo = Math.round(kill * plan.events());
      for (long s = 0; s < upTo; s++) {
        producer.append(JOB, event(plan.seed(), victim, s));
        if (plan.lingerTicks() && s % 50 == 0) {
          w.clock.advance(Duration.ofSeconds(10));
          producer.flushLingering();
        }
      }
      // killed: the services are dropped as they are; a consumer stores part of what was published
      w.consume(plan.storedBeforeRestart());
      storedOfVictim = storedChunksOf(w, victim);
      producer = w.newProducer();
      PartitionOpened opened = producer.openPartition(JOB, victim);
      assertThat(opened.state()).isEqualTo(PartitionOpened.State.RESUMED);
      assertThat(opened.chunksKnownStored()).isEqualTo(storedOfVictim);
      notRepublished = storedOfVictim;
    }
    for (long s = 0; s < plan.events(); s++) {
      producer.append(JOB, event(plan.seed(), victim, s));
    }
    producer.sealPartition(JOB, victim);
    assertThat(producer.stats().chunksNotRepublished()).isEqualTo(notRepublished);
    w.consume(1.0);

    assertThat(w.jobs.find(JOB).orElseThrow().status()).isEqualTo(JobStatus.AVAILABLE);
    long manifestChunks = w.jobs.manifest(JOB).orElseThrow().chunkCount();
    long stored = 0;
    for (int b = 0; b < 4; b++) {
      stored += w.chunks.count(JOB, b);
    }
    assertThat(stored).as("chunks stored against the manifest's").isEqualTo(manifestChunks);

    try (DatasetService datasets = new DatasetService(w.jobs, w.chunks, w.codecs, 2)) {
      List<Event> back = new ArrayList<>();
      datasets.read(JOB, Optional.empty(), back::add);
      assertThat(back).hasSize(plan.partitions() * plan.events());
      back.sort(java.util.Comparator.comparingInt(Event::partition).thenComparingLong(Event::sequence));
      for (int i = 0; i < back.size(); i++) {
        Event e = back.get(i);
        assertThat(e.partition()).isEqualTo(i / plan.events());
        assertThat(e.sequence()).isEqualTo(i % plan.events());
        assertThat(e).isEqualTo(event(plan.seed(), e.partition(), e.sequence()));
      }
      try (DatasetReader reader = datasets.openPartition(JOB, victim)) {
        while (reader.hasNext()) reader.next();
        assertThat(reader.summary().verifiedAgainstManifest()).isTrue();
        assertThat(reader.summary().events()).isEqualTo(plan.events());
      }
    }
  }

  private static long storedChunksOf(World w, int partition) {
    long n = 0;
    for (int b = 0; b < 4; b++) {
      try (var ids = w.chunks.storedIds(JOB, b)) {
        n += ids.filter(id -> id.partition() == partition).count();
      }
    }
    return n;
  }
}
