package io.spillway.domain.chunk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.spillway.domain.InvalidFieldException;
import io.spillway.domain.event.Event;
import io.spillway.domain.job.JobId;
import io.spillway.domain.testing.DomainArbitraries;
import io.spillway.domain.testing.TestCodecs;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How the assembler cuts chunks: near full on size, on the linger deadline, everything on seal; only its own job. */
class ChunkAssemblerTest {
  static final JobId JOB = JobId.of("job-assembler");
  static final Instant T0 = Instant.parse("2025-01-01T00:00:00Z");
  static final Duration LINGER = Duration.ofSeconds(30);

  static ChunkAssembler assembler() {
    return new ChunkAssembler(JOB, 8, TestCodecs.deflate(), new ChunkAssembler.Settings(0.96, 0.85, 256 << 20, LINGER));
  }

  static Event event(long seq, String group, byte[] payload) {
    return new Event(JOB, seq, java.util.UUID.nameUUIDFromBytes(Long.toString(seq).getBytes()).toString(),
        T0.plusMillis(seq), seq % 3 == 0 ? "click" : "view", group, 1, payload);
  }

  static Event json(long seq, String group) {
    return event(seq, group, DomainArbitraries.jsonLike(seq, 300));
  }

  /** A ~300-byte JSON event with a short text id, whose raw-size estimate is close to its real size. */
  static Event jsonWithTextId(long seq, String group) {
    return new Event(JOB, seq, "e" + seq, T0.plusMillis(seq), seq % 3 == 0 ? "click" : "view", group, 1, DomainArbitraries.jsonLike(seq, 300));
  }

  @Test
  void cutsChunksNearlyFullForTypicalJsonEvents() {
    ChunkAssembler assembler = assembler();
    List<Chunk> cut = new ArrayList<>();
    List<Event> events = new ArrayList<>();
    int n = 0;
    while (cut.size() < 6 && assembler.compressions() < 60) {
      Event e = jsonWithTextId(n++, "orders");
      events.add(e);
      cut.addAll(assembler.add(e, T0));
    }

    assertThat(cut).as("six chunks cut on size").hasSize(6);
    assertThat(assembler.fillRatio()).as("mean fill of the size-cut chunks").isGreaterThanOrEqualTo(0.85);
    double mean = cut.stream().mapToInt(Chunk::storedItemSize).average().orElseThrow() / StoredItemLayout.ITEM_LIMIT_BYTES;
    assertThat(assembler.fillRatio()).isCloseTo(mean, org.assertj.core.data.Offset.offset(1e-9));
    assertThat(cut).allSatisfy(c -> {
      assertThat(c.storedItemSize()).isLessThanOrEqualTo(StoredItemLayout.ITEM_LIMIT_BYTES);
      assertThat(c.header().codec()).isEqualTo(CodecId.GZIP);
    });
    // learning the ratio takes a few trial compressions, not one per event
    assertThat(assembler.compressions()).isLessThan(4L * cut.size());

    cut.addAll(assembler.flushAll());
    ChunkExpectations.assertFaithful(JOB, events, cut, 8);
  }

  /**
   * The same JSON events with canonical UUID ids, the usual case, where the per-event raw estimate
   * (payload + 3 per id char + 32 = 440 B) is a third above the real raw size (~325 B, the UUID packed
   * into 16 bytes). Sizing against the real size while triggering on the estimate once started trials
   * at ~70 % fill and then re-compressed on every add (4,520 trial compressions and 198 s for six
   * chunks); this keeps that from coming back.
   */
  @Test
  void cutsChunksWithAFewTrialCompressionsWhenEventIdsAreUuids() {
    ChunkAssembler assembler = assembler();
    List<Chunk> cut = new ArrayList<>();
    int n = 0;
    while (cut.size() < 3 && assembler.compressions() < 40) {
      cut.addAll(assembler.add(json(n++, "orders"), T0));
    }
    assertThat(cut).as("three chunks cut within 40 trial compressions").hasSize(3);
    assertThat(assembler.fillRatio()).isGreaterThanOrEqualTo(0.85);
  }

  @Test
  void aSealedJobCutsEverythingOpenEvenWhenSmall() {
    ChunkAssembler assembler = assembler();
    assertThat(assembler.add(json(0, "a"), T0)).isEmpty();
    assertThat(assembler.add(json(1, "b"), T0)).isEmpty();
    assertThat(assembler.add(json(2, "a"), T0)).isEmpty();
    assertThat(assembler.pendingEvents()).isEqualTo(3);

    List<Chunk> chunks = assembler.flushAll();

    assertThat(chunks).extracting(c -> c.id().groupKey()).containsExactlyInAnyOrder("a", "b");
    assertThat(chunks).extracting(Chunk::eventCount).containsExactlyInAnyOrder(2, 1);
    assertThat(assembler.pendingEvents()).isZero();
    assertThat(assembler.flushAll()).isEmpty();
  }

  @Test
  void flushLingeringCutsOnlyTheGroupsOpenForTheLingerTime() {
    ChunkAssembler assembler = assembler();
    assertThat(assembler.nextLingerDeadline()).isNull();

    assembler.add(json(0, "early"), T0);
    assembler.add(json(1, "late"), T0.plusSeconds(20));
    assembler.add(json(2, "early"), T0.plusSeconds(25)); // joins the open chunk: does not move its deadline
    assertThat(assembler.nextLingerDeadline()).isEqualTo(T0.plus(LINGER));

    assertThat(assembler.flushLingering(T0.plus(LINGER).minusNanos(1))).isEmpty();
    assertThat(assembler.pendingEvents()).isEqualTo(3);

    List<Chunk> first = assembler.flushLingering(T0.plus(LINGER));
    assertThat(first).singleElement().satisfies(c -> {
      assertThat(c.id().groupKey()).isEqualTo("early");
      assertThat(c.eventCount()).isEqualTo(2);
    });
    assertThat(assembler.pendingEvents()).isEqualTo(1);
    assertThat(assembler.nextLingerDeadline()).isEqualTo(T0.plusSeconds(20).plus(LINGER));

    // a new event of a cut group opens a new chunk with its own deadline
    assembler.add(json(3, "early"), T0.plusSeconds(40));
    assertThat(assembler.flushLingering(T0.plusSeconds(49))).isEmpty();
    List<Chunk> second = assembler.flushLingering(T0.plusSeconds(50));
    assertThat(second).singleElement().satisfies(c -> assertThat(c.id().groupKey()).isEqualTo("late"));
    assertThat(assembler.nextLingerDeadline()).isEqualTo(T0.plusSeconds(70));

    List<Chunk> third = assembler.flushLingering(T0.plusSeconds(70));
    assertThat(third).singleElement().satisfies(c -> {
      assertThat(c.id().groupKey()).isEqualTo("early");
      assertThat(c.id().sequence()).as("the group's second chunk").isEqualTo(1);
      assertThat(c.header().firstSequence()).isEqualTo(3);
    });
    assertThat(assembler.nextLingerDeadline()).isNull();
    assertThat(assembler.pendingEvents()).isZero();
  }

  @Test
  void refusesAnEventOfAnotherJobAndKeepsItsState() {
    ChunkAssembler assembler = assembler();
    assembler.add(json(0, "g"), T0);
    Event foreign = new Event(JobId.of("job-other"), 1, "id-1", T0, "click", "g", 1, new byte[10]);

    InvalidFieldException e = catchThrowableOfType(InvalidFieldException.class, () -> assembler.add(foreign, T0));

    assertThat(e.field()).isEqualTo("event.jobId");
    assertThat(e.getMessage()).contains("job-other").contains(JOB.value());
    assertThat(assembler.pendingEvents()).isEqualTo(1);
    assertThat(assembler.flushAll()).singleElement().satisfies(c -> assertThat(c.eventCount()).isEqualTo(1));
  }

  @Test
  void aLoneMaximumEventWithTheLongestKeysFitsOneItem() {
    JobId job = JobId.of(DomainArbitraries.LONGEST_JOB_ID);
    ChunkAssembler assembler = new ChunkAssembler(job, 1024, TestCodecs.deflate(), ChunkAssembler.Settings.defaults());
    Event widest = new Event(job, Long.MAX_VALUE, "🚀".repeat(32), Event.MIN_TIME, "型".repeat(21) + "t", DomainArbitraries.LONGEST_GROUP_KEY,
        65_535, DomainArbitraries.randomBytes(99, Event.MAX_PAYLOAD_BYTES));

    List<Chunk> chunks = new ArrayList<>(assembler.add(widest, T0));
    chunks.addAll(assembler.flushAll());

    assertThat(chunks).singleElement().satisfies(c -> {
      assertThat(c.storedItemSize()).isLessThanOrEqualTo(StoredItemLayout.ITEM_LIMIT_BYTES);
    });
    ChunkExpectations.assertFaithful(job, List.of(widest), chunks, 1024);
  }

  @Test
  void consecutiveMaximumEventsOfOneGroupGoOneToAChunk() {
    ChunkAssembler assembler = assembler();
    List<Event> events = new ArrayList<>();
    List<Chunk> chunks = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      Event e = event(i, "big", DomainArbitraries.randomBytes(i, Event.MAX_PAYLOAD_BYTES));
      events.add(e);
      chunks.addAll(assembler.add(e, T0));
    }
    assertThat(chunks).as("cut while adding, not only on seal").isNotEmpty();
    chunks.addAll(assembler.flushAll());
    assertThat(chunks).hasSize(5).allSatisfy(c -> assertThat(c.eventCount()).isEqualTo(1));
    ChunkExpectations.assertFaithful(JOB, events, chunks, 8);
  }

  @Test
  void highlyCompressibleEventsAreCutAtTheRawSizeLimitInsteadOfGrowingForever() {
    ChunkAssembler assembler = assembler();
    List<Chunk> chunks = new ArrayList<>();
    List<Event> events = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      Event e = event(i, "zeros", new byte[Event.MAX_PAYLOAD_BYTES]);
      events.add(e);
      chunks.addAll(assembler.add(e, T0));
    }
    assertThat(chunks).as("chunks cut before seal").isNotEmpty();
    assertThat(chunks).allSatisfy(c -> assertThat(c.header().rawLength()).isLessThanOrEqualTo(ChunkFormat.MAX_RAW_BYTES));
    assertThat(assembler.pendingRawBytes()).isLessThan(ChunkFormat.MAX_RAW_BYTES);
    chunks.addAll(assembler.flushAll());
    ChunkExpectations.assertFaithful(JOB, events, chunks, 8);
  }

  @Test
  void memoryPressureCutsTheLargestOpenChunk() {
    ChunkAssembler assembler = new ChunkAssembler(JOB, 8, TestCodecs.deflate(), new ChunkAssembler.Settings(0.96, 0.85, 1 << 20, LINGER));
    List<Chunk> chunks = new ArrayList<>();
    List<Event> events = new ArrayList<>();
    long seq = 0;
    for (int round = 0; round < 40; round++) {
      for (String g : List.of("small-1", "large", "small-2", "large")) {
        Event e = event(seq++, g, DomainArbitraries.randomBytes(seq, 20_000));
        events.add(e);
        chunks.addAll(assembler.add(e, T0));
        assertThat(assembler.pendingRawBytes()).isLessThanOrEqualTo((1 << 20) + 25_000);
      }
    }
    assertThat(chunks).as("cut under memory pressure before any group is full").isNotEmpty();
    assertThat(chunks.get(0).id().groupKey()).isEqualTo("large");
    chunks.addAll(assembler.flushAll());
    ChunkExpectations.assertFaithful(JOB, events, chunks, 8);
  }

  /**
   * Fails today: the constructor takes any bucket count. 0 fails on the first add with
   * ArithmeticException ("/ by zero" in ChunkId.bucketFor), a negative count silently puts every
   * chunk in bucket 0, and 1025..n work until some chunk lands in bucket 1024+ and ChunkId refuses it
   * mid-stream (while a Manifest would refuse that bucket count outright). One-line fix in the
   * constructor: {@code Checks.range("assembler.buckets", buckets, 1, Job.MAX_BUCKETS);}
   */
  @Test
  void refusesABucketCountNoJobCanHave() {
    for (int buckets : new int[] {0, -1, io.spillway.domain.job.Job.MAX_BUCKETS + 1}) {
      InvalidFieldException e = catchThrowableOfType(InvalidFieldException.class,
          () -> new ChunkAssembler(JOB, buckets, TestCodecs.deflate(), ChunkAssembler.Settings.defaults()));
      assertThat(e).as(buckets + " buckets").isNotNull();
      assertThat(e.getMessage()).contains("1..1024");
    }
  }

  @Test
  void settingsRefuseNonsense() {
    assertThat(catchThrowableOfType(InvalidFieldException.class, () -> new ChunkAssembler.Settings(0.8, 0.9, 1 << 20, LINGER)).field())
        .isEqualTo("assembler.fill");
    assertThat(catchThrowableOfType(InvalidFieldException.class, () -> new ChunkAssembler.Settings(1.01, 0.9, 1 << 20, LINGER)).field())
        .isEqualTo("assembler.fill");
    assertThat(catchThrowableOfType(InvalidFieldException.class, () -> new ChunkAssembler.Settings(0.9, 0, 1 << 20, LINGER)).field())
        .isEqualTo("assembler.fill");
    assertThat(catchThrowableOfType(InvalidFieldException.class, () -> new ChunkAssembler.Settings(0.9, Double.NaN, 1 << 20, LINGER)).field())
        .isEqualTo("assembler.fill");
    assertThat(catchThrowableOfType(InvalidFieldException.class, () -> new ChunkAssembler.Settings(0.9, 0.8, (1 << 20) - 1, LINGER)).limit())
        .contains("1 MiB");
    assertThat(catchThrowableOfType(InvalidFieldException.class, () -> new ChunkAssembler.Settings(0.9, 0.8, 1 << 20, Duration.ZERO)).field())
        .isEqualTo("assembler.linger");
    assertThat(catchThrowableOfType(InvalidFieldException.class, () -> new ChunkAssembler.Settings(0.9, 0.8, 1 << 20, null)).field())
        .isEqualTo("assembler.linger");
    assertThat(ChunkAssembler.Settings.defaults().linger()).isPositive();
  }
}
