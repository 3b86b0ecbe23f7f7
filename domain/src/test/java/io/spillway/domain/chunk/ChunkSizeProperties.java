package io.spillway.domain.chunk;

import static org.assertj.core.api.Assertions.assertThat;

import io.spillway.domain.event.Event;
import io.spillway.domain.job.JobId;
import io.spillway.domain.testing.DomainArbitraries;
import io.spillway.domain.testing.TestCodecs;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/** Whatever the events, every chunk fits one DynamoDB item, keys and attribute names included. */
class ChunkSizeProperties {

  /** The longest keys there are: a 64-character job id, 255-byte groups, four-digit buckets. */
  static Arbitrary<ChunkRoundTripProperties.Job> jobsWithLongestKeys(Arbitrary<byte[]> payloads, int maxEvents) {
    Arbitrary<List<String>> longGroups = Arbitraries.of(
        List.of(DomainArbitraries.LONGEST_GROUP_KEY),
        List.of("k".repeat(Event.MAX_GROUP_KEY_BYTES), DomainArbitraries.LONGEST_GROUP_KEY),
        List.of("🚀".repeat(63) + "abc", "g"));
    JobId longest = JobId.of(DomainArbitraries.LONGEST_JOB_ID);
    return Combinators.combine(Arbitraries.integers().between(1000, 1024), DomainArbitraries.jobEvents(longest, 1, maxEvents, payloads, longGroups))
        .as((buckets, events) -> new ChunkRoundTripProperties.Job(longest, buckets, events));
  }

  @Property(tries = 20)
  void maximumPayloadsUnderTheLongestKeysFit(@ForAll("longestKeysWithMaxPayloads") ChunkRoundTripProperties.Job job) {
    for (var codec : List.of(TestCodecs.deflate(), TestCodecs.storing())) {
      List<Chunk> chunks = ChunkRoundTripProperties.assembleAll(job, codec, ChunkAssembler.Settings.defaults());
      ChunkExpectations.assertFaithful(job.id(), job.events(), chunks, job.buckets());
    }
  }

  @Provide
  Arbitrary<ChunkRoundTripProperties.Job> longestKeysWithMaxPayloads() {
    return jobsWithLongestKeys(Arbitraries.frequencyOf(Tuple.of(1, DomainArbitraries.smallPayloads()), Tuple.of(2, DomainArbitraries.maxPayloads())), 8);
  }

  @Property(tries = 15)
  void manyMidSizeIncompressibleEventsUnderTheLongestKeysFit(@ForAll("longestKeysMidSize") ChunkRoundTripProperties.Job job) {
    List<Chunk> chunks = ChunkRoundTripProperties.assembleAll(job, TestCodecs.deflate(), ChunkAssembler.Settings.defaults());
    for (Chunk c : chunks) {
      assertThat(c.storedItemSize()).isLessThanOrEqualTo(StoredItemLayout.ITEM_LIMIT_BYTES);
      assertThat(c.id().bucket()).isBetween(0, job.buckets() - 1);
    }
    assertThat(chunks.stream().mapToInt(Chunk::eventCount).sum()).isEqualTo(job.events().size());
  }

  @Provide
  Arbitrary<ChunkRoundTripProperties.Job> longestKeysMidSize() {
    return jobsWithLongestKeys(Combinators.combine(Arbitraries.longs(), Arbitraries.integers().between(10_000, 120_000)).as(DomainArbitraries::randomBytes), 60);
  }

  /** Events with every field at its widest (any sequences, far-apart times), one max payload each. */
  @Property(tries = 15)
  void widestEventsFitOneChunkEach(@ForAll("widestEvents") List<Event> events) {
    JobId job = events.get(0).jobId();
    List<Chunk> chunks = io.spillway.domain.testing.ChunkFixtures.assemble(job, events, 1024, TestCodecs.deflate());
    ChunkExpectations.assertFaithful(job, events, chunks, 1024);
  }

  @Provide
  Arbitrary<List<Event>> widestEvents() {
    JobId job = JobId.of(DomainArbitraries.LONGEST_JOB_ID);
    Arbitrary<Event> widest = Combinators.combine(
            Arbitraries.longs().between(Long.MAX_VALUE - 1_000_000, Long.MAX_VALUE),
            Arbitraries.of("🚀".repeat(32), "é".repeat(64), "x".repeat(128)),
            Arbitraries.of(Event.MIN_TIME, Event.MAX_TIME),
            Arbitraries.of("型".repeat(21) + "t", "t".repeat(64)),
            DomainArbitraries.maxPayloads())
        .as((seq, id, time, type, payload) -> new Event(job, seq, id, time, type, DomainArbitraries.LONGEST_GROUP_KEY, 65_535, payload));
    return widest.list().ofMinSize(1).ofMaxSize(4).uniqueElements(Event::sequence);
  }

  /**
   * Two or three incompressible events of one group whose payloads add up to around the item limit:
   * the chunk either holds them all or is split, but never passes the limit by the few bytes a
   * wrong header or key estimate would add.
   */
  @Property(tries = 150)
  void chunksRightAtTheItemLimitFit(@ForAll("nearTheLimit") ChunkRoundTripProperties.Job job) {
    List<Chunk> chunks = ChunkRoundTripProperties.assembleAll(job, TestCodecs.deflate(), ChunkAssembler.Settings.defaults());
    ChunkExpectations.assertFaithful(job.id(), job.events(), chunks, job.buckets());
  }

  @Provide
  Arbitrary<ChunkRoundTripProperties.Job> nearTheLimit() {
    Arbitrary<int[]> sizes = Combinators.combine(
            Arbitraries.integers().between(StoredItemLayout.ITEM_LIMIT_BYTES - 1_500, StoredItemLayout.ITEM_LIMIT_BYTES + 100)
                .withDistribution(net.jqwik.api.RandomDistribution.uniform()),
            Arbitraries.doubles().between(0.02, 0.98), Arbitraries.of(2, 3))
        .as((total, split, parts) -> {
          int least = parts == 2 ? total - Event.MAX_PAYLOAD_BYTES : 1;
          int first = Math.max(least, Math.min(Event.MAX_PAYLOAD_BYTES, (int) (total * split)));
          int rest = total - first;
          return parts == 2 ? new int[] {first, rest} : new int[] {first, rest / 2, rest - rest / 2};
        });
    return Combinators.combine(DomainArbitraries.jobIds(), DomainArbitraries.groupKeys(), Arbitraries.integers().between(1, 1024), sizes, Arbitraries.longs())
        .as((job, group, buckets, parts, seed) -> {
          List<Event> events = new java.util.ArrayList<>();
          for (int i = 0; i < parts.length; i++) {
            events.add(new Event(job, i, "e" + i, java.time.Instant.EPOCH.plusMillis(i), "t", group, 0, DomainArbitraries.randomBytes(seed + i, parts[i])));
          }
          return new ChunkRoundTripProperties.Job(job, buckets, events);
        });
  }

  @Property(tries = 200)
  void aChunksStoredSizeIsItsRecordPlusItsKeysAndAttributeNames(
      @ForAll("chunkIds") ChunkId id, @ForAll("recordLengths") int recordLength) {
    String pk = "J#" + id.jobId().value() + "#" + id.bucket();
    String sk = "C#" + String.format("%03d", id.groupKey().getBytes(java.nio.charset.StandardCharsets.UTF_8).length) + "#" + id.groupKey() + "#"
        + String.format("%010d", id.sequence());
    int expected = "pk".length() + pk.getBytes(java.nio.charset.StandardCharsets.UTF_8).length
        + "sk".length() + sk.getBytes(java.nio.charset.StandardCharsets.UTF_8).length
        + "c".length() + recordLength
        + "ttl".length() + 21;
    assertThat(StoredItemLayout.partitionKey(id)).isEqualTo(pk);
    assertThat(StoredItemLayout.sortKey(id)).isEqualTo(sk);
    assertThat(StoredItemLayout.itemSize(id, recordLength)).isEqualTo(expected);
  }

  @Provide
  Arbitrary<ChunkId> chunkIds() {
    return Combinators.combine(
            DomainArbitraries.jobIds(), Arbitraries.integers().between(0, 1023), DomainArbitraries.groupKeys(),
            Arbitraries.longs().between(0, ChunkId.MAX_SEQUENCE))
        .as(ChunkId::new);
  }

  @Provide
  Arbitrary<Integer> recordLengths() {
    return Arbitraries.integers().between(0, StoredItemLayout.ITEM_LIMIT_BYTES);
  }
}
