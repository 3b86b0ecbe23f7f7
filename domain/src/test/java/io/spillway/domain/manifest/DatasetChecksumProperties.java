package io.spillway.domain.manifest;

import static org.assertj.core.api.Assertions.assertThat;

import io.spillway.domain.chunk.Chunk;
import io.spillway.domain.chunk.ChunkFormat;
import io.spillway.domain.event.Event;
import io.spillway.domain.job.JobId;
import io.spillway.domain.testing.ChunkFixtures;
import io.spillway.domain.testing.DomainArbitraries;
import io.spillway.domain.testing.TestCodecs;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Assume;

/** The dataset checksum does not care in which order chunks arrive, and notices a missing or altered one. */
class DatasetChecksumProperties {
  static final JobId JOB = JobId.of("job-checksum");

  @Provide
  Arbitrary<List<Event>> events() {
    return DomainArbitraries.jobEvents(JOB, 1, 200, DomainArbitraries.smallPayloads(), 12);
  }

  static List<Chunk> chunks(List<Event> events) {
    return ChunkFixtures.assemble(JOB, events, 16, TestCodecs.deflate());
  }

  static DatasetChecksum of(List<Chunk> chunks) {
    DatasetChecksum sum = new DatasetChecksum();
    chunks.forEach(sum::add);
    return sum;
  }

  @Property(tries = 100)
  void anyOrderOfTheChunksGivesTheSameChecksum(@ForAll("events") List<Event> events, @ForAll long shuffleSeed) {
    List<Chunk> chunks = chunks(events);
    List<Chunk> shuffled = new ArrayList<>(chunks);
    Collections.shuffle(shuffled, new Random(shuffleSeed));
    List<Chunk> reparsed = new ArrayList<>();
    for (Chunk c : shuffled) {
      reparsed.add(ChunkFormat.parse(c.record()));
    }

    DatasetChecksum produced = of(chunks);
    DatasetChecksum read = of(reparsed);

    assertThat(read.value()).isEqualTo(produced.value());
    assertThat(read.chunks()).isEqualTo(chunks.size());
    assertThat(read.events()).isEqualTo(events.size());
  }

  @Property(tries = 100)
  void droppingAnyChunkChangesTheChecksum(@ForAll("events") List<Event> events, @ForAll int which) {
    List<Chunk> chunks = chunks(events);
    List<Chunk> missingOne = new ArrayList<>(chunks);
    Chunk dropped = missingOne.remove(Math.floorMod(which, chunks.size()));

    DatasetChecksum all = of(chunks);
    DatasetChecksum partial = of(missingOne);

    assertThat(partial.value()).isNotEqualTo(all.value());
    assertThat(partial.chunks()).isEqualTo(all.chunks() - 1);
    assertThat(partial.events()).isEqualTo(all.events() - dropped.eventCount());
  }

  @Property(tries = 50)
  void alteringOneEventChangesTheChecksum(@ForAll("events") List<Event> events, @ForAll int which) {
    List<Event> altered = new ArrayList<>(events);
    int i = Math.floorMod(which, events.size());
    Event e = altered.get(i);
    byte[] payload = java.util.Arrays.copyOf(e.payload(), e.payload().length + 1);
    altered.set(i, new Event(e.jobId(), e.sequence(), e.eventId(), e.eventTime(), e.type(), e.groupKey(), e.schemaVersion(), payload));

    assertThat(of(chunks(altered)).value()).isNotEqualTo(of(chunks(events)).value());
  }

  @Property(tries = 50)
  void anExtraChunkChangesTheChecksum(@ForAll("events") List<Event> events) {
    List<Chunk> chunks = chunks(events);
    Assume.that(chunks.size() >= 2);
    List<Chunk> withDuplicate = new ArrayList<>(chunks);
    withDuplicate.add(chunks.get(0));
    assertThat(of(withDuplicate).value()).isNotEqualTo(of(chunks).value());
    withDuplicate.add(chunks.get(0));
    assertThat(of(withDuplicate).value()).as("a chunk delivered three times").isNotEqualTo(of(chunks).value());
  }

  @Property(tries = 1000)
  void theMixSpreadsEveryCrcDifferently(@ForAll int a, @ForAll int b) {
    Assume.that(a != b);
    assertThat(DatasetChecksum.mix(a)).isNotEqualTo(DatasetChecksum.mix(b));
    assertThat(DatasetChecksum.mix(a)).isNotZero();
  }
}
