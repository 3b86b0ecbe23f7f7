package io.spillway.adapters.inmemory.pipeline;

import static io.spillway.adapters.inmemory.pipeline.DatasetReaderTest.bySequence;
import static io.spillway.adapters.inmemory.pipeline.DatasetReaderTest.pushed;
import static org.assertj.core.api.Assertions.assertThat;

import io.spillway.application.port.in.DatasetReader;
import io.spillway.application.port.in.Datasets.DatasetSummary;
import io.spillway.application.port.in.ReadPosition;
import io.spillway.domain.event.Event;
import io.spillway.domain.job.JobId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * However a job is shaped and wherever a caller stops (inside a chunk, at its end, several times),
 * resuming from the reader's position (by way of its token) delivers exactly what the push reader
 * delivers, each event once, and a whole read still passes the manifest check at its end.
 */
class ResumedReadProperties {
  private static final JobId JOB = new JobId("resumed");

  @Property(tries = 100)
  void readsStoppedAndResumedAnywhereDeliverEachEventOnce(@ForAll long seed, @ForAll @IntRange(min = 1, max = 6) int buckets,
      @ForAll @IntRange(min = 1, max = 5) int groups, @ForAll @IntRange(min = 1, max = 600) int events,
      @ForAll @IntRange(min = 1, max = 8_000) int payloadBytes, @ForAll @IntRange(max = 3) int stops, @ForAll boolean oneGroup) {
    Random random = new Random(seed);
    try (Harness h = Harness.unbounded()) {
      DatasetReaderTest.produce(h, JOB, buckets, groups, events, payloadBytes);
      Optional<String> group = oneGroup ? Optional.of("g" + random.nextInt(groups)) : Optional.empty();
      List<Event> expected = bySequence(pushed(h, JOB, group));

      List<Event> seen = new ArrayList<>();
      ReadPosition position = ReadPosition.start(JOB, group);
      DatasetSummary summary = null;
      for (int stop = 0; stop <= stops; stop++) {
        boolean last = stop == stops;
        int take = last ? Integer.MAX_VALUE : random.nextInt(expected.size() + 1);
        try (DatasetReader reader = h.datasets.open(position)) {
          for (int i = 0; i < take && reader.hasNext(); i++) {
            seen.add(reader.next());
          }
          ReadPosition stoppedAt = reader.position();
          summary = reader.summary();
          // kept as a token by the caller, resumed from the token: as good as the position
          position = ReadPosition.fromToken(stoppedAt.token());
          assertThat(position).isEqualTo(stoppedAt);
        }
      }

      assertThat(bySequence(seen)).isEqualTo(expected);
      assertThat(summary.events()).isEqualTo(expected.size());
      assertThat(summary.verifiedAgainstManifest()).isEqualTo(group.isEmpty());
    }
  }
}
