package io.spillway.domain.chunk;

import static org.assertj.core.api.Assertions.assertThat;

import io.spillway.domain.event.Event;
import io.spillway.domain.job.JobId;
import io.spillway.domain.testing.DomainArbitraries;
import io.spillway.domain.testing.TestCodecs;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.statistics.StatisticsReport;
import net.jqwik.api.statistics.StatisticsReport.StatisticsReportMode;

/** Events → assembler → records → parse → events gives back exactly what went in, in each group's order. */
class ChunkRoundTripProperties {
  static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");

  record Job(JobId id, int buckets, List<Event> events) {}

  static Arbitrary<Integer> buckets() {
    return Arbitraries.frequencyOf(
        Tuple.of(1, Arbitraries.just(1)), Tuple.of(3, Arbitraries.integers().between(1, 16)), Tuple.of(1, Arbitraries.integers().between(1, 1024)));
  }

  static Arbitrary<Job> jobs(java.util.function.Function<JobId, Arbitrary<List<Event>>> events) {
    return DomainArbitraries.jobIds().flatMap(id -> Combinators.combine(buckets(), events.apply(id)).as((b, es) -> new Job(id, b, es)));
  }

  static List<Chunk> assembleAll(Job job, Codec codec, ChunkAssembler.Settings settings) {
    ChunkAssembler assembler = new ChunkAssembler(job.id(), job.buckets(), codec, settings);
    List<Chunk> chunks = new ArrayList<>();
    Instant now = T0;
    for (Event e : job.events()) {
      chunks.addAll(assembler.add(e, now));
      now = now.plusMillis(1);
    }
    chunks.addAll(assembler.flushAll());
    assertThat(assembler.pendingEvents()).isZero();
    assertThat(assembler.pendingRawBytes()).isZero();
    assertThat(assembler.nextLingerDeadline()).isNull();
    assertThat(assembler.eventsCut()).isEqualTo(job.events().size());
    assertThat(assembler.chunksCut()).isEqualTo(chunks.size());
    return chunks;
  }

  @Property(tries = 100)
  void aJobsEventsComeBackFromItsChunks(@ForAll("jobsWithMostlySmallEvents") Job job) {
    List<Chunk> chunks = assembleAll(job, TestCodecs.deflate(), ChunkAssembler.Settings.defaults());
    ChunkExpectations.assertFaithful(job.id(), job.events(), chunks, job.buckets());
  }

  @Provide
  Arbitrary<Job> jobsWithMostlySmallEvents() {
    return jobs(DomainArbitraries::jobEvents);
  }

  @Property(tries = 25)
  @StatisticsReport(StatisticsReportMode.OFF)
  void maximumSizePayloadsComeBackToo(@ForAll("jobsWithMaxPayloads") Job job) {
    List<Chunk> chunks = assembleAll(job, TestCodecs.deflate(), ChunkAssembler.Settings.defaults());
    ChunkExpectations.assertFaithful(job.id(), job.events(), chunks, job.buckets());
    Statistics.label("stored uncompressed").collect(chunks.stream().anyMatch(c -> c.header().codec() == CodecId.NONE));
    Statistics.label("a group over several chunks").collect(chunks.stream().anyMatch(c -> c.id().sequence() > 0));
    Statistics.label("stored uncompressed").coverage(c -> c.check(true).count(n -> n > 0));
    Statistics.label("a group over several chunks").coverage(c -> c.check(true).count(n -> n > 0));
  }

  @Provide
  Arbitrary<Job> jobsWithMaxPayloads() {
    return jobs(DomainArbitraries::jobEventsWithMaxPayloads);
  }

  @Property(tries = 50)
  void incompressibleChunksAreStoredAndComeBack(@ForAll("jobsWithMostlySmallEvents") Job job) {
    List<Chunk> chunks = assembleAll(job, TestCodecs.storing(), ChunkAssembler.Settings.defaults());
    assertThat(chunks).allSatisfy(c -> assertThat(c.header().codec()).isEqualTo(CodecId.NONE));
    ChunkExpectations.assertFaithful(job.id(), job.events(), chunks, job.buckets());
  }

  @Property(tries = 40)
  void assemblingIsDeterministic(@ForAll("jobsWithMostlySmallEvents") Job job) {
    List<Chunk> first = assembleAll(job, TestCodecs.deflate(), ChunkAssembler.Settings.defaults());
    List<Chunk> second = assembleAll(job, TestCodecs.deflate(), ChunkAssembler.Settings.defaults());
    assertThat(second).isEqualTo(first);
  }

  /** One step of a producer's life: an event arrives after some time, and sometimes the linger timer fires. */
  record Step(int advanceMillis, boolean flushLingering) {}

  record Scenario(Job job, ChunkAssembler.Settings settings, List<Step> steps) {}

  @Property(tries = 60)
  @StatisticsReport(StatisticsReportMode.OFF)
  void anyInterleavingOfLingerFlushesAndMemoryPressureKeepsEveryEvent(@ForAll("scenarios") Scenario s) {
    ChunkAssembler assembler = new ChunkAssembler(s.job().id(), s.job().buckets(), TestCodecs.deflate(), s.settings());
    List<Chunk> chunks = new ArrayList<>();
    Instant now = T0;
    List<Event> events = s.job().events();
    for (int i = 0; i < events.size(); i++) {
      Step step = s.steps().get(i % s.steps().size());
      now = now.plusMillis(step.advanceMillis());
      chunks.addAll(assembler.add(events.get(i), now));
      assertThat(assembler.pendingRawBytes()).as("the open chunks stay bounded")
          .isLessThanOrEqualTo(s.settings().maxPendingRawBytes() + Event.MAX_PAYLOAD_BYTES + 1024L);
      if (step.flushLingering()) {
        Instant deadline = assembler.nextLingerDeadline();
        List<Chunk> flushed = assembler.flushLingering(now);
        chunks.addAll(flushed);
        if (deadline != null && now.isBefore(deadline)) {
          assertThat(flushed).as("nothing lingers before the earliest deadline").isEmpty();
        }
        if (deadline != null && !now.isBefore(deadline)) {
          assertThat(flushed).as("the oldest open chunk is cut at its deadline").isNotEmpty();
        }
        Instant next = assembler.nextLingerDeadline();
        assertThat(next == null || next.isAfter(now)).as("after a flush no deadline has passed").isTrue();
      }
    }
    int cutBeforeSeal = chunks.size();
    chunks.addAll(assembler.flushAll());
    ChunkExpectations.assertFaithful(s.job().id(), events, chunks, s.job().buckets());
    Statistics.label("cut before seal").collect(cutBeforeSeal > 0);
    Statistics.label("a group over several chunks").collect(chunks.stream().anyMatch(c -> c.id().sequence() > 0));
    Statistics.label("cut before seal").coverage(c -> c.check(true).count(n -> n > 0));
    Statistics.label("a group over several chunks").coverage(c -> c.check(true).count(n -> n > 0));
  }

  @Provide
  Arbitrary<Scenario> scenarios() {
    Arbitrary<ChunkAssembler.Settings> settings = Combinators.combine(
            Arbitraries.doubles().between(0.5, 1.0),
            Arbitraries.doubles().between(0.1, 1.0),
            Arbitraries.of(1 << 20, 4 << 20, 256 << 20),
            Arbitraries.integers().between(1, 60_000))
        .as((target, minFraction, maxPending, lingerMillis) ->
            new ChunkAssembler.Settings(target, target * minFraction, maxPending, Duration.ofMillis(lingerMillis)));
    Arbitrary<byte[]> payloads = Arbitraries.frequencyOf(
        Tuple.of(30, DomainArbitraries.smallPayloads()),
        Tuple.of(20, Combinators.combine(Arbitraries.longs(), Arbitraries.integers().between(1000, 20_000)).as(DomainArbitraries::randomBytes)),
        Tuple.of(1, DomainArbitraries.maxPayloads()));
    Arbitrary<Job> jobs = jobs(id -> DomainArbitraries.jobEvents(id, 20, 600, payloads, 8));
    Arbitrary<List<Step>> steps = Combinators.combine(Arbitraries.integers().between(0, 20_000), Arbitraries.of(true, false, false, false))
        .as(Step::new).list().ofMinSize(1).ofMaxSize(50);
    return Combinators.combine(jobs, settings, steps).as(Scenario::new);
  }
}
