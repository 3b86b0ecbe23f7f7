package io.spillway.domain.chunk;

import static org.assertj.core.api.Assertions.assertThat;

import io.spillway.domain.event.Event;
import io.spillway.domain.job.JobId;
import io.spillway.domain.testing.TestCodecs;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** What must hold of the chunks an assembler cut from a job's events, checked by reading every record back. */
final class ChunkExpectations {
  private ChunkExpectations() {}

  /**
   * Every input event comes back exactly once, equal to what went in; each chunk holds one group's
   * events in input order, and a group's chunks, in chunk-sequence order, hold its events in input
   * order; headers agree with the events; every item fits; buckets stay in range.
   *
   * @param input a job's events with distinct sequences (not necessarily dense)
   * @param chunks the chunks in the order the assembler emitted them
   */
  static void assertFaithful(JobId job, List<Event> input, List<Chunk> chunks, int buckets) {
    Map<Long, Integer> indexOfSequence = new java.util.HashMap<>();
    for (int i = 0; i < input.size(); i++) {
      assertThat(indexOfSequence.put(input.get(i).sequence(), i)).as("test input has distinct sequences").isNull();
    }
    Map<String, List<Chunk>> chunksByGroup = new LinkedHashMap<>();
    Set<ChunkId> ids = new HashSet<>();
    Set<Long> seen = new HashSet<>();
    int total = 0;
    for (Chunk chunk : chunks) {
      assertThat(ids.add(chunk.id())).as("chunk ids are unique: " + chunk.id()).isTrue();
      assertThat(chunk.id().jobId()).isEqualTo(job);
      assertThat(chunk.id().bucket()).isBetween(0, buckets - 1);
      assertThat(chunk.storedItemSize()).as("stored size of " + chunk).isLessThanOrEqualTo(StoredItemLayout.ITEM_LIMIT_BYTES);
      assertThat(chunk.writeUnits()).isBetween(1, 400);

      Chunk parsed = ChunkFormat.parse(chunk.record().clone());
      assertThat(parsed).isEqualTo(chunk);
      assertThat(parsed.header()).isEqualTo(chunk.header());
      ChunkFormat.verify(parsed, TestCodecs.registry());
      List<Event> events = ChunkFormat.events(parsed, TestCodecs.registry());

      ChunkHeader h = chunk.header();
      assertThat(events).hasSize(h.eventCount());
      assertThat(events).isNotEmpty();
      assertThat(h.firstSequence()).isEqualTo(events.stream().mapToLong(Event::sequence).min().getAsLong());
      assertThat(h.lastSequence()).isEqualTo(events.stream().mapToLong(Event::sequence).max().getAsLong());
      int previous = -1;
      for (Event e : events) {
        Integer at = indexOfSequence.get(e.sequence());
        assertThat(at).as("event #" + e.sequence() + " was produced").isNotNull();
        assertThat(e).isEqualTo(input.get(at));
        assertThat(e.groupKey()).isEqualTo(chunk.id().groupKey());
        assertThat(at).as("events of a chunk keep their input order").isGreaterThan(previous);
        assertThat(seen.add(e.sequence())).as("event #" + e.sequence() + " comes back once").isTrue();
        previous = at;
      }
      total += events.size();
      chunksByGroup.computeIfAbsent(chunk.id().groupKey(), g -> new ArrayList<>()).add(chunk);
    }
    assertThat(total).isEqualTo(input.size());

    for (Map.Entry<String, List<Chunk>> group : chunksByGroup.entrySet()) {
      List<Chunk> emitted = group.getValue();
      List<Event> readBack = new ArrayList<>();
      for (int k = 0; k < emitted.size(); k++) {
        assertThat(emitted.get(k).id().sequence()).as("chunk sequences of a group are dense from 0, in emission order").isEqualTo(k);
        readBack.addAll(ChunkFormat.events(emitted.get(k), TestCodecs.registry()));
      }
      List<Event> expected = input.stream().filter(e -> e.groupKey().equals(group.getKey())).toList();
      assertThat(readBack).isEqualTo(expected);
    }
  }
}
