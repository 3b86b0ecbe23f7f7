package io.spillway.adapters.inmemory;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.TreeSet;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/** Whatever the table has saved and however the calls come, no partition takes more than it serves. */
class TablePartitionsProperties {
  static final Instant T = Instant.parse("2026-01-01T00:00:00Z");

  /** A write: a key (or none: a batch on distinct keys), its units (items for a batch), its time. */
  record Write(long millis, String key, int units) {}

  @Provide
  Arbitrary<List<Write>> writes() {
    Arbitrary<String> key = Arbitraries.of("J#a#0", "J#a#1", "J#b#0", "J#b#1", "J#c#0", "J#c#1", "J#d#0").injectNull(0.2);
    return Combinators.combine(Arbitraries.longs().between(0, 20_000), key, Arbitraries.integers().between(1, 900))
        .as(Write::new).list().ofMaxSize(300);
  }

  @Property(tries = 300)
  void savedBurstNeverTakesAPartitionPastAThousandUnitsASecond(@ForAll("writes") List<Write> writes,
      @ForAll @IntRange(min = 10, max = 8_000) int writeUnits, @ForAll @IntRange(min = 0, max = 600) int idleSeconds) {
    TableCapacity table = new TableCapacity(TableCapacity.Settings.provisioned(writeUnits).withReadUnits(100), T);
    Instant from = T.plusSeconds(idleSeconds);
    TreeSet<Long> seconds = new TreeSet<>();
    for (Write w : writes) {
      Instant at = from.plusMillis(w.millis);
      seconds.add(at.getEpochSecond());
      if (w.key == null) {
        table.tryConsumeItems(w.units, 1, at);
      } else {
        table.tryConsume(w.key, w.units, at);
      }
    }
    // 20 s of calls after at most 10 min: the table's partitions are those it was created with, or split for heat halves
    for (long s : seconds) {
      for (int p = 0; p < table.partitions(); p++) {
        assertThat(table.partitionWritesIn(p, Instant.ofEpochSecond(s))).isLessThanOrEqualTo(TableCapacity.PARTITION_WRITE_UNITS + 1e-6);
      }
    }
    assertThat(table.consumed()).as("no more than the rate and the 300 s saved").isLessThanOrEqualTo(writeUnits * (1 + Math.min(300, idleSeconds) + 21.0) + 1e-6);
  }

  @Property(tries = 200)
  void everyKeyLivesOnOnePartitionAndANewTableHasWhatItsCapacityNeeds(@ForAll @IntRange(min = 1, max = 40_000) int writeUnits,
      @ForAll @IntRange(min = 1, max = 40_000) int readUnits) {
    TableCapacity table = new TableCapacity(TableCapacity.Settings.provisioned(writeUnits).withReadUnits(readUnits), T);
    int expected = (int) Math.max(1, Math.ceil(writeUnits / 1_000.0 + readUnits / 3_000.0 - 1e-9));
    assertThat(table.partitions()).isEqualTo(expected);
    for (int k = 0; k < 50; k++) {
      int p = table.partitionIndexOf("J#job" + k + "#0");
      assertThat(p).isBetween(0, table.partitions() - 1);
    }
  }
}
