package io.spillway.adapters.inmemory;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Each call carries its own time, so what the table charges does not depend on the order the calls
 * are made in. Within one second the service's verdicts do depend on arrival order, so the calls
 * of a second keep theirs; across seconds they are interleaved at random.
 */
class OutOfOrderAccountingProperties {
  static final Instant T = Instant.parse("2026-01-01T00:00:00Z");

  record Put(long millis, String key, int units) {}

  @Provide
  Arbitrary<List<Put>> puts() {
    Arbitrary<Put> put = Combinators.combine(
        Arbitraries.longs().between(0, 40_000), Arbitraries.of("J#a#0", "J#a#1", "J#b#0"), Arbitraries.integers().between(1, 600))
        .as(Put::new);
    return put.list().ofMaxSize(200).map(l -> {
      List<Put> sorted = new ArrayList<>(l);
      sorted.sort(Comparator.comparingLong(Put::millis));
      return sorted;
    });
  }

  /** The calls with the seconds interleaved as {@code picks} say, each second's calls in time order. */
  static List<Put> interleaved(List<Put> inTimeOrder, List<Integer> picks) {
    Map<Long, List<Put>> bySecond = new TreeMap<>();
    for (Put p : inTimeOrder) bySecond.computeIfAbsent(p.millis / 1000, k -> new ArrayList<>()).add(p);
    List<List<Put>> queues = new ArrayList<>(bySecond.values());
    List<Put> out = new ArrayList<>();
    int pick = 0;
    while (!queues.isEmpty()) {
      int q = picks.isEmpty() ? 0 : Math.floorMod(picks.get(pick++ % picks.size()), queues.size());
      out.add(queues.get(q).remove(0));
      if (queues.get(q).isEmpty()) queues.remove(q);
    }
    return out;
  }

  static long throttles(TableCapacity table, List<Put> calls) {
    for (Put p : calls) table.tryConsume(p.key, p.units, T.plusMillis(p.millis));
    return table.throttled();
  }

  static TableCapacity keys() {
    return new TableCapacity(new TableCapacity.Settings(TableCapacity.Mode.UNLIMITED, 0, Duration.ZERO, 1_000, 0), T);
  }

  static TableCapacity onDemand() {
    // a new on-demand table of 1,500 units a second: the second's total binds as well as the keys
    return new TableCapacity(new TableCapacity.Settings(TableCapacity.Mode.ON_DEMAND, 1_500, Duration.ZERO, 1_000, 0), T);
  }

  @Property(tries = 300)
  void theKeysLimitChargesTheSameWhateverOrderTheSecondsComeIn(@ForAll("puts") List<Put> puts, @ForAll List<Integer> picks) {
    assertThat(throttles(keys(), interleaved(puts, picks))).isEqualTo(throttles(keys(), puts));
  }

  @Property(tries = 300)
  void anOnDemandTableChargesTheSameWhateverOrderTheSecondsComeIn(@ForAll("puts") List<Put> puts, @ForAll List<Integer> picks) {
    assertThat(throttles(onDemand(), interleaved(puts, picks))).isEqualTo(throttles(onDemand(), puts));
  }

  /**
   * A provisioned table's saved capacity links the seconds, so which call is refused can depend on
   * order; what it grants, in any order, is always something a time-ordered table grants in full.
   */
  @Property(tries = 300)
  void aProvisionedTableInAnyOrderGrantsNoMoreThanItsBucketAllowsInTimeOrder(@ForAll("puts") List<Put> puts, @ForAll List<Integer> picks) {
    TableCapacity shuffled = new TableCapacity(TableCapacity.Settings.provisioned(400), T);
    List<Put> granted = new ArrayList<>();
    for (Put p : interleaved(puts, picks)) {
      if (shuffled.tryConsume(p.key, p.units, T.plusMillis(p.millis))) granted.add(p);
    }
    granted.sort(Comparator.comparingLong(Put::millis));
    TableCapacity replay = new TableCapacity(TableCapacity.Settings.provisioned(400), T);

    assertThat(throttles(replay, granted)).isZero();
  }
}
