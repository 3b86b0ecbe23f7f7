package io.spillway.domain.chunk;

import static org.assertj.core.api.Assertions.assertThat;

import io.spillway.domain.event.Event;
import io.spillway.domain.job.Job;
import io.spillway.domain.job.JobId;
import io.spillway.domain.testing.DomainArbitraries;
import io.spillway.domain.testing.TestCodecs;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/** Chunks of a job's partitions: their identity, their keys, and the determinism a resumed partition needs. */
class PartitionedChunkProperties {

  @Provide
  Arbitrary<ChunkId> chunkIds() {
    return Combinators.combine(DomainArbitraries.jobIds(), Arbitraries.integers().between(0, Job.MAX_PARTITIONS - 1),
        Arbitraries.integers().between(0, Job.MAX_BUCKETS - 1), DomainArbitraries.groupKeys(), Arbitraries.longs().between(0, ChunkId.MAX_SEQUENCE))
        .as(ChunkId::new);
  }

  @Property(tries = 500)
  void aSortKeyNamesExactlyTheChunkItWasMadeFrom(@ForAll("chunkIds") ChunkId id) {
    String key = StoredItemLayout.sortKey(id);
    assertThat(StoredItemLayout.chunkId(id.jobId(), id.bucket(), key)).isEqualTo(id);
    assertThat(key).startsWith(StoredItemLayout.groupPrefix(id.groupKey()));
  }

  @Property(tries = 300)
  void chunksOfDifferentPartitionsNeverShareAKey(@ForAll("chunkIds") ChunkId a, @ForAll @IntRange(min = 0, max = Job.MAX_PARTITIONS - 1) int other) {
    ChunkId b = new ChunkId(a.jobId(), other, a.bucket(), a.groupKey(), a.sequence());
    assertThat(StoredItemLayout.sortKey(a).equals(StoredItemLayout.sortKey(b))).isEqualTo(a.partition() == other);
  }

  @Property(tries = 100)
  void aPartitionsChunkRoundTripsWithItsEventsInThatPartition(@ForAll("partitionEvents") List<Event> events) {
    int partition = events.get(0).partition();
    ChunkAssembler assembler = new ChunkAssembler(events.get(0).jobId(), partition, 4, TestCodecs.deflate(), ChunkAssembler.Settings.defaults());
    List<Chunk> chunks = new ArrayList<>();
    for (Event e : events) {
      chunks.addAll(assembler.add(e, Instant.EPOCH));
    }
    chunks.addAll(assembler.flushAll());
    List<Event> back = new ArrayList<>();
    for (Chunk c : chunks) {
      Chunk parsed = ChunkFormat.parse(c.record());
      assertThat(parsed.id()).isEqualTo(c.id());
      assertThat(parsed.id().partition()).isEqualTo(partition);
      assertThat(parsed.header().formatVersion()).isEqualTo(partition == 0 ? 1 : 2);
      back.addAll(ChunkFormat.events(parsed, TestCodecs.registry()));
    }
    back.sort(java.util.Comparator.comparingLong(Event::sequence));
    assertThat(back).isEqualTo(events);
  }

  /**
   * What a resumed partition relies on: the same events in the same order cut the same chunks, byte
   * for byte, whatever the clock said while they were added (no linger cut is asked for).
   */
  @Property(tries = 60)
  void theSameEventsCutTheSameChunksWhateverTheClock(@ForAll("partitionEvents") List<Event> events, @ForAll long clockSeed,
      @ForAll @IntRange(min = 1, max = 4) int oneChunkAtATimeFromEnd) {
    List<byte[]> first = cutAll(events, new Random(clockSeed), oneChunkAtATimeFromEnd);
    List<byte[]> second = cutAll(events, new Random(~clockSeed), oneChunkAtATimeFromEnd);
    net.jqwik.api.statistics.Statistics.label("chunks").collect(first.size() > 5 ? "more than 5" : "5 or fewer");
    assertThat(second).hasSameSizeAs(first);
    for (int i = 0; i < first.size(); i++) {
      assertThat(second.get(i)).as("chunk %d", i).isEqualTo(first.get(i));
    }
  }

  private static List<byte[]> cutAll(List<Event> events, Random clock, int cutOneRounds) {
    ChunkAssembler.Settings small = new ChunkAssembler.Settings(0.96, 0.85, 1024 * 1024, Duration.ofSeconds(30));
    ChunkAssembler assembler = new ChunkAssembler(events.get(0).jobId(), events.get(0).partition(), 3, TestCodecs.deflate(), small);
    List<byte[]> records = new ArrayList<>();
    Instant now = Instant.EPOCH;
    for (Event e : events) {
      // a clock that jumps about, backwards too: it decides nothing
      now = now.plusMillis(clock.nextInt(200_000) - 50_000);
      for (Chunk c : assembler.add(e, now)) {
        records.add(c.record());
      }
    }
    for (int i = 0; i < cutOneRounds; i++) {
      assembler.cutOne().forEach(c -> records.add(c.record()));
    }
    assembler.flushAll().forEach(c -> records.add(c.record()));
    return records;
  }

  /** Payloads of 5-30 KB, a quarter compressible: a few hundred of them fill several chunks and the 1 MiB pending bound. */
  private static Arbitrary<byte[]> largePayloads() {
    return Combinators.combine(Arbitraries.longs(), Arbitraries.integers().between(5_000, 30_000), Arbitraries.of(true, false, false, false))
        .as((seed, size, json) -> json ? DomainArbitraries.jsonLike(seed, size) : DomainArbitraries.randomBytes(seed, size));
  }

  @Provide
  Arbitrary<List<Event>> partitionEvents() {
    return Combinators.combine(DomainArbitraries.jobIds(), Arbitraries.integers().between(0, 40))
        .flatAs((job, partition) -> DomainArbitraries.jobEvents(job, 200, 400, largePayloads(), 5)
            .map(es -> es.stream().map(e -> e.inPartition(partition)).toList()));
  }
}
